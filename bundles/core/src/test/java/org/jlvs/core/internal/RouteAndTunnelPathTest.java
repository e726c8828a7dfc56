package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.LvsException;
import org.jlvs.api.Protocol;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.TunnelType;
import org.jlvs.core.internal.DataPlaneTest.FakeChannel;
import org.jlvs.forward.dr.internal.DrForwarder;
import org.jlvs.forward.nat.internal.NatForwarder;
import org.jlvs.forward.tun.internal.TunForwarder;
import org.jlvs.packet.Arp;
import org.jlvs.packet.Checksums;
import org.jlvs.packet.Ethernet;
import org.jlvs.packet.Icmp;
import org.jlvs.packet.Ipv4;
import org.jlvs.packet.Tcp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Direct routing and tunnelling through the packet path with the real forwarders, on one server LAN as in a
 * routed deployment: the client's frames come from its router, the director and the real servers share a LAN.
 * One service mixes NAT, DR, IPIP and GUE servers; the scheduler picks by client port (port % 4).
 */
class RouteAndTunnelPathTest {
    private static final long ROUTER_MAC = 0x0200000000feL, DIR_MAC = 0x0200000000c2L;
    private static final int CLIENT = Ip4.parse("10.99.1.2"), VIP = Ip4.parse("10.99.2.100"),
            DIR = Ip4.parse("10.99.2.1");
    private static final int[] RS = {Ip4.parse("10.99.2.11"), Ip4.parse("10.99.2.12"), Ip4.parse("10.99.2.13"),
            Ip4.parse("10.99.2.14")};
    private static final long[] RS_MAC = {0x020000000011L, 0x020000000012L, 0x020000000013L, 0x020000000014L};
    private static final int NAT = 0, DR = 1, IPIP = 2, GUE = 3;
    private static final ServiceKey WEB = new ServiceKey(Protocol.TCP, VIP, 80);

    private final FakeChannel lan = new FakeChannel("eth0");
    private DataPlane plane;
    private PacketPath path;
    private final Scheduler byClientPort = service -> flow -> service.realServers().get(flow.clientPort() % 4);

    @BeforeEach
    void setUp() {
        plane = new DataPlane(System::nanoTime, Path.of("/nonexistent/route"), Path.of("/nonexistent/arp"), Runnable::run);
        Link link = new Link("eth0", lan, DIR_MAC, DIR, 24, plane.newNeighbours("eth0"));
        path = new PacketPath(plane, link);
        plane.addLink(link);
        plane.services.schedulerAdded("byport", byClientPort);
        plane.services.forwarderAdded(ForwardMethod.MASQ, new NatForwarder());
        plane.services.forwarderAdded(ForwardMethod.ROUTE, new DrForwarder());
        plane.services.forwarderAdded(ForwardMethod.TUNNEL, new TunForwarder());
        plane.services.addService(ServiceConfig.of(WEB, "byport"));
        lan.only(); // the gratuitous ARP for the VIP
        addServer(NAT, ServerConfig.of(RS[NAT], 8080, ForwardMethod.MASQ, 1));
        addServer(DR, ServerConfig.of(RS[DR], 80, ForwardMethod.ROUTE, 1));
        addServer(IPIP, ServerConfig.tunnel(RS[IPIP], 80, 1, TunnelType.IPIP, 0));
        addServer(GUE, ServerConfig.tunnel(RS[GUE], 80, 1, TunnelType.GUE, 6080));
    }

    private void addServer(int i, ServerConfig config) {
        plane.services.addServer(WEB, config);
        assertEquals(RS[i], Arp.targetIp(lan.only(), 14));
        byte[] reply = new byte[42];
        Arp.writeFrame(reply, 0, DIR_MAC, RS_MAC[i], Arp.REPLY, RS_MAC[i], RS[i], DIR_MAC, DIR);
        path.onFrame(reply, 42);
    }

