package org.jlvs.forward.tun.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Random;
import java.util.Set;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.TunnelType;
import org.jlvs.api.spi.Frame;
import org.jlvs.api.spi.RealServer;
import org.jlvs.packet.Bytes;
import org.jlvs.packet.Checksums6;
import org.jlvs.packet.Ethernet;
import org.jlvs.packet.Ipv6;
import org.jlvs.packet.Udp;
import org.junit.jupiter.api.Test;

/**
 * IPv6 tunnels against golden frames written independently of this code (a Python struct script), after the
 * header that ip_vs_tunnel_xmit_v6 writes: traffic class and hop limit copied, flow label 0.
 */
class TunForwarder6Test {
    private static final HexFormat HEX = HexFormat.of();
    private static final Ip6Address DIRECTOR = Ip6Address.parse("2001:db8:99:2::1");
    private static final Ip6Address RS = Ip6Address.parse("2001:db8:99:2::12");

    /** TCP SYN [2001:db8:99:1::2]:40000 -> [2001:db8:99:1::100]:80, traffic class 0xb8, flow label 0xabcde, hop limit 63. */
    private static final String INNER = "6b8abcde0014063f20010db800990001000000000000000220010db8009900010000000000000100"
            + "9c40005001020304000000005002ffffb1a40000";
    /** Outer IPv6 [2001:db8:99:2::1] -> [2001:db8:99:2::12], next header 41, traffic class 0xb8 and hop limit 63. */
    private static final String IPIP = "6b800000003c293f20010db800990002000000000000000120010db8009900020000000000000012"
            + INNER;
    /**
     * Outer IPv6 (next header 17) + UDP 40000 -> 6080, length 72, checksum 0xbfd7 + GUE 00 29 00 00 (v0, IPv6).
     * The forwarder picks its own source port, so the test compares all but the port and checksum to this and
     * verifies the checksum from scratch.
     */
    private static final String GUE = "6b8000000048113f20010db800990002000000000000000120010db8009900020000000000000012"
            + "9c4017c00048bfd7" + "00290000" + INNER;

    private final TunForwarder tun = new TunForwarder();

    @Test
    void ipipInIpv6MatchesTheGoldenFrame() {
        Frame f = frame(INNER, 1500);
        assertEquals(RS.fold(), tun.toRealServer(f, server(RS, TunnelType.IPIP, 0), 0));
        assertEquals(IPIP, HEX.formatHex(f.data, f.ipOffset, f.ipOffset + f.ipLength));
        assertEquals(Frame.HEADROOM - 40, f.ipOffset, "the outer header sits in the headroom");
    }

    @Test
    void gueOverIpv6MatchesTheGoldenFrameWithAValidUdpChecksum() {
        Frame f = frame(INNER, 1500);
        assertNotEquals(0, tun.toRealServer(f, server(RS, TunnelType.GUE, 6080), 0));
        byte[] expected = HEX.parseHex(GUE);
        byte[] actual = Arrays.copyOfRange(f.data, f.ipOffset, f.ipOffset + f.ipLength);
        assertEquals(expected.length, actual.length);
        int udp = Ipv6.HEADER_LENGTH;
        int port = Udp.srcPort(actual, udp);
        assertTrue(port >= 32768 && port <= 60999, "an ephemeral source port: " + port);
        assertTrue(Checksums6.l4ChecksumValid(actual, 0, udp, Ipv6.NEXT_UDP), "the UDP checksum, from scratch");
        assertEquals(port, Ipv6Tunnel.sourcePort(HEX.parseHex(INNER), 0, 60));
        for (int i : new int[] {udp, udp + 1, udp + 6, udp + 7}) expected[i] = actual[i];
        assertArrayEquals(expected, actual);
        // 52 bytes do not fit in the 64 of headroom with the Ethernet header: the packet moved up to make room.
        assertEquals(Ethernet.HEADER_LENGTH, f.ipOffset);
    }

    @Test
    void tooBigForTheTunnelIsRefusedWithTheMtuLeftInsideWhateverTheFlags() {
        for (TunnelType type : TunnelType.values()) {
            int overhead = type == TunnelType.GUE ? 52 : 40;
            Frame tooBig = tcp(1500 - overhead - 60 + 1, new Random(1));
            tooBig.mtu = 1500;
            byte[] before = tooBig.data.clone();
            assertEquals(0, tun.toRealServer(tooBig, server(RS, type, 6080), 0));
            assertEquals(1500 - overhead, tooBig.tooBigMtu, type + ": the MTU left inside the tunnel");
            assertArrayEquals(before, tooBig.data, "a refused packet stays as it was, for the ICMPv6 quote");
            assertEquals(Frame.HEADROOM, tooBig.ipOffset);

            Frame justFits = tcp(1500 - overhead - 60, new Random(1));
            justFits.mtu = 1500;
            assertNotEquals(0, tun.toRealServer(justFits, server(RS, type, 6080), 0));
            assertEquals(1500, justFits.ipLength);
            assertEquals(0, justFits.tooBigMtu);
        }
    }

