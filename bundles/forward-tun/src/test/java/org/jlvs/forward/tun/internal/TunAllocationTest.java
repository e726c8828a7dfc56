package org.jlvs.forward.tun.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.HexFormat;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.TunnelType;
import org.jlvs.api.spi.Frame;
import org.jlvs.api.spi.RealServer;
import org.jlvs.packet.Checksums6;
import org.jlvs.packet.Ipv6;
import org.junit.jupiter.api.Test;

/**
 * Wrapping IPv6 packets (IPIP and GUE, the latter moving the packet up for headroom and summing its UDP checksum)
 * allocates nothing per packet once warm (ThreadMXBean's per-thread allocation counter around many rounds).
 */
class TunAllocationTest {
    private static final int WARM_UP = 30_000, MEASURED = 10_000;
    private static final Ip6Address DIRECTOR = Ip6Address.parse("2001:db8:99:2::1");
    private static final Ip6Address RS = Ip6Address.parse("2001:db8:99:2::12");
    /** TCP SYN [2001:db8:99:1::2]:40000 -> [2001:db8:99:1::100]:80 (as in TunForwarder6Test). */
    private static final byte[] SYN = HexFormat.of().parseHex("6b8abcde0014063f20010db800990001000000000000000220010db8"
            + "0099000100000000000001009c40005001020304000000005002ffffb1a40000");

    private final TunForwarder tun = new TunForwarder();
    private final Frame frame = new Frame(Frame.HEADROOM + 2048);
    private final RealServer ipip = new Server6(TunnelType.IPIP, 0);
    private final RealServer gue = new Server6(TunnelType.GUE, 6080);
    private final RealServer[] servers = {ipip, gue};
    private long sink;

    private void round() {
        for (RealServer server : servers) {
            System.arraycopy(SYN, 0, frame.data, Frame.HEADROOM, SYN.length);
            frame.ipOffset = Frame.HEADROOM;
            frame.ipLength = SYN.length;
            sink += tun.toRealServer(frame, server, 0) + frame.ipOffset;
        }
    }

    @Test
    void ipv6TunnelsAllocateNothingPerPacket() {
        frame.mtu = 1500;
        frame.localHi = DIRECTOR.hi();
        frame.localLo = DIRECTOR.lo();
        for (int i = 0; i < WARM_UP; i++) round();
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        threads.getThreadAllocatedBytes(id);
        long overhead = -threads.getThreadAllocatedBytes(id) + threads.getThreadAllocatedBytes(id);
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < MEASURED; i++) round();
        long allocated = threads.getThreadAllocatedBytes(id) - before - overhead;
        System.out.printf("IPv6 tunnels: %d bytes allocated over %d packets (%d)%n", allocated, 2 * MEASURED, sink);
        // Zero per packet; a one-off few dozen bytes of JVM bookkeeping must not fail the test, 16 bytes a packet do.
        assertEquals(0L, allocated / (2 * MEASURED), "bytes allocated per packet (" + allocated + ")");
        assertEquals(SYN.length + 52, frame.ipLength, "the last round's GUE packet was wrapped");
        assertTrue(Checksums6.l4ChecksumValid(frame.data, frame.ipOffset, frame.ipOffset + 40, Ipv6.NEXT_UDP));
    }

    /** An IPv6 real server with its tunnel: the address is allocated once, as the core's servers hold it. */
    private record Server6(TunnelType tunnelType, int tunnelPort) implements RealServer {
        private static final Ip6Address ADDRESS = RS;
        @Override public int address() { return ADDRESS.fold(); }
        @Override public Ip6Address address6() { return ADDRESS; }
        @Override public int port() { return 80; }
        @Override public ForwardMethod forwardMethod() { return ForwardMethod.TUNNEL; }
        @Override public int weight() { return 1; }
        @Override public int lastWeight() { return 1; }
        @Override public int activeConns() { return 0; }
        @Override public int inactiveConns() { return 0; }
        @Override public int persistentConns() { return 0; }
        @Override public boolean overloaded() { return false; }
    }
}
