package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.forward.nat.internal.NatForwarder;
import org.jlvs.packet.Arp;
import org.jlvs.packet.Ipv4;
import org.jlvs.packet.Tcp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Persistence templates (ipvsadm -p TIMEOUT -M NETMASK) on the packet path, with a settable clock. */
class PersistenceTest {
    private static final long CLIENT_MAC = 0x020000000002L, DIR_C_MAC = 0x0200000000c1L, DIR_S_MAC = 0x0200000000c2L;
    private static final int VIP = Ip4.parse("10.99.1.100"), DIR_C = Ip4.parse("10.99.1.1"),
            DIR_S = Ip4.parse("10.99.2.1"), RS1 = Ip4.parse("10.99.2.11"), RS2 = Ip4.parse("10.99.2.12"),
            RS3 = Ip4.parse("10.99.2.13");
    private static final int CLIENT_A = Ip4.parse("10.99.1.2"), CLIENT_A2 = Ip4.parse("10.99.1.3"),
            CLIENT_B = Ip4.parse("10.99.7.2");
    private static final ServiceKey WEB = new ServiceKey(Protocol.TCP, VIP, 80);
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final DataPlaneTest.FakeChannel clientSide = new DataPlaneTest.FakeChannel("eth0");
    private final DataPlaneTest.FakeChannel serverSide = new DataPlaneTest.FakeChannel("eth1");
    private DataPlane plane;
    private PacketPath clientPath;
    private PacketPath serverPath;
    private int port = 40000;

    /** Round robin over the available servers: without templates, consecutive connections change server. */
    private final Scheduler rr = service -> new Scheduler.Binding() {
        int next;

        @Override
        public RealServer schedule(org.jlvs.api.spi.Flow flow) {
            List<? extends RealServer> servers = service.realServers();
            for (int n = 0; n < servers.size(); n++) {
                RealServer s = servers.get(next++ % servers.size());
                if (s.available()) return s;
            }
            return null;
        }
    };

    @BeforeEach
    void setUp() {
        plane = new DataPlane(clock::get, Path.of("/nonexistent/route"), Path.of("/nonexistent/arp"), Runnable::run);
        clientPath = link(clientSide, DIR_C_MAC, DIR_C);
        serverPath = link(serverSide, DIR_S_MAC, DIR_S);
        plane.services.schedulerAdded("rr", rr);
        plane.services.forwarderAdded(ForwardMethod.MASQ, new NatForwarder());
        // -p 300 -M 255.255.255.0
        plane.services.addService(new ServiceConfig(WEB, "rr", 0, 300, 0xffffff00));
        for (int rs : new int[] {RS1, RS2, RS3}) addServerAndResolve(rs, 0x020000000000L | (rs & 0xff));
        clientSide.sent.clear();
        serverSide.sent.clear();
    }

    private PacketPath link(DataPlaneTest.FakeChannel channel, long mac, int address) {
        Link link = new Link(channel.name, channel, mac, address, 24, plane.newNeighbours(channel.name));
        PacketPath path = new PacketPath(plane, link);
        plane.addLink(link);
        return path;
    }

    private void addServerAndResolve(int rs, long mac) {
        serverSide.sent.clear();
        plane.services.addServer(WEB, ServerConfig.of(rs, 8080, ForwardMethod.MASQ, 1));
        byte[] arpReply = new byte[42];
        Arp.writeFrame(arpReply, 0, DIR_S_MAC, mac, Arp.REPLY, mac, rs, DIR_S_MAC, DIR_S);
        serverPath.onFrame(arpReply, 42);
    }

    /** A SYN from a new port of {@code client}: the real server it was sent to, 0 if none. */
    private int connect(int client) {
        byte[] syn = DataPlaneTest.tcp(CLIENT_MAC, DIR_C_MAC, client, port++, VIP, 80, Tcp.SYN, 0, false);
        serverSide.sent.clear();
        clientPath.onFrame(syn, syn.length);
        return serverSide.sent.isEmpty() ? 0 : sentTo(serverSide.sent.get(0));
    }

    /** The real server a frame went to: its IP destination (NAT), or for DR the server its MAC is. */
    private static int sentTo(byte[] frame) {
        int dst = Ipv4.dst(frame, 14);
        if (dst != VIP) return dst;
        long mac = org.jlvs.packet.Ethernet.dst(frame, 0);
        return (RS1 & 0xffffff00) | (int) (mac & 0xff);
    }

    private RealServer server(int address) {
        return plane.services.services().iterator().next().find(address, 8080);
    }

    /** Time passes as in production: the maintenance thread expires entries once a second. */
    private void advance(long seconds) {
        for (long s = 0; s < seconds; s++) {
            clock.addAndGet(SECOND);
            plane.conns.expire();
        }
    }

