package org.jlvs.forward.nat.internal;

import static org.jlvs.forward.nat.internal.Packets6.ATOMIC_FRAGMENT;
import static org.jlvs.forward.nat.internal.Packets6.FIRST_FRAGMENT;
import static org.jlvs.forward.nat.internal.Packets6.l4;
import static org.jlvs.forward.nat.internal.Packets6.packet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.spi.Frame;
import org.jlvs.api.spi.RealServer;
import org.jlvs.packet.Bytes;
import org.jlvs.packet.Checksums;
import org.jlvs.packet.Checksums6;
import org.jlvs.packet.Ipv6;
import org.jlvs.packet.Tcp;
import org.junit.jupiter.api.Test;

class NatForwarder6Test {
    private static final Ip6Address CLIENT = Ip6Address.parse("2001:db8:99:1::2");
    private static final Ip6Address VIP = Ip6Address.parse("2001:db8:99:1::100");
    private static final Ip6Address RS = Ip6Address.parse("2001:db8:99:2::11");
    private static final int TCP = Ipv6.NEXT_TCP, UDP = Ipv6.NEXT_UDP;
    /** Every kind of extension header the walk skips, in RFC 8200's order. */
    private static final int[] CHAIN = {Ipv6.NEXT_HOP_BY_HOP, Ipv6.NEXT_DEST_OPTIONS, Ipv6.NEXT_ROUTING,
        ATOMIC_FRAGMENT, Ipv6.NEXT_DEST_OPTIONS};

    private final NatForwarder nat = new NatForwarder();

    @Test
    void requestGoesToTheRealServerAndTheReplyComesFromTheVipBehindAnyExtensionHeaders() {
        Random random = new Random(17);
        for (int protocol : new int[] {TCP, UDP}) {
            for (int i = 0; i < 300; i++) {
                int[] chain = java.util.Arrays.copyOf(CHAIN, i % (CHAIN.length + 1));
                int payload = random.nextInt(1400);
                Frame f = packet(protocol, CLIENT, 40000 + i, VIP, 80, payload, random, chain);
                int hopLimit = Ipv6.hopLimit(f.data, f.ipOffset);
                int length = f.ipLength;
                assertNotEquals(0, nat.toRealServer(f, server(RS, 8080), 0));
                assertTrue(Ipv6.addressEquals(f.data, f.ipOffset + Ipv6.DST_OFFSET, RS.hi(), RS.lo()));
                assertTrue(Ipv6.addressEquals(f.data, f.ipOffset + Ipv6.SRC_OFFSET, CLIENT.hi(), CLIENT.lo()));
                int l4 = l4(f, chain.length);
                assertEquals(8080, Tcp.dstPort(f.data, l4));
                assertEquals(40000 + i, Tcp.srcPort(f.data, l4));
                assertEquals(hopLimit, Ipv6.hopLimit(f.data, f.ipOffset), "the hop limit, as the IPv4 TTL, is kept");
                assertEquals(length, f.ipLength);
                assertTrue(Checksums6.l4ChecksumValid(f.data, f.ipOffset, l4, protocol), "TCP/UDP checksum");

                Frame reply = packet(protocol, RS, 8080, CLIENT, 40000 + i, payload, random, chain);
                reply.virtualHi = VIP.hi();
                reply.virtualLo = VIP.lo();
                assertTrue(nat.toClient(reply, 0, 80));
                assertTrue(Ipv6.addressEquals(reply.data, reply.ipOffset + Ipv6.SRC_OFFSET, VIP.hi(), VIP.lo()));
                assertTrue(Ipv6.addressEquals(reply.data, reply.ipOffset + Ipv6.DST_OFFSET, CLIENT.hi(), CLIENT.lo()));
                assertEquals(80, Tcp.srcPort(reply.data, l4));
                assertEquals(40000 + i, Tcp.dstPort(reply.data, l4));
                assertTrue(Checksums6.l4ChecksumValid(reply.data, reply.ipOffset, l4, protocol), "reply checksum");
            }
        }
    }

    @Test
    void aPortlessServerKeepsThePacketsPort() {
        Frame f = packet(TCP, CLIENT, 40000, VIP, 443, 10, new Random(1), Ipv6.NEXT_DEST_OPTIONS);
        assertNotEquals(0, nat.toRealServer(f, server(RS, 0), 0));
        assertEquals(443, Tcp.dstPort(f.data, l4(f, 1)));
        assertTrue(Checksums6.l4ChecksumValid(f.data, f.ipOffset, l4(f, 1), TCP));
    }

