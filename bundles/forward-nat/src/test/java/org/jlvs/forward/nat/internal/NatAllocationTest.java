package org.jlvs.forward.nat.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.Random;

import org.jlvs.api.Ip6Address;
import org.jlvs.api.spi.Frame;
import org.jlvs.api.spi.RealServer;
import org.jlvs.packet.Checksums6;
import org.jlvs.packet.Ipv6;
import org.junit.jupiter.api.Test;

/**
 * NAT of IPv6 requests and replies allocates nothing per packet once warm (ThreadMXBean's per-thread allocation
 * counter around many rounds), each round on working copies refreshed by System.arraycopy.
 */
class NatAllocationTest {
    private static final int WARM_UP = 30_000, MEASURED = 10_000;
    private static final Ip6Address CLIENT = Ip6Address.parse("2001:db8:99:1::2");
    private static final Ip6Address VIP = Ip6Address.parse("2001:db8:99:1::100");
    private static final Ip6Address RS = Ip6Address.parse("2001:db8:99:2::11");

    private final NatForwarder nat = new NatForwarder();
    private final RealServer server = NatForwarder6Test.server(RS, 8080);
    private final Frame request = Packets6.packet(Ipv6.NEXT_TCP, CLIENT, 40000, VIP, 80, 100, new Random(5),
            Ipv6.NEXT_HOP_BY_HOP, Ipv6.NEXT_DEST_OPTIONS);
    private final Frame reply = Packets6.packet(Ipv6.NEXT_UDP, RS, 8080, CLIENT, 40000, 100, new Random(6));
    private final byte[] requestBytes = request.data.clone();
    private final byte[] replyBytes = reply.data.clone();
    private long sink;

    private void round() {
        System.arraycopy(requestBytes, 0, request.data, 0, requestBytes.length);
        sink += nat.toRealServer(request, server, 0);
        System.arraycopy(replyBytes, 0, reply.data, 0, replyBytes.length);
        sink += nat.toClient(reply, 0, 80) ? 1 : 0;
    }

    @Test
    void ipv6NatAllocatesNothingPerPacket() {
        reply.virtualHi = VIP.hi();
        reply.virtualLo = VIP.lo();
        for (int i = 0; i < WARM_UP; i++) round();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        threads.getThreadAllocatedBytes(id);
        long overhead = -threads.getThreadAllocatedBytes(id) + threads.getThreadAllocatedBytes(id);
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < MEASURED; i++) round();
        long allocated = threads.getThreadAllocatedBytes(id) - before - overhead;
        System.out.printf("IPv6 NAT: %d bytes allocated over %d packets (%d)%n", allocated, 2 * MEASURED, sink);
        // Zero per packet; a one-off few dozen bytes of JVM bookkeeping must not fail the test, 16 bytes a packet do.
        assertEquals(0L, allocated / (2 * MEASURED), "bytes allocated per packet (" + allocated + ")");
        assertTrue(Checksums6.l4ChecksumValid(request.data, request.ipOffset, request.ipOffset + 56, Ipv6.NEXT_TCP));
        assertTrue(Ipv6.addressEquals(reply.data, reply.ipOffset + Ipv6.SRC_OFFSET, VIP.hi(), VIP.lo()));
    }
}