    @Test
    void aClientStaysOnItsServerAndItsNetmaskSharesIt() {
        int first = connect(CLIENT_A);
        assertNotEquals(0, first);
        for (int i = 0; i < 10; i++) assertEquals(first, connect(CLIENT_A), "connection " + i);
        assertEquals(first, connect(CLIENT_A2), "the same /24 shares the template");
        int other = connect(CLIENT_B);
        assertNotEquals(first, other, "another /24 is scheduled (round robin moves on)");
        assertEquals(1, server(first).persistentConns());
        assertEquals(1, server(other).persistentConns());
        assertEquals(2, plane.conns.templates());
    }

    @Test
    void theTemplateLivesThePersistenceTimeoutAfterItsLastConnection() {
        int first = connect(CLIENT_A);
        advance(5); // the SYN_RECV/NONE entry ends within seconds; the template stays
        plane.conns.expire();
        advance(200);
        assertEquals(first, connect(CLIENT_A), "within 300 s of the last connection");
        advance(299);
        assertEquals(first, connect(CLIENT_A), "refreshed by the connection 299 s ago");
        advance(310); // the connections ended long ago (new entries live 3 s, SYN_RECV 60 s)
        assertEquals(0, plane.conns.templates(), "expired 300 s after its last connection");
        assertEquals(0, server(first).persistentConns());
        int next = connect(CLIENT_A);
        assertNotEquals(first, next, "a new template is scheduled (round robin has moved on)");
    }