    @Test
    void directRoutingChangesOnlyTheMacsAndCompletesAPartialChecksum() {
        byte[] syn = segment(40000 + DR, Tcp.SYN, 0, true, true);
        path.onFrame(syn, syn.length);
        byte[] out = lan.only();
        assertEquals(RS_MAC[DR], Ethernet.dst(out, 0));
        assertEquals(DIR_MAC, Ethernet.src(out, 0));
        assertEquals(syn.length, out.length);
        assertTrue(Checksums.l4ChecksumValid(out, 14), "the partial checksum leaves complete");
        byte[] expected = syn.clone();
        System.arraycopy(out, 0, expected, 0, 12); // the MACs
        expected[14 + 36] = out[14 + 36];            // the completed TCP checksum
        expected[14 + 37] = out[14 + 37];
        assertArrayEquals(expected, out, "nothing else changed: addresses, ports, TTL, IP checksum");

        byte[] complete = segment(40000 + DR, Tcp.ACK, 100, false, true);
        path.onFrame(complete, complete.length);
        byte[] data = lan.only();
        assertArrayEquals(Arrays.copyOfRange(complete, 12, complete.length), Arrays.copyOfRange(data, 12, data.length));
    }

    @Test
    void tunnelsWrapTheCompletedPacketForTheirServers() {
        for (int i : new int[] {IPIP, GUE}) {
            byte[] syn = segment(40000 + i, Tcp.SYN, 0, true, true);
            path.onFrame(syn, syn.length);
            byte[] out = lan.only();
            int overhead = i == IPIP ? 20 : 32;
            assertEquals(RS_MAC[i], Ethernet.dst(out, 0));
            assertEquals(Ethernet.TYPE_IPV4, Ethernet.type(out, 0));
            assertEquals(syn.length + overhead, out.length);
            assertEquals(DIR, Ipv4.src(out, 14));
            assertEquals(RS[i], Ipv4.dst(out, 14));
            assertEquals(i == IPIP ? Ipv4.PROTO_IPIP : Ipv4.PROTO_UDP, Ipv4.protocol(out, 14));
            assertTrue(Ipv4.headerChecksumValid(out, 14));
            int inner = 14 + overhead;
            assertEquals(VIP, Ipv4.dst(out, inner));
            assertTrue(Checksums.l4ChecksumValid(out, inner), "the inner checksum was completed before wrapping");
        }
    }

    @Test
    void aMixedServiceSendsEachConnectionByItsServersMethodAndNatRepliesReturn() {
        byte[] nat = segment(40000 + NAT, Tcp.SYN, 0, false, true);
        path.onFrame(nat, nat.length);
        byte[] toNat = lan.only();
        assertEquals(RS[NAT], Ipv4.dst(toNat, 14));
        assertEquals(8080, Tcp.dstPort(toNat, 34));
        byte[] reply = new byte[54];
        Ethernet.writeHeader(reply, 0, DIR_MAC, RS_MAC[NAT], Ethernet.TYPE_IPV4);
        Ipv4.writeHeader(reply, 14, 0, 40, 1, true, 64, 6, RS[NAT], CLIENT);
        reply[34] = (byte) (8080 >> 8);
        reply[35] = (byte) 8080;
        reply[36] = (byte) (40000 >> 8);
        reply[37] = (byte) 40000;
        reply[46] = 0x50;
        reply[47] = (byte) (Tcp.SYN | Tcp.ACK);
        int sum = Checksums.l4Checksum(reply, 14);
        reply[50] = (byte) (sum >> 8);
        reply[51] = (byte) sum;
        path.onFrame(reply, reply.length);
        byte[] back = lan.only();
        assertEquals(ROUTER_MAC, Ethernet.dst(back, 0), "the reply goes back through the client's router");
        assertEquals(VIP, Ipv4.src(back, 14));

        for (int i : new int[] {DR, IPIP, GUE}) {
            byte[] syn = segment(40000 + i, Tcp.SYN, 0, false, true);
            path.onFrame(syn, syn.length);
            assertEquals(RS_MAC[i], Ethernet.dst(lan.only(), 0));
        }
        var info = plane.services.get(WEB);
        for (var s : info.servers()) assertEquals(1, s.stats().conns(), s.config().endpoint());
    }

