package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.jlvs.api.Ip4;
import org.jlvs.packet.Bytes;
import org.jlvs.packet.FrameCheck;
import org.jlvs.packet.Ipv4;
import org.jlvs.packet.Udp;
import org.jlvs.packet.Checksums;
import org.junit.jupiter.api.Test;

/** IPv4 reassembly's edge cases, with the clock in the test's hands. */
class ReassemblyTest {
    private static final long SECOND = 1_000_000_000L;
    private static final int SRC = Ip4.parse("10.99.1.2"), DST = Ip4.parse("10.99.1.100");

    private final DataPathCounters counters = new DataPathCounters();
    private final Reassembly reassembly = new Reassembly(counters);
    private final byte[] out = new byte[70_000];
    private long now = 1_000 * SECOND;

    /** A UDP datagram of {@code payload} bytes (a checksum over it all) with IP id {@code id}. */
    static byte[] datagram(int id, int payload, int src, int dst) {
        byte[] p = new byte[20 + 8 + payload];
        Ipv4.writeHeader(p, 0, 0, p.length, id, false, 64, Ipv4.PROTO_UDP, src, dst);
        Udp.writeHeader(p, 20, 40000, 7, 8 + payload);
        for (int i = 0; i < payload; i++) p[28 + i] = (byte) (i * 7 + id);
        Bytes.put16(p, 26, Checksums.l4Checksum(p, 0));
        return p;
    }

    /** The fragments of {@code packet} with at most {@code size} payload bytes each (a multiple of 8). */
    static List<byte[]> fragment(byte[] packet, int size) {
        List<byte[]> list = new ArrayList<>();
        int payload = packet.length - 20;
        for (int done = 0; done < payload; done += size) {
            int n = Math.min(size, payload - done);
            byte[] f = new byte[20 + n];
            System.arraycopy(packet, 0, f, 0, 20);
            System.arraycopy(packet, 20 + done, f, 20, n);
            Ipv4.setTotalLength(f, 0, 20 + n);
            Bytes.put16(f, Ipv4.FLAGS_OFFSET, (done + n < payload ? 0x2000 : 0) | (done / 8));
            Ipv4.updateHeaderChecksum(f, 0);
            list.add(f);
        }
        return list;
    }

    private int add(byte[] fragment) {
        return reassembly.add(fragment, 0, now, out, 10);
    }

    private void assertWhole(byte[] expected, int n) {
        assertEquals(expected.length, n);
        assertArrayEquals(expected, Arrays.copyOfRange(out, 10, 10 + n));
        assertEquals(FrameCheck.OK, FrameCheck.checkIpv4(out, 10, n));
    }

    @Test
    void inOrderAndOutOfOrderGiveTheOriginalDatagram() {
        byte[] d = datagram(1, 3000, SRC, DST);
        List<byte[]> parts = fragment(d, 1480);
        assertEquals(3, parts.size());
        assertEquals(0, add(parts.get(0)));
        assertEquals(0, add(parts.get(1)));
        assertWhole(d, add(parts.get(2)));

        Random random = new Random(3);
        for (int round = 0; round < 20; round++) {
            byte[] e = datagram(100 + round, 1 + random.nextInt(9000), SRC, DST);
            List<byte[]> shuffled = new ArrayList<>(fragment(e, 8 * (1 + random.nextInt(100))));
            Collections.shuffle(shuffled, random);
            if (shuffled.size() > Reassembly.MAX_FRAGMENTS) continue;
            int n = 0;
            for (int k = 0; k < shuffled.size(); k++) {
                n = add(shuffled.get(k));
                if (k < shuffled.size() - 1) assertEquals(0, n, "complete only with the last one in");
            }
            if (shuffled.size() > 1) assertWhole(e, n);
        }
        assertEquals(0, reassembly.inProgress());
        assertEquals(0L, counters.fragmentsBad.sum());
    }

