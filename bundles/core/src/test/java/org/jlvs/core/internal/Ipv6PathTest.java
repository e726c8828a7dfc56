package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.ha.DirectorRole;
import org.jlvs.api.spi.Flow;
import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.packet.Ethernet;
import org.jlvs.packet.Icmpv6;
import org.jlvs.packet.Ipv6;
import org.jlvs.packet.Ndp;
import org.jlvs.packet.Tcp;
import org.jlvs.packet.Udp;
import org.jlvs.core.internal.DataPlaneTest.FakeChannel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The IPv6 packet path end to end on fake interfaces, with the lab's dual-stack addresses. */
class Ipv6PathTest {
    private static final long CLIENT_MAC = 0x020000000002L, DIR_C_MAC = 0x0200000000c1L, DIR_S_MAC = 0x0200000000c2L;
    private static final Ip6Address CLIENT = Ip6Address.parse("2001:db8:99:1::2"),
            VIP6 = Ip6Address.parse("2001:db8:99:1::100"), DIR_C = Ip6Address.parse("2001:db8:99:1::1"),
            DIR_S = Ip6Address.parse("2001:db8:99:2::1"), ROUTER = Ip6Address.parse("2001:db8:99:1::fe");
    private static final long ROUTER_MAC = 0x0200000000feL;
    private static final Ip6Address[] RS = {Ip6Address.parse("2001:db8:99:2::11"),
        Ip6Address.parse("2001:db8:99:2::12"), Ip6Address.parse("2001:db8:99:2::13")};
    private static final long[] RS_MAC = {0x020000000011L, 0x020000000012L, 0x020000000013L};
    private static final ServiceKey WEB6 = new ServiceKey(Protocol.TCP, VIP6, 80);
    private static final ServiceKey DNS6 = new ServiceKey(Protocol.UDP, VIP6, 53);
    private static final int MAX_CONNECTIONS = 16; // the IPv6 table takes half: 8

    private final FakeChannel clientSide = new FakeChannel("eth0");
    private final FakeChannel serverSide = new FakeChannel("eth1");
    private final long[] now = {1_000_000_000L};
    private final List<Flow> scheduled = new ArrayList<>();
    private DataPlane plane;
    private PacketPath clientPath;
    private PacketPath serverPath;
    private final TestForwarders6.Nat nat = new TestForwarders6.Nat();

    /** Round robin, recording what each flow told the scheduler. */
    private final Scheduler rr = service -> new Scheduler.Binding() {
        private int next;

        @Override
        public RealServer schedule(Flow flow) {
            scheduled.add(new RecordedFlow(flow.ipv6(), flow.clientAddressHi(), flow.clientAddressLo(),
                    flow.virtualAddressHi(), flow.virtualAddressLo(), flow.clientAddress(), flow.clientPort()));
            List<? extends RealServer> servers = service.realServers();
            return servers.isEmpty() ? null : servers.get(next++ % servers.size());
        }
    };

    record RecordedFlow(boolean ipv6, long clientHi, long clientLo, long virtualHi, long virtualLo, int clientFold,
                        int clientPort) implements Flow {
        @Override public Protocol protocol() { return Protocol.TCP; }
        @Override public int clientAddress() { return clientFold; }
        @Override public int virtualAddress() { return 0; }
        @Override public int virtualPort() { return 0; }
    }

    @BeforeEach
    void setUp() {
        plane = new DataPlane(() -> now[0], Path.of("/nonexistent/route"), Path.of("/nonexistent/arp"), Runnable::run,
                MAX_CONNECTIONS);
        clientPath = link(clientSide, DIR_C_MAC, DIR_C);
        serverPath = link(serverSide, DIR_S_MAC, DIR_S);
        plane.services.schedulerAdded("rr", rr);
        plane.services.forwarderAdded(ForwardMethod.MASQ, nat);
        plane.services.forwarderAdded(ForwardMethod.ROUTE, new TestForwarders6.Dr());
        plane.services.addService(ServiceConfig.of(WEB6, "rr"));
        for (FakeChannel side : List.of(clientSide, serverSide)) {
            byte[] na = side.only();
            assertEquals(Ethernet.TYPE_IPV6, Ethernet.type(na, 0));
            assertEquals(Icmpv6.NEIGHBOUR_ADVERTISEMENT, Icmpv6.type(na, Frames6.L4), "a new VIP6 is announced");
            assertEquals(VIP6, new Ip6Address(Ndp.targetHi(na, Frames6.L4), Ndp.targetLo(na, Frames6.L4)));
            assertEquals(Ipv6.multicastMac(Ipv6.ALL_NODES_LO), Ethernet.dst(na, 0));
            assertFalse(Ndp.isSolicited(na, Frames6.L4));
            assertTrue(Frames6.checksumValid(na));
        }
    }

    private PacketPath link(FakeChannel channel, long mac, Ip6Address address) {
        Link link = new Link(channel.name, channel, mac, 0, 0, plane.newNeighbours(channel.name), address.hi(),
                address.lo(), 64, 0xfe80_0000_0000_0000L, mac);
        PacketPath path = new PacketPath(plane, link);
        plane.addLink(link);
        return path;
    }