    @Test
    void dfAndTooBigForTheTunnelIsAnsweredWithFragmentationNeeded() {
        for (int i : new int[] {IPIP, GUE}) {
            int mtu = 1500 - (i == IPIP ? 20 : 32);
            byte[] big = segment(40000 + i, Tcp.SYN, 1460, false, true); // a 1500-byte packet with DF
            path.onFrame(big, big.length);
            byte[] icmp = lan.only();
            assertEquals(ROUTER_MAC, Ethernet.dst(icmp, 0));
            assertEquals(DIR_MAC, Ethernet.src(icmp, 0));
            assertEquals(Ipv4.PROTO_ICMP, Ipv4.protocol(icmp, 14));
            assertEquals(VIP, Ipv4.src(icmp, 14), "from the virtual address, as IPVS answers");
            assertEquals(CLIENT, Ipv4.dst(icmp, 14));
            assertTrue(Ipv4.headerChecksumValid(icmp, 14));
            assertEquals(Icmp.DEST_UNREACH, Icmp.type(icmp, 34));
            assertEquals(Icmp.CODE_FRAG_NEEDED, Icmp.code(icmp, 34));
            assertEquals(mtu, Icmp.nextHopMtu(icmp, 34));
            assertEquals(0xffff, Checksums.fold(Checksums.sum(icmp, 34, Ipv4.totalLength(icmp, 14) - 20, 0)));
            // the quote is the client's own packet (IP header and the start of TCP), untouched
            assertArrayEquals(Arrays.copyOfRange(big, 14, 14 + 20 + 8), Arrays.copyOfRange(icmp, 42, 42 + 28));

            byte[] fits = segment(40000 + i, Tcp.ACK, mtu - 40, false, true);
            path.onFrame(fits, fits.length);
            assertEquals(1514, lan.only().length, "a packet of the advertised MTU passes");
        }
        Map<String, Long> counters = plane.counters();
        assertEquals(2L, counters.get("frag_needed_sent"));
        assertEquals(2L, counters.get("dropped_too_big"));
    }

    @Test
    void withoutDfATooBigTunnelPacketLeavesInFragmentsThatReassemble() {
        byte[] big = segment(40000 + IPIP, Tcp.SYN, 1460, false, false);
        path.onFrame(big, big.length);
        List<byte[]> fragments = List.copyOf(lan.sent);
        lan.sent.clear();
        assertEquals(2, fragments.size());
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        for (int k = 0; k < 2; k++) {
            byte[] f = fragments.get(k);
            assertTrue(f.length <= 1514);
            assertEquals(RS_MAC[IPIP], Ethernet.dst(f, 0));
            assertTrue(Ipv4.headerChecksumValid(f, 14));
            assertEquals(Ipv4.PROTO_IPIP, Ipv4.protocol(f, 14));
            assertEquals(k == 0, Ipv4.moreFragments(f, 14));
            assertEquals(payload.size(), Ipv4.fragmentOffset(f, 14));
            assertEquals(Ipv4.id(fragments.get(0), 14), Ipv4.id(f, 14));
            payload.write(f, 34, Ipv4.totalLength(f, 14) - 20);
        }
        byte[] inner = payload.toByteArray();
        assertEquals(1500, inner.length);
        assertArrayEquals(Arrays.copyOfRange(big, 14, 14 + 20), Arrays.copyOfRange(inner, 0, 20));
        assertArrayEquals(Arrays.copyOfRange(big, 34 + 20, big.length), Arrays.copyOfRange(inner, 40, 1500));
        assertEquals(2L, plane.counters().get("fragments_sent"));
    }

    /**
     * A router's "fragmentation needed" for a reply a DR/TUN server sent from the VIP: to the VIP, quoting
     * VIP:80 -> client. The director passes it on to that server by the connection's method.
     */
    @Test
    void fragmentationNeededForADirectRoutingOrTunnelReplyReachesItsRealServer() {
        for (int i : new int[] {DR, IPIP, GUE}) {
            byte[] syn = segment(40000 + i, Tcp.SYN, 0, false, true);
            path.onFrame(syn, syn.length);
            lan.only();
            byte[] icmp = fragNeededForReply(40000 + i, true);
            path.onFrame(icmp, icmp.length);
            byte[] out = lan.only();
            assertEquals(RS_MAC[i], Ethernet.dst(out, 0), "to the connection's real server");
            int inner = 14 + (i == DR ? 0 : i == IPIP ? 20 : 32);
            if (i != DR) {
                assertEquals(RS[i], Ipv4.dst(out, 14), "wrapped for the tunnel");
                assertEquals(DIR, Ipv4.src(out, 14));
            }
            assertArrayEquals(Arrays.copyOfRange(icmp, 14, icmp.length), Arrays.copyOfRange(out, inner, out.length),
                    "the error itself, unchanged: the server's kernel reads the MTU and the quote");
        }
        assertEquals(3L, plane.counters().get("icmp_errors_forwarded"));

        byte[] corrupted = fragNeededForReply(40000 + DR, false);
        path.onFrame(corrupted, corrupted.length);
        assertEquals(0, lan.sent.size(), "an error with a bad checksum is not passed on");
        assertEquals(1L, plane.counters().get("dropped_bad_checksum"));
        byte[] unknown = fragNeededForReply(50000, true);
        path.onFrame(unknown, unknown.length);
        assertEquals(0, lan.sent.size());
        assertEquals(1L, plane.counters().get("dropped_icmp_unrelated"));
    }