    @Test
    void belowTheIpv6MinimumMtuInsideTheTunnelThePacketIsDroppedWithoutPacketTooBig() {
        Frame f = tcp(1400, new Random(2));
        f.mtu = 1280 + 39; // 1,279 left inside an IPIP tunnel
        assertEquals(0, tun.toRealServer(f, server(RS, TunnelType.IPIP, 0), 0));
        assertEquals(0, f.tooBigMtu, "a Packet Too Big below 1,280 would be discarded by the client");
    }

    @Test
    void randomPacketsAreWrappedWithValidOuterHeadersAndTheInnerPacketUntouched() {
        Random random = new Random(11);
        for (int i = 0; i < 400; i++) {
            TunnelType type = TunnelType.values()[i % 2];
            Frame f = tcp(random.nextInt(1400), random);
            int trafficClass = random.nextInt(256), hopLimit = 1 + random.nextInt(255);
            Ipv6.setTrafficClass(f.data, f.ipOffset, trafficClass);
            Ipv6.setHopLimit(f.data, f.ipOffset, hopLimit);
            byte[] inner = Arrays.copyOfRange(f.data, f.ipOffset, f.ipOffset + f.ipLength);
            int port = 1 + random.nextInt(65535);
            assertNotEquals(0, tun.toRealServer(f, server(RS, type, port), 0));
            byte[] b = f.data;
            int outer = f.ipOffset;
            int overhead = type == TunnelType.GUE ? 52 : 40;
            assertEquals(6, Ipv6.version(b, outer));
            assertEquals(inner.length + overhead, f.ipLength);
            assertEquals(f.ipLength - 40, Ipv6.payloadLength(b, outer));
            assertTrue(Ipv6.addressEquals(b, outer + Ipv6.SRC_OFFSET, DIRECTOR.hi(), DIRECTOR.lo()));
            assertTrue(Ipv6.addressEquals(b, outer + Ipv6.DST_OFFSET, RS.hi(), RS.lo()));
            assertEquals(trafficClass, Ipv6.trafficClass(b, outer), "traffic class copied");
            assertEquals(0, Ipv6.flowLabel(b, outer), "flow label 0, as IPVS");
            assertEquals(hopLimit, Ipv6.hopLimit(b, outer), "hop limit copied, as IPVS");
            if (type == TunnelType.GUE) {
                assertEquals(Ipv6.NEXT_UDP, Ipv6.nextHeader(b, outer));
                assertEquals(port, Udp.dstPort(b, outer + 40));
                assertEquals(inner.length + 12, Udp.length(b, outer + 40));
                assertEquals(0x00290000, Bytes.i32(b, outer + 48));
                assertTrue(Checksums6.l4ChecksumValid(b, outer, outer + 40, Ipv6.NEXT_UDP));
            } else {
                assertEquals(Ipv6.NEXT_IPV6, Ipv6.nextHeader(b, outer));
            }
            byte[] carried = Arrays.copyOfRange(b, outer + overhead, outer + f.ipLength);
            assertArrayEquals(inner, carried, "the inner packet is carried unchanged");
            assertTrue(Checksums6.l4ChecksumValid(b, outer + overhead, outer + overhead + 40, Ipv6.NEXT_TCP));
        }
    }

    @Test
    void ethernetPaddingAfterThePacketIsNotCarriedAndATruncatedPacketIsRefused() {
        Frame padded = frame(INNER + "000000000000", 1500);
        assertNotEquals(0, tun.toRealServer(padded, server(RS, TunnelType.IPIP, 0), 0));
        assertEquals(IPIP, HEX.formatHex(padded.data, padded.ipOffset, padded.ipOffset + padded.ipLength));

        Frame truncated = frame(INNER.substring(0, INNER.length() - 2), 1500);
        byte[] before = truncated.data.clone();
        assertEquals(0, tun.toRealServer(truncated, server(RS, TunnelType.IPIP, 0), 0));
        assertArrayEquals(before, truncated.data);
    }

