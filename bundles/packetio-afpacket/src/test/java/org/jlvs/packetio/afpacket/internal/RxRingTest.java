package org.jlvs.packetio.afpacket.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The rings' layouts on synthetic memory written as the kernel writes it (tpacket_rcv): no socket, no root. */
class RxRingTest {
    private static final int BLOCK = 4096, BLOCKS = 4;
    private static final int TP3_HDRLEN = 48, MAC_OFFSET = 82; // what the kernel uses with a 14-byte header

    /** Frames handed over: bytes copied out (as the channel copies into its array), with their status. */
    static final class Collect implements RxRing.FrameSink {
        final List<byte[]> frames = new ArrayList<>();
        final List<Integer> statuses = new ArrayList<>();

        @Override
        public void frame(ByteBuffer ring, int offset, int length, int wireLength, int status) {
            byte[] copy = new byte[length];
            ring.get(offset, copy, 0, length);
            frames.add(copy);
            statuses.add(status);
        }
    }

    private static byte[] frame(int length, int seed) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) f[i] = (byte) (seed + i);
        return f;
    }

    /** Writes frames into block {@code index} as tpacket_rcv and prb_close_block would, and hands it over. */
    private static void writeBlock(ByteBuffer ring, int index, int[] statuses, byte[]... frames) {
        int block = index * BLOCK;
        int at = block + 48; // BLK_PLUS_PRIV(0): the block descriptor, aligned
        ring.putInt(block + V3Ring.OFFSET_TO_FIRST_PKT, 48);
        ring.putInt(block + V3Ring.NUM_PKTS, frames.length);
        for (int i = 0; i < frames.length; i++) {
            byte[] f = frames[i];
            int size = (MAC_OFFSET + f.length + 15) & ~15;
            ring.putInt(at + V3Ring.TP_NEXT_OFFSET, i + 1 < frames.length ? size : 0);
            ring.putInt(at + V3Ring.TP_SNAPLEN, f.length);
            ring.putInt(at + V3Ring.TP_LEN, f.length);
            ring.putInt(at + V3Ring.TP_STATUS, statuses[i]);
            ring.putShort(at + V3Ring.TP_MAC, (short) MAC_OFFSET);
            ring.put(at + MAC_OFFSET, f);
            at += size;
        }
        ring.putInt(block + V3Ring.BLOCK_STATUS, RxRing.TP_STATUS_USER);
    }

    private static ByteBuffer ring(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }

    @Test
    void v3ReadsEveryFrameOfAHandedOverBlockAndGivesTheBlockBack() {
        ByteBuffer memory = ring(BLOCK * BLOCKS);
        V3Ring ring = new V3Ring(memory, BLOCK, BLOCKS);
        assertFalse(ring.ready(), "a block the kernel still owns is not read");
        byte[] a = frame(60, 1), b = frame(1514, 2), c = frame(42, 3);
        int partial = RxRing.TP_STATUS_USER | RxRing.TP_STATUS_CSUMNOTREADY;
        writeBlock(memory, 0, new int[] {RxRing.TP_STATUS_USER, partial, RxRing.TP_STATUS_USER}, a, b, c);
        Collect sink = new Collect();
        assertEquals(3, ring.drain(sink, 8));
        assertArrayEquals(a, sink.frames.get(0));
        assertArrayEquals(b, sink.frames.get(1));
        assertArrayEquals(c, sink.frames.get(2));
        assertEquals(0, sink.statuses.get(0) & RxRing.TP_STATUS_CSUMNOTREADY);
        assertTrue((sink.statuses.get(1) & RxRing.TP_STATUS_CSUMNOTREADY) != 0, "the kernel's partial flag");
        assertEquals(RxRing.TP_STATUS_KERNEL, memory.getInt(V3Ring.BLOCK_STATUS), "the block goes back at once");
        assertFalse(ring.ready());
    }

    @Test
    void v3WrapsAroundTheRingInOrder() {
        ByteBuffer memory = ring(BLOCK * BLOCKS);
        V3Ring ring = new V3Ring(memory, BLOCK, BLOCKS);
        Collect sink = new Collect();
        for (int round = 0; round < 3 * BLOCKS; round++) {
            writeBlock(memory, round % BLOCKS, new int[] {1}, frame(100, round));
            assertEquals(1, ring.drain(sink, 8));
            assertArrayEquals(frame(100, round), sink.frames.get(round), "block " + round);
        }
    }

    @Test
    void v3StopsAtAFrameThatWouldLeaveItsBlock() {
        ByteBuffer memory = ring(BLOCK * BLOCKS);
        V3Ring ring = new V3Ring(memory, BLOCK, BLOCKS);
        writeBlock(memory, 0, new int[] {1, 1}, frame(60, 1), frame(60, 2));
        memory.putInt(48 + V3Ring.TP_NEXT_OFFSET, BLOCK); // a corrupt next offset: past the block's end
        Collect sink = new Collect();
        assertEquals(1, ring.drain(sink, 8));
        assertEquals(RxRing.TP_STATUS_KERNEL, memory.getInt(V3Ring.BLOCK_STATUS), "the block still goes back");
    }

    @Test
    void v2ReadsSlotsUntilOneTheKernelOwns() {
        int slot = 2048, slots = 8;
        ByteBuffer memory = ring(slot * slots);
        V2Ring ring = new V2Ring(memory, slot, slots);
        for (int i = 0; i < 3; i++) {
            byte[] f = frame(64 + i, i);
            int at = i * slot;
            memory.putInt(at + V2Ring.TP_LEN, f.length);
            memory.putInt(at + V2Ring.TP_SNAPLEN, f.length);
            memory.putShort(at + V2Ring.TP_MAC, (short) 66);
            memory.put(at + 66, f);
            memory.putInt(at + V2Ring.TP_STATUS, RxRing.TP_STATUS_USER | (i == 1 ? RxRing.TP_STATUS_CSUMNOTREADY : 0));
        }
        Collect sink = new Collect();
        assertEquals(3, ring.drain(sink, 64));
        for (int i = 0; i < 3; i++) assertArrayEquals(frame(64 + i, i), sink.frames.get(i));
        assertTrue((sink.statuses.get(1) & RxRing.TP_STATUS_CSUMNOTREADY) != 0);
        for (int i = 0; i < 3; i++) assertEquals(RxRing.TP_STATUS_KERNEL, memory.getInt(i * slot));
        assertFalse(ring.ready());
    }

    /** Draining allocates nothing: the channel's copy goes into one reused array. */
    @Test
    void drainingAllocatesNothing() {
        ByteBuffer memory = ring(BLOCK * BLOCKS);
        V3Ring ring = new V3Ring(memory, BLOCK, BLOCKS);
        byte[] reused = new byte[65536];
        long[] bytes = {0};
        RxRing.FrameSink copy = (r, offset, length, wire, status) -> {
            r.get(offset, reused, 0, length);
            bytes[0] += length;
        };
        byte[] f = frame(1000, 7);
        int[] status = {1, 1, 1};
        byte[][] three = {f, f, f}; // not varargs: the test's own writer must not allocate either
        Runnable round = () -> {
            for (int b = 0; b < BLOCKS; b++) writeBlock(memory, b, status, three);
            ring.drain(copy, BLOCKS);
        };
        for (int i = 0; i < 20_000; i++) round.run();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        // A per-frame allocation shows in every measured pass; a one-off few hundred bytes while the JIT settles
        // on a loaded machine shows in one pass only: the best of three passes must be zero.
        long allocated = Long.MAX_VALUE;
        for (int pass = 0; pass < 3 && allocated != 0; pass++) {
            long before = threads.getThreadAllocatedBytes(id);
            for (int i = 0; i < 10_000; i++) round.run();
            allocated = Math.min(allocated, threads.getThreadAllocatedBytes(id) - before);
        }
        assertEquals(0L, allocated, "bytes allocated while draining " + 10_000 * BLOCKS * 3 + " frames");
        assertTrue(bytes[0] > 0 && Arrays.equals(Arrays.copyOf(reused, 1000), f));
    }
}
