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
import org.jlvs.api.spi.Frame;
import org.jlvs.api.Ip4;
import org.jlvs.api.spi.RealServer;
import org.jlvs.api.TunnelType;
import org.jlvs.packet.Checksums;
import org.jlvs.packet.Ipv4;
import org.jlvs.packet.Udp;
import org.junit.jupiter.api.Test;

/**
 * Golden frames written independently of this code (a Python struct script; tcpdump decodes the IPIP one as
 * "10.99.2.1 > 10.99.2.12: IP ... 10.99.1.2.40000 > 10.99.2.100.80: Flags [S], cksum 0xf720 (correct)").
 */
class TunForwarderTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final int DIRECTOR = Ip4.parse("10.99.2.1");
    private static final int RS = Ip4.parse("10.99.2.12");

    /** TCP SYN 10.99.1.2:40000 -> 10.99.2.100:80, TOS 0x10, TTL 63, id 0x1234, DF. */
    private static final String INNER = "45100028123440003f0611610a6301020a6302649c40005001020304000000005002fffff7200000";
    /** Outer IPv4 10.99.2.1 -> 10.99.2.12, proto 4, TOS 0x10 and TTL 63 copied, DF copied, id 0. */
    private static final String IPIP = "4510003c000040003f0422dc0a6302010a63020c" + INNER;
    /** Outer IPv4 (proto 17) + UDP 40556 -> 6080, length 52, checksum 0 + GUE 00 04 00 00 (v0, IPIP). */
    private static final String GUE = "45100048000040003f1122c30a6302010a63020c" + "9e6c17c000340000" + "00040000" + INNER;
    /** The inner packet without DF, and its IPIP outer header: DF clear, id from the forwarder's counter (0). */
    private static final String INNER_NO_DF = "45100028123400003f0651610a6301020a6302649c40005001020304000000005002fffff7200000";
    private static final String IPIP_NO_DF = "4510003c000000003f0462dc0a6302010a63020c" + INNER_NO_DF;

    private final TunForwarder tun = new TunForwarder();

    @Test
    void ipipMatchesTheGoldenFrame() {
        assertEquals(ForwardMethod.TUNNEL, tun.method());
        Frame f = frame(INNER, 1500);
        assertEquals(RS, tun.toRealServer(f, server(TunnelType.IPIP, 0), DIRECTOR));
        assertEquals(IPIP, HEX.formatHex(f.data, f.ipOffset, f.ipOffset + f.ipLength));
        assertEquals(Frame.HEADROOM - 20, f.ipOffset, "the outer header sits in the headroom");
    }

    @Test
    void gueMatchesTheGoldenFrame() {
        Frame f = frame(INNER, 1500);
        assertEquals(RS, tun.toRealServer(f, server(TunnelType.GUE, 6080), DIRECTOR));
        assertEquals(GUE, HEX.formatHex(f.data, f.ipOffset, f.ipOffset + f.ipLength));
        assertEquals(Frame.HEADROOM - 32, f.ipOffset);
    }

    @Test
    void withoutDfTheOuterHeaderMayBeFragmentedAndGetsIdentifications() {
        Frame first = frame(INNER_NO_DF, 1500);
        tun.toRealServer(first, server(TunnelType.IPIP, 0), DIRECTOR);
        assertEquals(IPIP_NO_DF, HEX.formatHex(first.data, first.ipOffset, first.ipOffset + first.ipLength));
        Frame second = frame(INNER_NO_DF, 1500);
        tun.toRealServer(second, server(TunnelType.IPIP, 0), DIRECTOR);
        assertEquals(1, Ipv4.id(second.data, second.ipOffset), "each fragmentable packet its own id");

        // larger than the MTU once wrapped, but fragmentable: wrapped all the same, the core fragments it
        Frame big = tcp(1460, false);
        big.mtu = 1500;
        assertEquals(RS, tun.toRealServer(big, server(TunnelType.IPIP, 0), DIRECTOR));
        assertEquals(1520, big.ipLength);
        assertEquals(0, big.tooBigMtu);
    }

    @Test
    void dfAndTooBigForTheTunnelAsksForFragmentationNeededWithTheReducedMtu() {
        for (TunnelType type : TunnelType.values()) {
            int fits = 1500 - type.overhead();
            Frame tooBig = tcp(fits - 40 + 1, true);
            tooBig.mtu = 1500;
            byte[] before = tooBig.data.clone();
            assertEquals(0, tun.toRealServer(tooBig, server(type, 6080), DIRECTOR));
            assertEquals(fits, tooBig.tooBigMtu, type + ": the MTU left inside the tunnel");
            assertArrayEquals(before, tooBig.data, "a refused packet stays as it was, for the ICMP quote");
            assertEquals(Frame.HEADROOM, tooBig.ipOffset);

            Frame justFits = tcp(fits - 40, true);
            justFits.mtu = 1500;
            assertEquals(RS, tun.toRealServer(justFits, server(type, 6080), DIRECTOR));
            assertEquals(1500, justFits.ipLength);
        }
    }

    @Test
    void noSourceAddressTowardTheServerDrops() {
        assertEquals(0, tun.toRealServer(frame(INNER, 1500), server(TunnelType.IPIP, 0), 0));
    }

    @Test
    void randomPacketsAreWrappedWithValidHeadersAndTheInnerPacketUntouched() {
        Random random = new Random(11);
        for (int i = 0; i < 500; i++) {
            TunnelType type = TunnelType.values()[i % 2];
            Frame f = tcp(random.nextInt(1400), random.nextBoolean());
            Ipv4.setTtl(f.data, f.ipOffset, 1 + random.nextInt(255));
            Ipv4.setTos(f.data, f.ipOffset, random.nextInt(256));
            Ipv4.updateHeaderChecksum(f.data, f.ipOffset);
            byte[] inner = Arrays.copyOfRange(f.data, f.ipOffset, f.ipOffset + f.ipLength);
            int port = 1 + random.nextInt(65535);
            assertEquals(RS, tun.toRealServer(f, server(type, port), DIRECTOR));
            byte[] b = f.data;
            int outer = f.ipOffset;
            assertTrue(Ipv4.headerChecksumValid(b, outer));
            assertEquals(f.ipLength, Ipv4.totalLength(b, outer));
            assertEquals(inner.length + type.overhead(), f.ipLength);
            assertEquals(DIRECTOR, Ipv4.src(b, outer));
            assertEquals(RS, Ipv4.dst(b, outer));
            assertEquals(inner[1] & 0xff, Ipv4.tos(b, outer), "TOS copied");
            assertEquals(inner[8] & 0xff, Ipv4.ttl(b, outer), "TTL copied");
            assertEquals((inner[6] & 0x40) != 0, Ipv4.dontFragment(b, outer), "DF copied");
            if (type == TunnelType.GUE) {
                assertEquals(Ipv4.PROTO_UDP, Ipv4.protocol(b, outer));
                assertEquals(port, Udp.dstPort(b, outer + 20));
                assertEquals(inner.length + 12, Udp.length(b, outer + 20));
                assertEquals(0x00040000, org.jlvs.packet.Bytes.i32(b, outer + 28));
            } else {
                assertEquals(Ipv4.PROTO_IPIP, Ipv4.protocol(b, outer));
            }
            byte[] carried = Arrays.copyOfRange(b, outer + type.overhead(), outer + f.ipLength);
            assertArrayEquals(inner, carried, "the inner packet is carried unchanged");
            assertTrue(Checksums.l4ChecksumValid(b, outer + type.overhead()));
        }
    }

    @Test
    void gueSourcePortIsStablePerFlowAndSpreadAcrossFlows() {
        Set<Integer> ports = new HashSet<>();
        for (int clientPort = 30000; clientPort < 30200; clientPort++) {
            Frame a = tcp(10, true);
            setClientPort(a, clientPort);
            Frame b = tcp(500, true);
            setClientPort(b, clientPort);
            int pa = TunForwarder.sourcePort(a.data, a.ipOffset);
            assertEquals(pa, TunForwarder.sourcePort(b.data, b.ipOffset), "one flow, one source port");
            assertTrue(pa >= 32768 && pa <= 60999, "in the ephemeral range: " + pa);
            ports.add(pa);
        }
        assertTrue(ports.size() > 190, "200 flows spread over the range: " + ports.size() + " ports");
        assertNotEquals(0, ports.iterator().next());
    }

    private static void setClientPort(Frame f, int port) {
        int l4 = f.ipOffset + 20;
        f.data[l4] = (byte) (port >> 8);
        f.data[l4 + 1] = (byte) port;
    }

    private static Frame frame(String hex, int mtu) {
        byte[] packet = HEX.parseHex(hex);
        Frame f = new Frame(Frame.HEADROOM + 65536);
        System.arraycopy(packet, 0, f.data, Frame.HEADROOM, packet.length);
        f.ipOffset = Frame.HEADROOM;
        f.ipLength = packet.length;
        f.mtu = mtu;
        return f;
    }

    /** A client's TCP segment with {@code payload} bytes and a complete checksum at HEADROOM. */
    private static Frame tcp(int payload, boolean df) {
        Frame f = frame(df ? INNER : INNER_NO_DF, 0);
        byte[] b = f.data;
        int ip = f.ipOffset;
        Ipv4.setTotalLength(b, ip, 40 + payload);
        Ipv4.updateHeaderChecksum(b, ip);
        for (int i = 0; i < payload; i++) b[ip + 40 + i] = (byte) (i * 7);
        b[ip + 36] = 0;
        b[ip + 37] = 0;
        int sum = Checksums.l4Checksum(b, ip);
        b[ip + 36] = (byte) (sum >> 8);
        b[ip + 37] = (byte) sum;
        f.ipLength = 40 + payload;
        return f;
    }

    private static RealServer server(TunnelType type, int port) {
        return new RealServer() {
            @Override public int address() { return RS; }
            @Override public int port() { return 80; }
            @Override public ForwardMethod forwardMethod() { return ForwardMethod.TUNNEL; }
            @Override public TunnelType tunnelType() { return type; }
            @Override public int tunnelPort() { return type == TunnelType.GUE ? port : 0; }
            @Override public int weight() { return 1; }
            @Override public int lastWeight() { return 1; }
            @Override public int activeConns() { return 0; }
            @Override public int inactiveConns() { return 0; }
            @Override public int persistentConns() { return 0; }
            @Override public boolean overloaded() { return false; }
        };
    }
}
