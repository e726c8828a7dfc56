package org.jlvs.packetio.afpacket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;

import org.jlvs.api.spi.PacketIo;
import org.junit.jupiter.api.Test;

/**
 * The real kernel on the loopback interface (root, as the appliance and the test suite run): a batch leaves by
 * sendmmsg and comes back whole; with fanout the readers share one group (each frame reaches one of them, not
 * each); the ethtool ioctl answers for lo.
 */
class LoopbackSendTest {
    /** Fewer than the slots of a ring: lo's MTU of 64 KiB makes a 4 MiB ring 64 slots of 64 KiB. */
    private static final int FRAMES = 16;
    private static final long WAIT_NANOS = 30_000_000_000L; // only a broken send waits this long

    /** Counts our test frames: IEEE local experimental ethertype with a marker. */
    static final class Counter implements PacketIo.FrameReceiver {
        final AtomicInteger frames;
        final boolean forksForThreads;

        Counter(AtomicInteger frames, boolean forksForThreads) {
            this.frames = frames;
            this.forksForThreads = forksForThreads;
        }

        @Override
        public void onFrame(byte[] frame, int length) {
            if (length >= 60 && frame[12] == (byte) 0x88 && frame[13] == (byte) 0xb6 && frame[14] == 0x4a) {
                frames.incrementAndGet();
            }
        }

        @Override
        public PacketIo.FrameReceiver forAnotherThread() {
            return forksForThreads ? new Counter(frames, true) : null;
        }
    }

    private static byte[] testFrame(int i) {
        byte[] frame = new byte[60]; // to and from 00:00:00:00:00:00: nobody else takes it
        frame[12] = (byte) 0x88;
        frame[13] = (byte) 0xb6; // IEEE local experimental 2
        frame[14] = 0x4a;
        frame[15] = (byte) i;
        return frame;
    }

    private static void awaitCount(AtomicInteger count, int expected) {
        long start = System.nanoTime();
        while (count.get() < expected && System.nanoTime() - start < WAIT_NANOS) Thread.onSpinWait();
    }

    /** Sends FRAMES frames from a receive thread inside one pass, and waits for them to come back. */
    private static void sendInOnePass(AfPacketChannel channel) throws InterruptedException {
        Thread t = new Thread(() -> {
            Sweep sweep = Sweep.forCurrentThread();
            sweep.begin();
            for (int i = 0; i < FRAMES; i++) channel.send(testFrame(i), 0, 60);
            sweep.end();
        });
        t.start();
        t.join();
    }

    @Test
    void aBatchGoesOutBySendmmsgAndEveryFrameComesBack() throws Exception {
        AtomicInteger got = new AtomicInteger();
        AfPacketChannel channel = AfPacketChannel.open("lo", null, new Counter(got, false),
                AfPacketSettings.DEFAULTS, c -> { });
        try {
            sendInOnePass(channel);
            awaitCount(got, FRAMES);
            assertEquals(FRAMES, got.get());
            assertEquals(FRAMES, channel.sentFrames());
            assertEquals(1, channel.readerCount());
        } finally {
            channel.close();
        }
    }

    @Test
    void fanoutReadersShareOneGroup() throws Exception {
        AtomicInteger got = new AtomicInteger();
        AfPacketSettings two = new AfPacketSettings(true, 1, 4 << 20, true, 2);
        AfPacketChannel channel = AfPacketChannel.open("lo", null, new Counter(got, true), two, c -> { });
        try {
            assertEquals(2, channel.readerCount());
            sendInOnePass(channel);
            awaitCount(got, FRAMES);
            // two sockets outside one group would each see every frame: 2 x FRAMES
            sendInOnePass(channel); // a second pass also proves no copy of the first is still on its way
            awaitCount(got, 2 * FRAMES);
            assertEquals(2 * FRAMES, got.get(), "received " + channel.receivedFrames() + ", dropped "
                    + channel.droppedFrames() + ", sent " + channel.sentFrames());
            assertTrue(channel.receivedFrames() >= 2 * FRAMES);
        } finally {
            channel.close();
        }
    }

    @Test
    void aReceiverForOneThreadGetsOneReader() throws Exception {
        AfPacketSettings four = new AfPacketSettings(true, 1, 1 << 20, true, 4);
        AfPacketChannel channel = AfPacketChannel.open("lo", null, new Counter(new AtomicInteger(), false), four,
                c -> { });
        try {
            assertEquals(1, channel.readerCount());
        } finally {
            channel.close();
        }
    }

    @Test
    void theEthtoolIoctlAnswersForLoopbackAndNotForAMissingInterface() {
        assertNotNull(ReceiveOffloads.of("lo"), "SIOCETHTOOL ETHTOOL_GGRO on lo");
        assertNull(ReceiveOffloads.of("jlvs-no-such0"));
        assertNull(ReceiveOffloads.of("a-name-longer-than-ifnamsiz"));
    }
}