    @Test
    void aTemplateLivesOnWhileItsConnectionsDo() {
        int first = connect(CLIENT_A);
        // make the connection ESTABLISHED (900 s) so it outlives the 300 s template
        byte[] ack = DataPlaneTest.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT_A, port - 1, VIP, 80, Tcp.ACK, 0, false);
        byte[] synAck = DataPlaneTest.tcp(0x020000000000L | (first & 0xff), DIR_S_MAC, first, 8080, CLIENT_A, port - 1,
                Tcp.SYN | Tcp.ACK, 0, false);
        serverPath.onFrame(synAck, synAck.length);
        clientPath.onFrame(ack, ack.length);
        advance(400);
        assertEquals(1, plane.conns.templates(), "kept while it controls a connection");
        assertEquals(first, connect(CLIENT_A));
    }

    @Test
    void weightZeroKeepsTemplatesUnlessExpireQuiescentTemplate() {
        int first = connect(CLIENT_A);
        plane.services.editServer(WEB, ServerConfig.of(first, 8080, ForwardMethod.MASQ, 0));
        assertEquals(first, connect(CLIENT_A), "a quiesced server keeps its persistent clients");
        assertNotEquals(first, connect(CLIENT_B), "but gets no new ones");

        plane.sysctls.expireQuiescentTemplate = true;
        int moved = connect(CLIENT_A);
        assertNotEquals(first, moved, "expire_quiescent_template: the template expires on use");
        assertEquals(moved, connect(CLIENT_A), "and a new one holds");
        assertEquals(0, server(first).persistentConns());
    }

    @Test
    void aDeletedServersTemplateIsDroppedOnUse() {
        int first = connect(CLIENT_A);
        plane.services.deleteServer(WEB, first, 8080);
        int moved = connect(CLIENT_A);
        assertNotEquals(0, moved);
        assertNotEquals(first, moved);
    }

    @Test
    void templatesAreListedAsIpvsadmShowsThem() {
        int first = connect(CLIENT_A2);
        List<ConnectionInfo> all = new ArrayList<>();
        plane.conns.forEach(c -> true, 100, all::add);
        ConnectionInfo template = all.stream().filter(c -> c.clientPort() == 0).findFirst().orElseThrow();
        assertEquals(new ConnectionInfo(Protocol.TCP, "NONE", 300_000, CLIENT_A & 0xffffff00, 0, VIP, 80, first, 8080),
                template);
        assertEquals(2, all.size(), "the connection and its template");
        List<ConnectionInfo> one = new ArrayList<>();
        assertEquals(1, plane.conns.forEach(c -> true, 1, one::add));
        assertEquals(2, plane.conns.size(), "templates are entries of the table, as in IPVS");
    }

    @Test
    void aServiceWithoutPersistenceMakesNoTemplates() {
        plane.services.editService(ServiceConfig.of(WEB, "rr"));
        int a = connect(CLIENT_A);
        assertNotEquals(a, connect(CLIENT_A));
        assertEquals(0, plane.conns.templates());
    }

    // ---- net.ipv4.vs.* settings on the packet path ----

    private void send(int client, int clientPort, int flags) {
        byte[] f = DataPlaneTest.tcp(CLIENT_MAC, DIR_C_MAC, client, clientPort, VIP, 80, flags, 0, false);
        serverSide.sent.clear();
        clientPath.onFrame(f, f.length);
    }

    @Test
    void aDeletedServersConnectionsAreDroppedAndWithExpireNodestConnEnded() {
        plane.services.editService(ServiceConfig.of(WEB, "rr"));
        int a = connect(CLIENT_A);
        int b = connect(CLIENT_B);
        plane.services.deleteServer(WEB, a, 8080);
        plane.services.deleteServer(WEB, b, 8080);
        long before = plane.conns.size();
        send(CLIENT_A, port - 2, Tcp.ACK);
        assertEquals(0, serverSide.sent.size(), "ip_vs_in: the destination is no longer available: dropped");
        assertEquals(before, plane.conns.size(), "the entry stays until it expires");
        assertEquals(1L, plane.counters().get("dropped_dest_unavailable"));

        plane.sysctls.apply(java.util.Map.of("expire_nodest_conn", "1"));
        send(CLIENT_B, port - 1, Tcp.ACK);
        assertEquals(0, serverSide.sent.size(), "dropped");
        assertEquals(before - 1, plane.conns.size(), "and its entry with it");
        send(CLIENT_A, port - 2, Tcp.SYN);
        int again = Ipv4.dst(serverSide.only(), 14);
        assertTrue(again != a && again != b, "a SYN on the ended entry is scheduled to a server that exists");
    }

    @Test
    void connReuseModeTwoAlsoReschedulesAFinWaitDirectRoutingEntry() {
        plane.services.editService(ServiceConfig.of(WEB, "rr"));
        plane.services.forwarderAdded(ForwardMethod.ROUTE, new org.jlvs.forward.dr.internal.DrForwarder());
        for (int rs : new int[] {RS1, RS2, RS3}) plane.services.deleteServer(WEB, rs, 8080);
        for (int rs : new int[] {RS1, RS2, RS3}) {
            plane.services.addServer(WEB, ServerConfig.of(rs, 80, ForwardMethod.ROUTE, 1));
            byte[] arpReply = new byte[42];
            long mac = 0x020000000000L | (rs & 0xff);
            Arp.writeFrame(arpReply, 0, DIR_S_MAC, mac, Arp.REPLY, mac, rs, DIR_S_MAC, DIR_S);
            serverPath.onFrame(arpReply, 42);
        }
        for (int mode : new int[] {1, 2}) {
            plane.sysctls.apply(java.util.Map.of("conn_reuse_mode", mode));
            int p = port;
            int first = connect(CLIENT_A);
            send(CLIENT_A, p, Tcp.ACK);
            send(CLIENT_A, p, Tcp.FIN | Tcp.ACK); // INPUT_ONLY: ESTABLISHED + FIN -> FIN_WAIT
            send(CLIENT_A, p, Tcp.SYN);
            int again = sentTo(serverSide.only());
            if (mode == 1) assertEquals(first, again, "mode 1: a FIN_WAIT entry keeps its server");
            else assertNotEquals(first, again, "mode 2: a DR entry in FIN_WAIT is rescheduled");
        }
    }

    @Test
    void aSynOnAClosedEntryControlledByATemplateFollowsTheEntry() {
        int p = port;
        int first = connect(CLIENT_A);
        byte[] rst = DataPlaneTest.tcp(0x020000000000L | (first & 0xff), DIR_S_MAC, first, 8080, CLIENT_A, p,
                Tcp.RST, 0, false);
        serverPath.onFrame(rst, rst.length); // CLOSE, but controlled: is_new_conn_expected says no
        long created = plane.conns.created.sum();
        send(CLIENT_A, p, Tcp.SYN);
        assertEquals(first, Ipv4.dst(serverSide.only(), 14));
        assertEquals(created, plane.conns.created.sum(), "the old entry was used, not a new one made");
    }

    @Test
    void connReuseModeZeroKeepsAClosedEntrysServerForANewSyn() {
        plane.services.editService(ServiceConfig.of(WEB, "rr"));
        for (int mode : new int[] {1, 0}) {
            plane.sysctls.apply(java.util.Map.of("conn_reuse_mode", mode));
            int p = port;
            int first = connect(CLIENT_A);
            byte[] rst = DataPlaneTest.tcp(0x020000000000L | (first & 0xff), DIR_S_MAC, first, 8080, CLIENT_A, p,
                    Tcp.RST, 0, false);
            serverPath.onFrame(rst, rst.length); // the entry is CLOSE now
            send(CLIENT_A, p, Tcp.SYN);
            int again = Ipv4.dst(serverSide.only(), 14);
            if (mode == 1) assertNotEquals(first, again, "conn_reuse_mode 1: rescheduled (rr moves on)");
            else assertEquals(first, again, "conn_reuse_mode 0: the old entry and its server");
        }
    }
}