    @Test
    void anExactDuplicateIsIgnoredAndAnOverlapDropsTheDatagram() {
        byte[] d = datagram(2, 3000, SRC, DST);
        List<byte[]> parts = fragment(d, 1480);
        add(parts.get(0));
        assertEquals(0, add(parts.get(0)));
        assertEquals(1L, counters.fragmentsDuplicate.sum());
        add(parts.get(1));
        assertWhole(d, add(parts.get(2)));

        byte[] e = datagram(3, 3000, SRC, DST);
        List<byte[]> a = fragment(e, 1480);
        List<byte[]> b = fragment(e, 1000); // 0-1000 overlaps 0-1480 partly
        add(a.get(0));
        assertEquals(0, add(b.get(1)));
        assertEquals(1L, counters.fragmentsBad.sum());
        assertEquals(0, reassembly.inProgress(), "the whole datagram went");
        assertEquals(0, add(a.get(1)), "its remaining fragments start over and never complete alone");
        assertEquals(0, add(a.get(2)));
    }

    @Test
    void inconsistentEndsAndBadLengthsAreRefused() {
        byte[] d = datagram(4, 3000, SRC, DST);
        List<byte[]> parts = fragment(d, 1480);
        add(parts.get(2));
        byte[] shorterLast = parts.get(1).clone(); // a second "last" fragment with another end
        Bytes.put16(shorterLast, Ipv4.FLAGS_OFFSET, 1480 / 8);
        Ipv4.updateHeaderChecksum(shorterLast, 0);
        assertEquals(0, add(shorterLast));
        assertEquals(1L, counters.fragmentsBad.sum());

        byte[] odd = Arrays.copyOf(parts.get(0), 20 + 1001); // a middle fragment not a multiple of 8
        Ipv4.setTotalLength(odd, 0, odd.length);
        Ipv4.updateHeaderChecksum(odd, 0);
        assertEquals(0, add(odd));
        assertEquals(2L, counters.fragmentsBad.sum());

        byte[] far = parts.get(2).clone(); // beyond 64 KiB
        Bytes.put16(far, Ipv4.FLAGS_OFFSET, 0x1fff);
        Ipv4.updateHeaderChecksum(far, 0);
        assertEquals(0, add(far));
        assertEquals(3L, counters.fragmentsBad.sum());
    }

    @Test
    void tooManyFragmentsDropTheDatagram() {
        byte[] d = datagram(5, 8 * (Reassembly.MAX_FRAGMENTS + 5), SRC, DST);
        List<byte[]> parts = fragment(d, 8);
        for (byte[] p : parts) assertEquals(0, add(p));
        assertTrue(counters.fragmentsBad.sum() >= 1);
        assertEquals(0L, counters.fragmentsReassembled.sum());
    }

    @Test
    void memoryIsBoundedAndIncompleteDatagramsTimeOut() {
        for (int i = 0; i < Reassembly.DATAGRAMS; i++) add(fragment(datagram(10 + i, 3000, SRC, DST), 1480).get(0));
        assertEquals(Reassembly.DATAGRAMS, reassembly.inProgress());
        byte[] d = datagram(99, 3000, SRC, DST);
        List<byte[]> parts = fragment(d, 1480);
        assertEquals(0, add(parts.get(0)));
        assertEquals(1L, counters.fragmentsDroppedMemory.sum(), "no place: dropped, as above ipfrag_high_thresh");

        now += (Reassembly.TIMEOUT_SECONDS - 1) * SECOND;
        assertEquals(0, add(parts.get(0)));
        assertEquals(0L, counters.fragmentsTimedOut.sum(), "29 s: still waiting");
        assertEquals(2L, counters.fragmentsDroppedMemory.sum());
        now += SECOND;
        assertEquals(0, add(parts.get(0)));
        assertEquals(Reassembly.DATAGRAMS, counters.fragmentsTimedOut.sum(), "30 s: the incomplete ones go");
        add(parts.get(1));
        assertWhole(d, add(parts.get(2)));
        assertEquals(0, reassembly.inProgress());
        assertFalse(counters.fragmentsReassembled.sum() == 0);
    }
}