    @Test
    void mixedFamiliesAndAMissingSourceAreRefused() {
        Frame v6 = frame(INNER, 1500);
        byte[] before = v6.data.clone();
        assertEquals(0, tun.toRealServer(v6, v4Server(), Ip4.parse("10.99.2.1")), "IPv6-in-IPv4");
        assertArrayEquals(before, v6.data);

        Frame v4 = new Frame(Frame.HEADROOM + 100);
        byte[] syn = HEX.parseHex("45100028123440003f0611610a6301020a6302649c40005001020304000000005002fffff7200000");
        System.arraycopy(syn, 0, v4.data, Frame.HEADROOM, syn.length);
        v4.ipOffset = Frame.HEADROOM;
        v4.ipLength = syn.length;
        v4.localHi = DIRECTOR.hi();
        v4.localLo = DIRECTOR.lo();
        byte[] before4 = v4.data.clone();
        assertEquals(0, tun.toRealServer(v4, server(RS, TunnelType.IPIP, 0), Ip4.parse("10.99.2.1")), "IPv4-in-IPv6");
        assertArrayEquals(before4, v4.data);

        Frame noSource = frame(INNER, 1500);
        noSource.localHi = 0;
        noSource.localLo = 0;
        assertEquals(0, tun.toRealServer(noSource, server(RS, TunnelType.IPIP, 0), 0), "no IPv6 address of ours");
    }

    @Test
    void gueSourcePortIsStablePerFlowAndSpreadAcrossFlows() {
        Set<Integer> ports = new HashSet<>();
        for (int clientPort = 30000; clientPort < 30200; clientPort++) {
            Frame a = tcp(10, new Random(clientPort));
            Frame b = tcp(500, new Random(-clientPort));
            Bytes.put16(a.data, a.ipOffset + 40, clientPort);
            Bytes.put16(b.data, b.ipOffset + 40, clientPort);
            int pa = Ipv6Tunnel.sourcePort(a.data, a.ipOffset, a.ipLength);
            assertEquals(pa, Ipv6Tunnel.sourcePort(b.data, b.ipOffset, b.ipLength), "one flow, one source port");
            assertTrue(pa >= 32768 && pa <= 60999, "in the ephemeral range: " + pa);
            ports.add(pa);
        }
        assertTrue(ports.size() > 190, "200 flows spread over the range: " + ports.size() + " ports");
    }

    @Test
    void gueSourcePortReadsThePortsBehindExtensionHeaders() {
        // The SYN behind a Destination Options header (PadN): next header 60, payload length 28.
        String withOptions = "6b8abcde001c3c3f" + INNER.substring(16, 80) + "0600010400000000" + INNER.substring(80);
        Set<Integer> ports = new HashSet<>();
        for (int clientPort = 30000; clientPort < 30100; clientPort++) {
            Frame f = frame(withOptions, 1500);
            Bytes.put16(f.data, f.ipOffset + 48, clientPort);
            ports.add(Ipv6Tunnel.sourcePort(f.data, f.ipOffset, f.ipLength));
        }
        assertTrue(ports.size() > 95, "the client port counts: " + ports.size() + " source ports for 100 flows");
        Frame f = frame(withOptions, 1500);
        assertNotEquals(0, tun.toRealServer(f, server(RS, TunnelType.GUE, 6080), 0));
        assertTrue(Checksums6.l4ChecksumValid(f.data, f.ipOffset, f.ipOffset + 40, Ipv6.NEXT_UDP));
    }

    private static Frame frame(String hex, int mtu) {
        byte[] packet = HEX.parseHex(hex);
        Frame f = new Frame(Frame.HEADROOM + 65536);
        System.arraycopy(packet, 0, f.data, Frame.HEADROOM, packet.length);
        f.ipOffset = Frame.HEADROOM;
        f.ipLength = packet.length;
        f.mtu = mtu;
        f.localHi = DIRECTOR.hi();
        f.localLo = DIRECTOR.lo();
        return f;
    }

    /** The golden SYN grown by {@code payload} random bytes, its checksum completed. */
    private static Frame tcp(int payload, Random random) {
        Frame f = frame(INNER, 0);
        byte[] b = f.data;
        int ip = f.ipOffset;
        Ipv6.setPayloadLength(b, ip, 20 + payload);
        for (int i = 0; i < payload; i++) b[ip + 60 + i] = (byte) random.nextInt();
        Checksums6.completeL4Checksum(b, ip, ip + 40, Ipv6.NEXT_TCP);
        f.ipLength = 60 + payload;
        return f;
    }

    private static RealServer server(Ip6Address address, TunnelType type, int port) {
        return new TestServer(address.fold(), address, type, port);
    }

    private static RealServer v4Server() {
        return new TestServer(Ip4.parse("10.99.2.12"), null, TunnelType.IPIP, 0);
    }

    private record TestServer(int address, Ip6Address address6, TunnelType tunnelType, int tunnelPort)
            implements RealServer {
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
