package org.jlvs.packet;

import static org.jlvs.packet.Captured6.*;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * The IPv6 decoders and the in-place writers allocate nothing per frame once warm (ThreadMXBean's per-thread
 * allocation counter around many rounds): the frame check and walk, the quote check, the ND checks and options,
 * checksums, the address rewrite, the echo reply, the answer to a solicitation, an unsolicited advertisement
 * and a Packet Too Big, each on a working copy refreshed by System.arraycopy.
 */
class Ipv6AllocationTest {
    private static final int IP = Ethernet.HEADER_LENGTH;
    private static final int WARM_UP = 30_000, MEASURED = 10_000;
    private static final int[] DECODED = {TCP_DATA, Captured6.UDP, UDP_DSTOPTS, UDP_HOPOPTS, FRAG_ECHO_FIRST,
        FRAG_ECHO_LAST, MLD_REPORT, PORT_UNREACH, PACKET_TOO_BIG, NS, NA, DAD_NS};

    private final byte[][] frames = new byte[DECODED.length][];
    private final byte[] work = new byte[2048];
    private final byte[] out = new byte[2048];
    private final byte[] echo = frame(ECHO_REQUEST);
    private final byte[] ns = frame(NS);
    private final byte[] udp = frame(Captured6.UDP);
    private final byte[] tooBig = frame(UDP_TOO_BIG);
    private long sink;

    private void round() {
        for (byte[] f : frames) {
            long w = FrameCheck6.inspectEthernetIpv6(f, 0, f.length);
            sink += Ipv6Headers.chainLength(w) + Ipv6Headers.fragmentHeaderOffset(w, IP);
            int l4 = Ipv6Headers.l4Offset(w, IP);
            int protocol = Ipv6Headers.protocol(w);
            if (Ipv6Headers.reason(w) == FrameCheck6.OK) {
                sink += Checksums6.l4ChecksumValid(f, IP, l4, protocol) ? 1 : 0;
                sink += Checksums6.l4ChecksumPartial(f, IP, l4, protocol) ? 1 : 0;
                sink += Ipv6Headers.reason(FrameCheck6.inspectIcmpv6Error(f, IP, w));
                sink += Ndp.checkSolicitation(f, IP, w) + Ndp.checkAdvertisement(f, IP, w);
                sink += Ndp.linkLayerAddress(f, l4 + Ndp.MESSAGE_LENGTH, f.length, Ndp.OPTION_SOURCE_LLA);
                sink += Icmpv6.errorAllowed(f, IP, w, Icmpv6.PACKET_TOO_BIG, 0) ? 1 : 0;
            }
            sink += Ipv6.srcHi(f, IP) ^ Ipv6.dstLo(f, IP);
        }
        System.arraycopy(echo, 0, work, 0, echo.length);
        sink += Icmpv6.toEchoReply(work, IP, FrameCheck6.inspectIpv6(work, IP, echo.length - IP));
        System.arraycopy(ns, 0, work, 0, ns.length);
        sink += Ndp.toAdvertisementFrame(work, 0, FrameCheck6.inspectIpv6(work, IP, ns.length - IP), 2L, true);
        sink += Ndp.writeUnsolicitedAdvertisementFrame(work, 0, 2L, 3L, 4L, false);
        System.arraycopy(udp, 0, work, 0, udp.length);
        long w = FrameCheck6.inspectIpv6(work, IP, udp.length - IP);
        Checksums6.rewriteAddress(work, IP, w, Ipv6.DST_OFFSET, 5L, 6L);
        Checksums6.completeL4Checksum(work, IP, IP + 40, Ipv6.NEXT_UDP);
        sink += Icmpv6.writePacketTooBig(tooBig, IP, tooBig.length - IP, out, 0, 1280, 7L, 8L);
    }

    @Test
    void decodersAndInPlaceWritersAllocateNothingPerFrame() {
        for (int i = 0; i < DECODED.length; i++) frames[i] = frame(DECODED[i]);
        for (int i = 0; i < WARM_UP; i++) round();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        threads.getThreadAllocatedBytes(id);
        long overhead = -threads.getThreadAllocatedBytes(id) + threads.getThreadAllocatedBytes(id);
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < MEASURED; i++) round();
        long allocated = threads.getThreadAllocatedBytes(id) - before - overhead;
        int perRound = DECODED.length + 5;
        System.out.printf("IPv6 packet code: %d bytes allocated over %d frames after %d warm-up rounds (%d)%n",
                allocated, perRound * MEASURED, WARM_UP, sink);
        // Zero per frame; a one-off few dozen bytes (the JVM's own bookkeeping around the counter calls) must not
        // fail the test, a per-frame allocation (16 bytes or more each) always does.
        assertEquals(0L, allocated / (perRound * MEASURED), "bytes allocated per frame (" + allocated + ")");
        // The writers did their work: the last round's Packet Too Big and rewritten datagram are well formed.
        assertEquals(FrameCheck6.OK, FrameCheck6.checkIpv6(out, 0, Ipv6.MIN_MTU));
        assertTrue(Checksums6.l4ChecksumValid(out, 0, 40, Ipv6.NEXT_ICMPV6));
        assertTrue(Ipv6.addressEquals(work, IP + Ipv6.DST_OFFSET, 5L, 6L));
        assertTrue(Checksums6.l4ChecksumValid(work, IP, IP + 40, Ipv6.NEXT_UDP));
    }
}