    /** Adds the real servers to {@code key}; each is solicited on the server side and answers. */
    private void addServers(ServiceKey key, int port, ForwardMethod method, int count) {
        for (int i = 0; i < count; i++) {
            plane.services.addServer(key, ServerConfig.of(RS[i], port, method, 1));
            byte[] ns = serverSide.only();
            long group = Ipv6.solicitedNodeLo(RS[i].lo());
            assertEquals(Ipv6.multicastMac(group), Ethernet.dst(ns, 0));
            assertEquals(DIR_S_MAC, Ethernet.src(ns, 0));
            assertEquals(Icmpv6.NEIGHBOUR_SOLICITATION, Icmpv6.type(ns, Frames6.L4));
            assertEquals(RS[i], new Ip6Address(Ndp.targetHi(ns, Frames6.L4), Ndp.targetLo(ns, Frames6.L4)));
            assertEquals(DIR_S, Frames6.src(ns), "from the link's own address");
            assertEquals(new Ip6Address(Ipv6.SOLICITED_NODE_HI, group), Frames6.dst(ns));
            assertEquals(255, Ipv6.hopLimit(ns, Frames6.IP));
            assertTrue(Frames6.checksumValid(ns));
            byte[] na = Frames6.advertisement(RS_MAC[i], DIR_S_MAC, RS[i], DIR_S);
            serverPath.onFrame(na, na.length);
            assertEquals(0, serverSide.sent.size());
        }
    }

    private Map<String, Long> counters() {
        return plane.counters();
    }

    @Test
    void neighbourSolicitationForTheVip6IsAnsweredOnlyForIt() {
        byte[] ns = Frames6.solicitation(CLIENT_MAC, CLIENT, VIP6);
        clientPath.onFrame(ns, ns.length);
        byte[] na = clientSide.only();
        int icmp = Frames6.L4;
        assertEquals(Icmpv6.NEIGHBOUR_ADVERTISEMENT, Icmpv6.type(na, icmp));
        assertEquals(CLIENT_MAC, Ethernet.dst(na, 0), "to the source link-layer address");
        assertEquals(DIR_C_MAC, Ethernet.src(na, 0));
        assertEquals(VIP6, Frames6.src(na));
        assertEquals(CLIENT, Frames6.dst(na));
        assertEquals(VIP6, new Ip6Address(Ndp.targetHi(na, icmp), Ndp.targetLo(na, icmp)));
        assertTrue(Ndp.isSolicited(na, icmp) && Ndp.isOverride(na, icmp) && !Ndp.isRouter(na, icmp));
        assertEquals(DIR_C_MAC, Ndp.linkLayerAddress(na, icmp + Ndp.MESSAGE_LENGTH, na.length, Ndp.OPTION_TARGET_LLA));
        assertEquals(255, Ipv6.hopLimit(na, Frames6.IP));
        assertTrue(Frames6.checksumValid(na), "the advertisement's checksum verifies");
        assertEquals(1L, counters().get("neighbour_advertisements") - 2, "beside the two announcements");

        byte[] forHost = Frames6.solicitation(CLIENT_MAC, CLIENT, DIR_C);
        clientPath.onFrame(forHost, forHost.length);
        assertEquals(0, clientSide.sent.size(), "the director's own address is the kernel's business");

        byte[] hopped = Frames6.solicitation(CLIENT_MAC, CLIENT, VIP6);
        Ipv6.setHopLimit(hopped, Frames6.IP, 254);
        clientPath.onFrame(hopped, hopped.length);
        assertEquals(0, clientSide.sent.size(), "a routed solicitation is refused (RFC 4861 7.1.1)");
        assertEquals(1L, counters().get("dropped_malformed"));
    }

    @Test
    void echoToTheVip6IsAnswered() {
        byte[] ping = Frames6.echoRequest(CLIENT_MAC, DIR_C_MAC, CLIENT, VIP6);
        clientPath.onFrame(ping, ping.length);
        byte[] pong = clientSide.only();
        assertEquals(Icmpv6.ECHO_REPLY, Icmpv6.type(pong, Frames6.L4));
        assertEquals(VIP6, Frames6.src(pong));
        assertEquals(CLIENT, Frames6.dst(pong));
        assertEquals(CLIENT_MAC, Ethernet.dst(pong, 0));
        assertEquals(0x1234, Icmpv6.identifier(pong, Frames6.L4));
        assertTrue(Frames6.checksumValid(pong));
        assertEquals(1L, counters().get("echo_replies"));

        byte[] corrupt = Frames6.echoRequest(CLIENT_MAC, DIR_C_MAC, CLIENT, VIP6);
        corrupt[corrupt.length - 1] ^= 1;
        clientPath.onFrame(corrupt, corrupt.length);
        assertEquals(0, clientSide.sent.size());
        assertEquals(1L, counters().get("dropped_bad_checksum"));

        byte[] toHost = Frames6.echoRequest(CLIENT_MAC, DIR_C_MAC, CLIENT, DIR_C);
        clientPath.onFrame(toHost, toHost.length);
        assertEquals(0, clientSide.sent.size(), "the host answers its own pings");
    }