    @Test
    void anUpdatedUdpChecksumOfZeroIsStoredAsAllOnes() {
        // Choose two payload bytes so that the rewritten datagram's checksum computes to 0.
        Frame rewritten = packet(UDP, CLIENT, 40000, RS, 8080, 2, new Random(2));
        byte[] b = rewritten.data;
        int ip = rewritten.ipOffset, l4 = l4(rewritten, 0);
        Bytes.put16(b, l4 + 6, 0);
        Bytes.put16(b, l4 + 8, 0);
        long sum = Checksums.sum(b, l4, 10, Checksums6.pseudoHeaderSum(b, ip, UDP, 10));
        int word = 0xffff - Checksums.fold(sum);
        Frame f = packet(UDP, CLIENT, 40000, VIP, 80, 2, new Random(2));
        Bytes.put16(f.data, l4 + 8, word);
        Checksums6.completeL4Checksum(f.data, ip, l4, UDP);
        assertTrue(Checksums6.l4ChecksumValid(f.data, ip, l4, UDP));

        assertNotEquals(0, nat.toRealServer(f, server(RS, 8080), 0));
        assertEquals(0xffff, Bytes.u16(f.data, l4 + 6), "0 is no checksum, invalid over IPv6: 0xffff instead");
        assertTrue(Checksums6.l4ChecksumValid(f.data, ip, l4, UDP));
    }

    @Test
    void refusedPacketsAreLeftUntouched() {
        Random random = new Random(3);
        Frame noChecksum = packet(UDP, CLIENT, 40000, VIP, 80, 20, random);
        Bytes.put16(noChecksum.data, l4(noChecksum, 0) + 6, 0);
        assertRefused(noChecksum, "a UDP checksum of 0 is invalid over IPv6 (RFC 8200 8.1)");
        assertRefused(packet(TCP, CLIENT, 40000, VIP, 80, 4, random, FIRST_FRAGMENT), "a fragment");
        Frame icmp = packet(TCP, CLIENT, 40000, VIP, 80, 4, random);
        Ipv6.setNextHeader(icmp.data, icmp.ipOffset, Ipv6.NEXT_ESP);
        assertRefused(icmp, "neither TCP nor UDP");
        Frame truncated = packet(TCP, CLIENT, 40000, VIP, 80, 0, random);
        truncated.ipLength = 50;
        assertRefused(truncated, "shorter than its payload length");

        Frame v6 = packet(TCP, CLIENT, 40000, VIP, 80, 4, random);
        byte[] before = v6.data.clone();
        assertEquals(0, nat.toRealServer(v6, v4Server(), 0), "an IPv6 packet for an IPv4 server");
        assertArrayEquals(before, v6.data);
    }

    private void assertRefused(Frame f, String why) {
        byte[] before = f.data.clone();
        assertEquals(0, nat.toRealServer(f, server(RS, 8080), 0), why);
        assertArrayEquals(before, f.data, why + ": untouched");
        f.virtualHi = VIP.hi();
        f.virtualLo = VIP.lo();
        assertFalse(nat.toClient(f, 0, 80), why + " (reply)");
        assertArrayEquals(before, f.data, why + ": untouched (reply)");
    }

    @Test
    void theNextHopOfAnIpv6ServerIsNeverZero() {
        Ip6Address foldsToZero = new Ip6Address(0x2001_0db8_0000_0000L, 0x2001_0db8_0000_0000L);
        assertEquals(0, foldsToZero.fold());
        Frame f = packet(TCP, CLIENT, 40000, VIP, 80, 4, new Random(4));
        assertEquals(RS.fold(), nat.toRealServer(f, server(RS, 80), 0));
        Frame g = packet(TCP, CLIENT, 40000, VIP, 80, 4, new Random(4));
        assertNotEquals(0, nat.toRealServer(g, server(foldsToZero, 80), 0));
        assertTrue(Ipv6.addressEquals(g.data, g.ipOffset + Ipv6.DST_OFFSET, foldsToZero.hi(), foldsToZero.lo()));
    }

    static RealServer server(Ip6Address address, int port) {
        return new TestServer(address.fold(), address, port);
    }

    private static RealServer v4Server() {
        return new TestServer(Ip4.parse("10.99.2.11"), null, 8080);
    }

    private record TestServer(int address, Ip6Address address6, int port) implements RealServer {
        @Override public ForwardMethod forwardMethod() { return ForwardMethod.MASQ; }
        @Override public int weight() { return 1; }
        @Override public int lastWeight() { return 1; }
        @Override public int activeConns() { return 0; }
        @Override public int inactiveConns() { return 0; }
        @Override public int persistentConns() { return 0; }
        @Override public boolean overloaded() { return false; }
    }
}