    /** ICMP frag needed (MTU 1400) from the router 10.99.2.254 to the VIP about VIP:80 -> client:clientPort. */
    private static byte[] fragNeededForReply(int clientPort, boolean goodChecksum) {
        byte[] quote = new byte[20 + 8];
        Ipv4.writeHeader(quote, 0, 0, 1500, 7, true, 63, 6, VIP, CLIENT);
        quote[20] = 0;
        quote[21] = 80;
        quote[22] = (byte) (clientPort >> 8);
        quote[23] = (byte) clientPort;
        byte[] f = new byte[14 + 20 + 8 + quote.length];
        Ethernet.writeHeader(f, 0, DIR_MAC, ROUTER_MAC, Ethernet.TYPE_IPV4);
        Ipv4.writeHeader(f, 14, 0xc0, 20 + 8 + quote.length, 9, false, 64, 1, Ip4.parse("10.99.2.254"), VIP);
        f[34] = Icmp.DEST_UNREACH;
        f[35] = Icmp.CODE_FRAG_NEEDED;
        f[40] = 1400 >> 8;
        f[41] = (byte) (1400 & 0xff);
        System.arraycopy(quote, 0, f, 42, quote.length);
        int sum = Checksums.finish(Checksums.sum(f, 34, 8 + quote.length, 0)) ^ (goodChecksum ? 0 : 1);
        f[36] = (byte) (sum >> 8);
        f[37] = (byte) sum;
        return f;
    }

    @Test
    void routeAndTunnelServersMustUseTheServicePort() {
        plane.services.addService(ServiceConfig.of(new ServiceKey(Protocol.TCP, VIP, 443), "byport"));
        ServiceKey tls = new ServiceKey(Protocol.TCP, VIP, 443);
        LvsException dr = assertThrows(LvsException.class,
                () -> plane.services.addServer(tls, ServerConfig.of(RS[DR], 8443, ForwardMethod.ROUTE, 1)));
        assertEquals("real server 10.99.2.12:8443: with Route (-g) the real server's port must be the service's"
                + " port 443", dr.getMessage());
        assertThrows(LvsException.class,
                () -> plane.services.addServer(tls, ServerConfig.tunnel(RS[IPIP], 80, 1, TunnelType.IPIP, 0)));
        plane.services.addServer(tls, ServerConfig.of(RS[NAT], 8443, ForwardMethod.MASQ, 1));
        assertThrows(LvsException.class,
                () -> plane.services.editServer(tls, ServerConfig.of(RS[NAT], 8443, ForwardMethod.ROUTE, 1)));
        assertEquals(ForwardMethod.MASQ, plane.services.get(tls).servers().get(0).config().method());
    }

    /**
     * A client's TCP segment to VIP:80 as the router delivers it: TTL 63, TOS 0x10, with a partial (offloaded)
     * or complete checksum.
     */
    private static byte[] segment(int clientPort, int flags, int payload, boolean partial, boolean df) {
        byte[] f = new byte[14 + 40 + payload];
        Ethernet.writeHeader(f, 0, DIR_MAC, ROUTER_MAC, Ethernet.TYPE_IPV4);
        Ipv4.writeHeader(f, 14, 0x10, 40 + payload, 0x4321, df, 63, 6, CLIENT, VIP);
        int l4 = 34;
        f[l4] = (byte) (clientPort >> 8);
        f[l4 + 1] = (byte) clientPort;
        f[l4 + 3] = 80;
        f[l4 + 12] = 0x50;
        f[l4 + 13] = (byte) flags;
        f[l4 + 14] = (byte) 0xff;
        for (int i = 0; i < payload; i++) f[54 + i] = (byte) (i * 31);
        int sum = partial ? Checksums.fold(Checksums.pseudoHeaderSum(CLIENT, VIP, 6, 20 + payload))
                : Checksums.l4Checksum(f, 14);
        f[l4 + 16] = (byte) (sum >> 8);
        f[l4 + 17] = (byte) sum;
        return f;
    }
}