    @Test
    void tcpSynsAreSpreadOverThreeServersAndRepliesComeBackFromTheVip6() {
        addServers(WEB6, 8080, ForwardMethod.MASQ, 3);
        Map<Long, Integer> perServer = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            byte[] syn = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000 + i, VIP6, 80, Tcp.SYN, 0, i == 0);
            clientPath.onFrame(syn, syn.length);
            byte[] out = serverSide.only();
            perServer.merge(Ethernet.dst(out, 0), 1, Integer::sum);
            assertEquals(DIR_S_MAC, Ethernet.src(out, 0));
            assertEquals(Ethernet.TYPE_IPV6, Ethernet.type(out, 0));
            assertEquals(RS[i], Frames6.dst(out));
            assertEquals(CLIENT, Frames6.src(out), "NAT keeps the client's address");
            assertEquals(8080, Tcp.dstPort(out, Frames6.L4));
            assertTrue(Frames6.checksumValid(out), "a partial checksum leaves complete, the rewrite keeps it right");
        }
        assertEquals(Map.of(RS_MAC[0], 1, RS_MAC[1], 1, RS_MAC[2], 1), perServer, "1/1/1");
        RecordedFlow first = (RecordedFlow) scheduled.get(0);
        assertTrue(first.ipv6());
        assertEquals(CLIENT.hi(), first.clientHi());
        assertEquals(CLIENT.lo(), first.clientLo());
        assertEquals(VIP6.hi(), first.virtualHi());
        assertEquals(VIP6.lo(), first.virtualLo());
        assertEquals(CLIENT.fold(), first.clientFold(), "the int address is the fold");

        byte[] synAck = Frames6.tcp(RS_MAC[1], DIR_S_MAC, RS[1], 8080, CLIENT, 40001, Tcp.SYN | Tcp.ACK, 0, true);
        serverPath.onFrame(synAck, synAck.length);
        byte[] back = clientSide.only();
        assertEquals(CLIENT_MAC, Ethernet.dst(back, 0), "to the MAC the client's frames came from");
        assertEquals(DIR_C_MAC, Ethernet.src(back, 0));
        assertEquals(VIP6, Frames6.src(back));
        assertEquals(CLIENT, Frames6.dst(back));
        assertEquals(80, Tcp.srcPort(back, Frames6.L4));
        assertTrue(Frames6.checksumValid(back), "the reply comes from the VIP6 with a valid checksum");

        byte[] ack = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40001, VIP6, 80, Tcp.ACK, 100, false);
        clientPath.onFrame(ack, ack.length);
        assertEquals(RS[1], Frames6.dst(serverSide.only()), "the connection stays on its server");

        var info = plane.services.get(WEB6);
        assertEquals(3, info.stats().conns());
        assertEquals(4, info.stats().inPackets());
        assertEquals(1, info.stats().outPackets());
        assertEquals(1, info.servers().get(1).activeConns(), "established");
        assertEquals(1, info.servers().get(0).inactiveConns(), "SYN_RECV");
        assertEquals(3L, counters().get("connections6"));

        List<ConnectionInfo> listed = new ArrayList<>();
        plane.conns6.forEach(c -> c.clientPort() == 40001, 10, listed::add);
        ConnectionInfo c = listed.get(0);
        assertTrue(c.isIpv6());
        assertEquals(CLIENT, c.client6());
        assertEquals(VIP6, c.virtual6());
        assertEquals(RS[1], c.server6());
        assertEquals("ESTABLISHED", c.state());
        assertEquals(8080, c.serverPort());
        assertEquals(900_000, c.expiresMillis(), "the IPv4 table's ESTABLISHED timeout");
    }

    @Test
    void udpBothWays() {
        plane.services.addService(ServiceConfig.of(DNS6, "rr"));
        clientSide.sent.clear();
        serverSide.sent.clear();
        addServers(DNS6, 53, ForwardMethod.MASQ, 1);
        byte[] query = Frames6.udp(CLIENT_MAC, DIR_C_MAC, CLIENT, 5353, VIP6, 53, 30);
        clientPath.onFrame(query, query.length);
        byte[] out = serverSide.only();
        assertEquals(RS[0], Frames6.dst(out));
        assertEquals(53, Udp.dstPort(out, Frames6.L4));
        assertTrue(Frames6.checksumValid(out));

        byte[] answer = Frames6.udp(RS_MAC[0], DIR_S_MAC, RS[0], 53, CLIENT, 5353, 60);
        serverPath.onFrame(answer, answer.length);
        byte[] back = clientSide.only();
        assertEquals(VIP6, Frames6.src(back));
        assertEquals(CLIENT, Frames6.dst(back));
        assertEquals(53, Udp.srcPort(back, Frames6.L4));
        assertTrue(Frames6.checksumValid(back));
        assertEquals(1, plane.services.get(DNS6).servers().get(0).inactiveConns(), "UDP entries count as inactive");
    }

    @Test
    void directRoutingSendsThePacketUnchangedToTheServersMac() {
        plane.services.addService(ServiceConfig.of(new ServiceKey(Protocol.TCP, VIP6, 443), "rr"));
        clientSide.sent.clear();
        serverSide.sent.clear();
        addServers(new ServiceKey(Protocol.TCP, VIP6, 443), 443, ForwardMethod.ROUTE, 1);
        byte[] syn = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP6, 443, Tcp.SYN, 0, false);
        clientPath.onFrame(syn, syn.length);
        byte[] out = serverSide.only();
        assertEquals(RS_MAC[0], Ethernet.dst(out, 0));
        assertEquals(DIR_S_MAC, Ethernet.src(out, 0));
        assertEquals(VIP6, Frames6.dst(out), "unchanged: the server owns the VIP6 on a loopback");
        assertEquals(CLIENT, Frames6.src(out));
        assertTrue(java.util.Arrays.equals(syn, 14, syn.length, out, 14, out.length));
        byte[] ack = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP6, 443, Tcp.ACK, 10, false);
        clientPath.onFrame(ack, ack.length);
        serverSide.only();
        assertEquals(1, plane.services.get(new ServiceKey(Protocol.TCP, VIP6, 443)).servers().get(0).activeConns());
    }

    @Test
    void aFullIpv6TableRefusesAndCountsAndExpiryMakesRoom() {
        addServers(WEB6, 8080, ForwardMethod.MASQ, 1);
        int cap = plane.conns6.maxEntries();
        assertEquals(MAX_CONNECTIONS / 2, cap);
        for (int i = 0; i <= cap; i++) {
            byte[] syn = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 41000 + i, VIP6, 80, Tcp.SYN, 0, false);
            clientPath.onFrame(syn, syn.length);
        }
        assertEquals(cap, serverSide.sent.size(), "the one past the cap is not forwarded");
        assertEquals((long) cap, counters().get("connections6"));
        assertEquals(1L, counters().get("connections6_refused_table_full"));
        assertEquals(cap, plane.services.get(WEB6).servers().get(0).inactiveConns());

        now[0] += 61_000_000_000L; // past SYN_RECV's 60 s
        plane.tick();
        assertEquals(0L, counters().get("connections6"));
        assertEquals((long) cap, counters().get("connections6_expired"));
        assertEquals(0, plane.services.get(WEB6).servers().get(0).inactiveConns());
        byte[] syn = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 42000, VIP6, 80, Tcp.SYN, 0, false);
        clientPath.onFrame(syn, syn.length);
        assertEquals(cap + 1, serverSide.sent.size());
    }

    @Test
    void noServerIsAnsweredWithPortUnreachableFromTheVip6() {
        byte[] syn = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP6, 80, Tcp.SYN, 0, false);
        clientPath.onFrame(syn, syn.length);
        byte[] unreachable = clientSide.only();
        assertEquals(Icmpv6.DEST_UNREACH, Icmpv6.type(unreachable, Frames6.L4));
        assertEquals(Icmpv6.CODE_PORT_UNREACH, Icmpv6.code(unreachable, Frames6.L4));
        assertEquals(VIP6, Frames6.src(unreachable));
        assertEquals(CLIENT, Frames6.dst(unreachable));
        assertTrue(Frames6.checksumValid(unreachable));
        assertEquals(1L, counters().get("dropped_no_server"));

        byte[] ack = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40001, VIP6, 80, Tcp.ACK, 0, false);
        clientPath.onFrame(ack, ack.length);
        assertEquals(0, clientSide.sent.size());
        assertEquals(1L, counters().get("dropped_no_connection"));
    }

    @Test
    void aBackupForEveryInstanceIsSilentForTheVip6s() {
        addServers(WEB6, 8080, ForwardMethod.MASQ, 1);
        DirectorRoleTest.FakeRole role = new DirectorRoleTest.FakeRole();
        role.state = DirectorRole.State.BACKUP;
        plane.role.bind(role);
        assertFalse(plane.role.mayServe6(VIP6.hi(), VIP6.lo()));
        byte[] ns = Frames6.solicitation(CLIENT_MAC, CLIENT, VIP6);
        clientPath.onFrame(ns, ns.length);
        byte[] syn = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP6, 80, Tcp.SYN, 0, false);
        clientPath.onFrame(syn, syn.length);
        assertEquals(0, clientSide.sent.size() + serverSide.sent.size());
        assertEquals(1L, counters().get("ignored_not_master"));
        assertEquals(1L, counters().get("dropped_not_master"));

        role.fire(DirectorRole.State.BACKUP, DirectorRole.State.MASTER);
        assertTrue(plane.role.mayServe6(VIP6.hi(), VIP6.lo()));
        for (FakeChannel side : List.of(clientSide, serverSide)) {
            byte[] na = side.only();
            assertEquals(Icmpv6.NEIGHBOUR_ADVERTISEMENT, Icmpv6.type(na, Frames6.L4), "the takeover advertises the VIP6");
            assertEquals(VIP6, new Ip6Address(Ndp.targetHi(na, Frames6.L4), Ndp.targetLo(na, Frames6.L4)));
        }
        clientPath.onFrame(syn, syn.length);
        assertEquals(RS[0], Frames6.dst(serverSide.only()));
    }

    @Test
    void aVip6OfABackupIpv6InstanceIsNotServedWhileAnotherInstanceIsMaster() {
        addServers(WEB6, 8080, ForwardMethod.MASQ, 1);
        DirectorRoleTest.FakeRole role = new DirectorRoleTest.FakeRole() {
            @Override
            public boolean mayServe6(long hi, long lo) { // an IPv6 instance, BACKUP, manages the VIP6
                return !(hi == VIP6.hi() && lo == VIP6.lo());
            }
        };
        role.state = DirectorRole.State.MASTER; // of the IPv4 instance
        plane.role.bind(role);
        assertFalse(plane.role.mayServe6(VIP6.hi(), VIP6.lo()));
        Ip6Address other = Ip6Address.parse("2001:db8:1::200");
        assertTrue(plane.role.mayServe6(other.hi(), other.lo()), "a VIP6 no instance manages is served");
        byte[] ns = Frames6.solicitation(CLIENT_MAC, CLIENT, VIP6);
        clientPath.onFrame(ns, ns.length);
        byte[] syn = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP6, 80, Tcp.SYN, 0, false);
        clientPath.onFrame(syn, syn.length);
        assertEquals(0, clientSide.sent.size() + serverSide.sent.size(), "the IPv6 instance's master serves it");
    }

    @Test
    void malformedAndRandomFramesAreCountedAndDroppedWithoutExceptions() {
        addServers(WEB6, 8080, ForwardMethod.MASQ, 3);
        plane.services.addService(ServiceConfig.of(DNS6, "rr"));
        Random random = new Random(17);
        List<byte[]> seeds = List.of(
                Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP6, 80, Tcp.SYN, 0, false),
                Frames6.tcp(RS_MAC[0], DIR_S_MAC, RS[0], 8080, CLIENT, 40000, Tcp.ACK, 40, false),
                Frames6.udp(CLIENT_MAC, DIR_C_MAC, CLIENT, 5353, VIP6, 53, 20),
                Frames6.echoRequest(CLIENT_MAC, DIR_C_MAC, CLIENT, VIP6),
                Frames6.solicitation(CLIENT_MAC, CLIENT, VIP6),
                Frames6.advertisement(RS_MAC[1], DIR_S_MAC, RS[1], DIR_S));
        for (int i = 0; i < 20_000; i++) {
            byte[] seed = seeds.get(random.nextInt(seeds.size()));
            byte[] f = java.util.Arrays.copyOf(seed, seed.length + random.nextInt(8));
            int flips = 1 + random.nextInt(4);
            for (int k = 0; k < flips; k++) {
                int at = 14 + random.nextInt(f.length - 14); // keep the EtherType: the IPv6 path is under test
                f[at] = (byte) random.nextInt(256);
            }
            int length = random.nextInt(4) == 0 ? 14 + random.nextInt(f.length - 13) : f.length;
            (random.nextBoolean() ? clientPath : serverPath).onFrame(f, length);
        }
        for (int i = 0; i < 2_000; i++) {
            byte[] f = new byte[15 + random.nextInt(200)];
            random.nextBytes(f);
            f[12] = (byte) 0x86;
            f[13] = (byte) 0xdd;
            f[14] = (byte) (0x60 | (f[14] & 0x0f));
            clientPath.onFrame(f, f.length);
        }
        assertEquals(0L, counters().get("exceptions"), "no frame made the path throw");
        assertTrue(counters().get("dropped_malformed") > 1000, "malformed frames are counted");
        byte[] short6 = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, (byte) 0x86, (byte) 0xdd, 0x60};
        long before = counters().get("dropped_malformed");
        clientPath.onFrame(short6, short6.length);
        assertEquals(before + 1, counters().get("dropped_malformed"));
    }

    @Test
    void aRealServerOffEveryIpv6PrefixHasNoRoute() {
        Ip6Address far = Ip6Address.parse("2001:db8:77::1");
        plane.services.addServer(WEB6, ServerConfig.of(far, 80, ForwardMethod.MASQ, 1));
        assertEquals(0, serverSide.sent.size(), "nothing to solicit");
        Dest d = plane.services.services().get(0).find6(far, 80);
        assertNull(d.nextHop6);
        byte[] syn = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP6, 80, Tcp.SYN, 0, false);
        clientPath.onFrame(syn, syn.length);
        assertEquals(1L, counters().get("dropped_no_route"));
    }

    @Test
    void anUnansweredSolicitationIsRepeatedByTheTick() {
        plane.services.addServer(WEB6, ServerConfig.of(RS[0], 8080, ForwardMethod.MASQ, 1));
        serverSide.only();
        Dest d = plane.services.services().get(0).find6(RS[0], 8080);
        assertNotNull(d.nextHop6);
        assertEquals(Neighbours6.UNKNOWN, d.nextHop6.neighbour.mac);
        plane.tick();
        assertEquals(Icmpv6.NEIGHBOUR_SOLICITATION, Icmpv6.type(serverSide.only(), Frames6.L4));
        byte[] na = Frames6.advertisement(RS_MAC[0], DIR_S_MAC, RS[0], DIR_S);
        serverPath.onFrame(na, na.length);
        assertEquals(RS_MAC[0], d.nextHop6.neighbour.mac);
        byte[] stranger = Frames6.advertisement(0x020000000099L, DIR_S_MAC, Ip6Address.parse("2001:db8:99:2::99"),
                DIR_S);
        serverPath.onFrame(stranger, stranger.length);
        assertEquals(1, serverSide.sent.size() + plane.links().get(1).neighbours6.size(), "strangers are not learnt");
    }

    @Test
    void aPersistentServiceSendsAClientsPrefixToOneServerUntilItsTemplateExpires() {
        plane.services.editService(new ServiceConfig(WEB6, "rr", 0, 300, 64));
        addServers(WEB6, 8080, ForwardMethod.MASQ, 3);
        Ip6Address sameNet = new Ip6Address(CLIENT.hi(), 0x99);
        Ip6Address otherNet = Ip6Address.parse("2001:db8:98:1::2");
        Ip6Address[] clients = {CLIENT, sameNet, CLIENT, otherNet};
        Ip6Address[] servers = new Ip6Address[clients.length];
        for (int i = 0; i < clients.length; i++) {
            byte[] syn = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, clients[i], 40000 + i, VIP6, 80, Tcp.SYN, 0, false);
            clientPath.onFrame(syn, syn.length);
            servers[i] = Frames6.dst(serverSide.only());
        }
        assertEquals(RS[0], servers[0]);
        assertEquals(RS[0], servers[1], "the same /64 goes to the same server");
        assertEquals(RS[0], servers[2]);
        assertEquals(RS[1], servers[3], "another /64 is scheduled");
        assertEquals(2, scheduled.size(), "the template decided the others");
        assertEquals(2L, counters().get("templates6"));
        assertEquals(6L, counters().get("connections6"), "templates are entries too");
        assertEquals(1, plane.services.get(WEB6).servers().get(0).persistentConns());

        List<ConnectionInfo> templates = new ArrayList<>();
        plane.conns6.forEach(c -> c.clientPort() == 0, 10, templates::add);
        assertEquals(2, templates.size());
        ConnectionInfo t = templates.stream().filter(x -> x.server6().equals(RS[0])).findFirst().orElseThrow();
        assertEquals(new Ip6Address(CLIENT.hi(), 0), t.client6(), "the client's /64");
        assertEquals("NONE", t.state());
        assertEquals(300_000, t.expiresMillis());

        now[0] += 61_000_000_000L; // the SYN_RECV connections expire; their templates still have 239 s
        plane.tick();
        assertEquals(2L, counters().get("connections6"));
        now[0] += 240_000_000_000L; // the templates' time is up and they control nothing now
        plane.tick();
        assertEquals(0L, counters().get("connections6"));
        assertEquals(0, plane.services.get(WEB6).servers().get(0).persistentConns());
        byte[] syn = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 45000, VIP6, 80, Tcp.SYN, 0, false);
        clientPath.onFrame(syn, syn.length);
        assertEquals(RS[2], Frames6.dst(serverSide.only()), "scheduled anew");
    }

    @Test
    void aTemplateControllingAnEstablishedConnectionOutlivesItsTimeout() {
        plane.services.editService(new ServiceConfig(WEB6, "rr", 0, 10, 128));
        addServers(WEB6, 8080, ForwardMethod.MASQ, 2);
        byte[] syn = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP6, 80, Tcp.SYN, 0, false);
        clientPath.onFrame(syn, syn.length);
        byte[] ack = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP6, 80, Tcp.ACK, 0, false);
        clientPath.onFrame(ack, ack.length);
        assertEquals(2, serverSide.sent.size());
        serverSide.sent.clear();
        now[0] += 20_000_000_000L; // past the 10 s persistence, the connection ESTABLISHED (900 s)
        plane.tick();
        assertEquals(2L, counters().get("connections6"), "re-armed while it controls a connection");
        byte[] again = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40001, VIP6, 80, Tcp.SYN, 0, false);
        clientPath.onFrame(again, again.length);
        assertEquals(RS[0], Frames6.dst(serverSide.only()), "the template still names the server");
        assertEquals(1, scheduled.size());
    }

    @Test
    void fragmentsToAVip6AreCountedAndTheHostsOwnTrafficIsLeftAlone() {
        addServers(WEB6, 8080, ForwardMethod.MASQ, 1);
        byte[] syn = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP6, 80, Tcp.SYN, 20, false);
        // the same segment behind a Fragment header (offset 0, more fragments, 40 bytes: a multiple of 8)
        byte[] f = new byte[syn.length + 8];
        System.arraycopy(syn, 0, f, 0, Frames6.L4);
        System.arraycopy(syn, Frames6.L4, f, Frames6.L4 + 8, syn.length - Frames6.L4);
        Ipv6.setNextHeader(f, Frames6.IP, Ipv6.NEXT_FRAGMENT);
        Ipv6.setPayloadLength(f, Frames6.IP, Ipv6.payloadLength(syn, Frames6.IP) + 8);
        org.jlvs.packet.Ipv6Headers.writeFragmentHeader(f, Frames6.L4, Ipv6.NEXT_TCP, 0, true, 7);
        clientPath.onFrame(f, f.length);
        assertEquals(0, serverSide.sent.size());
        assertEquals(1L, counters().get("dropped_ipv6_fragment"), "no IPv6 reassembly yet: counted");
        assertEquals(0L, counters().get("dropped_malformed"));

        long out = counters().get("frames_out");
        byte[] ssh = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 50000, DIR_C, 22, Tcp.SYN, 0, false);
        clientPath.onFrame(ssh, ssh.length);
        byte[] mdns = Frames6.udp(CLIENT_MAC, 0x3333000000fbL, CLIENT, 5353, Ip6Address.parse("ff02::fb"), 5353, 20);
        clientPath.onFrame(mdns, mdns.length);
        assertEquals(out, counters().get("frames_out"));
        assertEquals(0, clientSide.sent.size() + serverSide.sent.size(), "the host's traffic is the host's");
        assertEquals(0L, counters().get("dropped_no_connection") + counters().get("dropped_malformed"));
    }

    /** Adds a service on VIP6:{@code port} with one server of {@code method}; the announcements are cleared. */
    private ServiceKey serviceWithOneServer(int port, int serverPort, ForwardMethod method) {
        ServiceKey key = new ServiceKey(Protocol.TCP, VIP6, port);
        if (!key.equals(WEB6)) plane.services.addService(ServiceConfig.of(key, "rr"));
        clientSide.sent.clear();
        serverSide.sent.clear();
        addServers(key, serverPort, method, 1);
        return key;
    }

    /** A router's Packet Too Big (MTU 1400) to the VIP6 about a reply from VIP6:vport to the client's port. */
    private static byte[] routersPacketTooBig(int vport, int clientPort) {
        byte[] reply = Frames6.tcp(RS_MAC[0], ROUTER_MAC, VIP6, vport, CLIENT, clientPort, Tcp.ACK, 1400, false);
        return Frames6.icmpv6Error(ROUTER_MAC, DIR_C_MAC, ROUTER, Icmpv6.PACKET_TOO_BIG, 0, 1400, reply);
    }

    private static int quote(int icmp) {
        return Icmpv6.quotedOffset(icmp);
    }

    @Test
    void aRoutersPacketTooBigAboutADirectRoutingReplyReachesTheServerUnchanged() {
        serviceWithOneServer(443, 443, ForwardMethod.ROUTE);
        byte[] syn = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP6, 443, Tcp.SYN, 0, false);
        clientPath.onFrame(syn, syn.length);
        serverSide.only();
        byte[] ptb = routersPacketTooBig(443, 40000);
        clientPath.onFrame(ptb, ptb.length);
        byte[] out = serverSide.only();
        assertEquals(RS_MAC[0], Ethernet.dst(out, 0));
        assertEquals(DIR_S_MAC, Ethernet.src(out, 0));
        assertTrue(java.util.Arrays.equals(ptb, 14, ptb.length, out, 14, out.length), "unchanged");
        assertEquals(0, clientSide.sent.size());
        assertEquals(1L, counters().get("icmp_errors_forwarded"));
        assertEquals(0L, counters().get("icmp_errors_relayed"));
    }

    @Test
    void aRoutersPacketTooBigAboutATunnelReplyIsForwardedThroughTheTunnel() {
        TestForwarders6.Tun tun = new TestForwarders6.Tun();
        plane.services.forwarderAdded(ForwardMethod.TUNNEL, tun);
        serviceWithOneServer(443, 443, ForwardMethod.TUNNEL);
        byte[] syn = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP6, 443, Tcp.SYN, 0, false);
        clientPath.onFrame(syn, syn.length);
        serverSide.only();
        byte[] ptb = routersPacketTooBig(443, 40000);
        clientPath.onFrame(ptb, ptb.length);
        byte[] out = serverSide.only();
        assertEquals(2, tun.tunnelled);
        assertEquals(RS_MAC[0], Ethernet.dst(out, 0));
        assertEquals(41, Ipv6.nextHeader(out, Frames6.IP), "IPv6 in IPv6");
        assertEquals(DIR_S, Frames6.src(out), "from the director's address toward the server");
        assertEquals(RS[0], Frames6.dst(out));
        int inner = Frames6.IP + Ipv6.HEADER_LENGTH;
        assertTrue(java.util.Arrays.equals(ptb, 14, ptb.length, out, inner, out.length), "the error inside, unchanged");
        assertEquals(1L, counters().get("icmp_errors_forwarded"));
    }

    @Test
    void aNatConnectionsPacketTooBigFromTheClientSideReachesTheServerRewritten() {
        serviceWithOneServer(80, 8080, ForwardMethod.MASQ);
        byte[] syn = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP6, 80, Tcp.SYN, 0, false);
        clientPath.onFrame(syn, syn.length);
        serverSide.only();
        byte[] ptb = routersPacketTooBig(80, 40000);
        clientPath.onFrame(ptb, ptb.length);
        byte[] out = serverSide.only();
        int icmp = Frames6.L4, q = quote(icmp);
        assertEquals(RS_MAC[0], Ethernet.dst(out, 0));
        assertEquals(ROUTER, Frames6.src(out), "the router's own address");
        assertEquals(RS[0], Frames6.dst(out));
        assertEquals(Icmpv6.PACKET_TOO_BIG, Icmpv6.type(out, icmp));
        assertEquals(1400L, Icmpv6.mtu(out, icmp), "the MTU is kept");
        assertTrue(Frames6.checksumValid(out), "ICMPv6 checksum over the new pseudo-header");
        assertEquals(RS[0], new Ip6Address(Ipv6.srcHi(out, q), Ipv6.srcLo(out, q)), "the quote is the server's");
        assertEquals(CLIENT, new Ip6Address(Ipv6.dstHi(out, q), Ipv6.dstLo(out, q)));
        int qTcp = q + Ipv6.HEADER_LENGTH;
        assertEquals(8080, Tcp.srcPort(out, qTcp));
        assertEquals(40000, Tcp.dstPort(out, qTcp));
        byte[] whole = Frames6.tcp(RS_MAC[0], DIR_S_MAC, RS[0], 8080, CLIENT, 40000, Tcp.ACK, 1400, false);
        assertEquals(org.jlvs.packet.Bytes.u16(whole, Frames6.L4 + 16), Tcp.checksum(out, qTcp),
                "the quoted TCP checksum is the one the server's own segment had");
        assertEquals(1L, counters().get("icmp_errors_relayed"));
        assertEquals(0L, counters().get("icmp_errors_forwarded"));
    }

    @Test
    void aNatConnectionsErrorFromTheServerSideReachesTheClientRewritten() {
        serviceWithOneServer(80, 8080, ForwardMethod.MASQ);
        byte[] query = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP6, 80, Tcp.SYN, 0, false);
        clientPath.onFrame(query, query.length);
        byte[] received = serverSide.only(); // client -> server's address
        byte[] error = Frames6.icmpv6Error(RS_MAC[0], DIR_S_MAC, RS[0], Icmpv6.DEST_UNREACH,
                Icmpv6.CODE_PORT_UNREACH, 0, received);
        serverPath.onFrame(error, error.length);
        byte[] back = clientSide.only();
        int icmp = Frames6.L4, q = quote(icmp);
        assertEquals(CLIENT_MAC, Ethernet.dst(back, 0));
        assertEquals(DIR_C_MAC, Ethernet.src(back, 0));
        assertEquals(VIP6, Frames6.src(back));
        assertEquals(CLIENT, Frames6.dst(back));
        assertTrue(Frames6.checksumValid(back));
        assertEquals(CLIENT, new Ip6Address(Ipv6.srcHi(back, q), Ipv6.srcLo(back, q)));
        assertEquals(VIP6, new Ip6Address(Ipv6.dstHi(back, q), Ipv6.dstLo(back, q)), "as if about a packet to it");
        assertEquals(80, Tcp.dstPort(back, q + Ipv6.HEADER_LENGTH));
        byte[] quoted = java.util.Arrays.copyOfRange(back, q - Frames6.IP, back.length);
        assertTrue(Frames6.checksumValid(quoted), "the quoted segment's checksum holds for the VIP6");
        assertTrue(java.util.Arrays.equals(query, 14, query.length, quoted, 14, quoted.length),
                "the quote is the client's own SYN again");
        assertEquals(1L, counters().get("icmp_errors_relayed"));
    }

    @Test
    void aCorruptedOrUnrelatedErrorIsCountedAndNotRelayed() {
        serviceWithOneServer(80, 8080, ForwardMethod.MASQ);
        byte[] syn = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP6, 80, Tcp.SYN, 0, false);
        clientPath.onFrame(syn, syn.length);
        serverSide.only();
        byte[] corrupted = routersPacketTooBig(80, 40000);
        corrupted[Frames6.L4 + Icmpv6.CHECKSUM_OFFSET] ^= 0x40;
        clientPath.onFrame(corrupted, corrupted.length);
        assertEquals(1L, counters().get("dropped_bad_checksum"));
        byte[] unrelated = routersPacketTooBig(80, 49999);
        clientPath.onFrame(unrelated, unrelated.length);
        assertEquals(1L, counters().get("dropped_icmp_unrelated"));
        byte[] toDirector = Frames6.icmpv6Error(ROUTER_MAC, DIR_C_MAC, ROUTER, Icmpv6.PACKET_TOO_BIG, 0, 1400,
                Frames6.tcp(DIR_C_MAC, ROUTER_MAC, DIR_C, 22, CLIENT, 50000, Tcp.ACK, 1400, false));
        clientPath.onFrame(toDirector, toDirector.length);
        assertEquals(0, clientSide.sent.size() + serverSide.sent.size());
        assertEquals(1L, counters().get("dropped_icmp_unrelated"), "the director's own is the kernel's");
        assertEquals(0L, counters().get("icmp_errors_relayed") + counters().get("icmp_errors_forwarded"));
    }

    @Test
    void aPacketThatDoesNotFitTheTunnelIsAnsweredWithPacketTooBigFromTheVip6() {
        plane.services.forwarderAdded(ForwardMethod.TUNNEL, new TestForwarders6.Tun());
        serviceWithOneServer(443, 443, ForwardMethod.TUNNEL);
        int rounds = 3 * IcmpRateLimit.BURST;
        for (int i = 0; i < rounds; i++) {
            byte[] big = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP6, 443, Tcp.SYN, 1420, false);
            clientPath.onFrame(big, big.length);
            byte[] ptb = clientSide.only();
            assertEquals(0, serverSide.sent.size());
            int icmp = Frames6.L4;
            assertEquals(CLIENT_MAC, Ethernet.dst(ptb, 0));
            assertEquals(Icmpv6.PACKET_TOO_BIG, Icmpv6.type(ptb, icmp));
            assertEquals(1460L, Icmpv6.mtu(ptb, icmp), "1500 less the outer header");
            assertEquals(VIP6, Frames6.src(ptb));
            assertEquals(CLIENT, Frames6.dst(ptb));
            assertTrue(Frames6.checksumValid(ptb));
            assertEquals(Ipv6.MIN_MTU, ptb.length - Frames6.IP, "quoted as much as fits in 1,280 bytes");
        }
        assertEquals((long) rounds, counters().get("frag_needed_sent"),
                "never rate limited, as the kernel never limits Packet Too Big (path MTU discovery)");
        assertEquals((long) rounds, counters().get("dropped_too_big"));
        assertEquals(0L, counters().get("icmp_rate_limited"));

        byte[] noServer = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40001, VIP6, 80, Tcp.SYN, 0, false);
        // WEB6 has no servers: port unreachable, which is rate limited
        clientSide.sent.clear();
        for (int i = 0; i < rounds; i++) clientPath.onFrame(noServer, noServer.length);
        assertEquals(IcmpRateLimit.BURST, clientSide.sent.size());
        assertEquals((long) (rounds - IcmpRateLimit.BURST), counters().get("icmp_rate_limited"));
    }
}
