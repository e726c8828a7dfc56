package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.MarkRule;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.sync.InstallResult;
import org.jlvs.api.sync.IpvsConn;
import org.jlvs.api.sync.SyncEntry;
import org.jlvs.api.sync.SyncFeed;
import org.jlvs.api.sync.SyncQueue;
import org.jlvs.api.sync.SyncRule;
import org.jlvs.forward.nat.internal.NatForwarder;
import org.jlvs.packet.Arp;
import org.jlvs.packet.Ipv4;
import org.jlvs.packet.Tcp;
import org.junit.jupiter.api.Test;

/**
 * Connection sync of firewall-mark services, as IPVS peers do it: a connection carries the mark of its service
 * (the kernel sends the packets' mark), and a persistent mark service's template is
 * {@code <IPPROTO_IP, masked client, 0, fwmark, 0>} with the mark (ip_vs_sched_persist). A backup finds the
 * service by the mark first, then by address (ip_vs_service_find), and a server of a mark service by its
 * address with port 0 (ip_vs_find_dest).
 */
class MarkSyncTest {
    private static final long CLIENT_MAC = 0x020000000002L, DIR_C_MAC = 0x0200000000c1L, DIR_S_MAC = 0x0200000000c2L;
    private static final int VIP = Ip4.parse("10.99.1.100"), DIR_C = Ip4.parse("10.99.1.1"),
            DIR_S = Ip4.parse("10.99.2.1"), RS1 = Ip4.parse("10.99.2.11"), RS2 = Ip4.parse("10.99.2.12");
    private static final int CLIENT_A = Ip4.parse("10.99.1.2"), CLIENT_B = Ip4.parse("10.99.1.3");
    private static final int MARK = 1;
    private static final int IPPROTO_IP = 0;

    /** Always the first server: the tests name where a connection goes. */
    private static final Scheduler FIRST = service -> flow -> service.realServers().isEmpty() ? null
            : service.realServers().get(0);

    /**
     * A director with mark 1 over VIP:80 and VIP:443, service -f 1 -p 300 over {@code servers} in that order
     * (port 0, NAT).
     */
    private static final class Director {
        final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
        final DataPlaneTest.FakeChannel clientSide = new DataPlaneTest.FakeChannel("eth0");
        final DataPlaneTest.FakeChannel serverSide = new DataPlaneTest.FakeChannel("eth1");
        final DataPlane plane = new DataPlane(clock::get, Path.of("/nonexistent/route"), Path.of("/nonexistent/arp"),
                Runnable::run);
        final SyncSupport sync = new SyncSupport(plane);
        final PacketPath clientPath = link(clientSide, DIR_C_MAC, DIR_C);
        final PacketPath serverPath = link(serverSide, DIR_S_MAC, DIR_S);
        int port = 40000;

        Director(int... servers) {
            plane.services.schedulerAdded("first", FIRST);
            plane.services.forwarderAdded(ForwardMethod.MASQ, new NatForwarder());
            plane.services.setMarkRules(List.of(MarkRule.parse(MARK + " tcp 10.99.1.100 80"),
                    MarkRule.parse(MARK + " tcp 10.99.1.100 443")));
            plane.services.addService(new ServiceConfig(ServiceKey.fwmark(MARK), "first", 0, 300, 0xffffffff));
            for (int rs : servers) {
                plane.services.addServer(ServiceKey.fwmark(MARK), ServerConfig.of(rs, 0, ForwardMethod.MASQ, 1));
                byte[] arpReply = new byte[42];
                long mac = 0x020000000000L | (rs & 0xff);
                Arp.writeFrame(arpReply, 0, DIR_S_MAC, mac, Arp.REPLY, mac, rs, DIR_S_MAC, DIR_S);
                serverPath.onFrame(arpReply, 42);
            }
        }

        private PacketPath link(DataPlaneTest.FakeChannel channel, long mac, int address) {
            Link link = new Link(channel.name, channel, mac, address, 24, plane.newNeighbours(channel.name));
            PacketPath path = new PacketPath(plane, link);
            plane.addLink(link);
            return path;
        }

        /** A SYN from a new port of {@code client}: the real server it was sent to, 0 if none. */
        int connect(int client, int vport) {
            byte[] syn = DataPlaneTest.tcp(CLIENT_MAC, DIR_C_MAC, client, port++, VIP, vport, Tcp.SYN, 0, false);
            serverSide.sent.clear();
            clientPath.onFrame(syn, syn.length);
            return serverSide.sent.isEmpty() ? 0 : Ipv4.dst(serverSide.sent.get(0), 14);
        }

        List<SyncEntry> snapshot() {
            List<SyncEntry> all = new ArrayList<>();
            sync.snapshot(new SyncEntry(), e -> all.add(new SyncEntry().copyFrom(e)));
            return all;
        }

        List<ConnectionInfo> listed() {
            List<ConnectionInfo> all = new ArrayList<>();
            plane.conns.forEach(c -> true, 100, all::add);
            return all;
        }

        /** The real server {@code rs} of the mark service. */
        Dest server(int rs) {
            for (Service s : plane.services.services()) {
                if (s.key().equals(ServiceKey.fwmark(MARK))) return s.find(rs, 0);
            }
            throw new AssertionError("no mark service");
        }
    }

    private static SyncEntry template(int client, int rs, int fwmark) {
        return new SyncEntry().set(IPPROTO_IP, IpvsConn.F_TEMPLATE | IpvsConn.F_MASQ, 0, client, 0, fwmark, 0, rs, 0,
                fwmark, 300);
    }

    private static SyncEntry connection(int client, int cport, int vport, int rs, int fwmark) {
        return new SyncEntry().set(IpvsConn.PROTO_TCP, IpvsConn.F_MASQ, IpvsConn.TCP_ESTABLISHED, client, cport, VIP,
                vport, rs, vport, fwmark, 900);
    }

    @Test
    void theMasterSendsTheMarkWithTheConnectionAndTheTemplateOfAMarkService() {
        Director a = new Director(RS1, RS2);
        SyncQueue queue = new SyncQueue(64);
        a.sync.attach(new SyncFeed(SyncRule.DEFAULT, queue));
        assertEquals(RS1, a.connect(CLIENT_A, 443));
        List<SyncEntry> sent = new ArrayList<>();
        queue.drain(new SyncEntry(), e -> sent.add(new SyncEntry().copyFrom(e)), 100);
        assertEquals(1, sent.size(), "the template, for the connection's first packet");
        SyncEntry t = sent.get(0);
        assertTrue(t.isTemplate());
        assertEquals(IPPROTO_IP, t.protocol, "a mark template covers every protocol");
        assertEquals(MARK, t.virtualAddress, "the mark in the virtual address");
        assertEquals(0, t.virtualPort);
        assertEquals(MARK, t.fwmark);
        for (SyncEntry e : a.snapshot()) assertEquals(MARK, e.fwmark, "snapshot: " + e);
        assertEquals(2, a.snapshot().size(), "the connection and its template");
    }

    @Test
    void aBackupInstallsTheKernelsMarkTemplateAndSendsTheClientToItsServerOnEveryPortOfTheMark() {
        Director b = new Director(RS1, RS2);
        assertEquals(InstallResult.CREATED, b.sync.install(template(CLIENT_A, RS2, MARK)));
        assertEquals(1, b.plane.conns.templates());
        // FIRST would pick RS1: the synced template says RS2, for both ports of the mark
        assertEquals(RS2, b.connect(CLIENT_A, 80));
        assertEquals(RS2, b.connect(CLIENT_A, 443));
        assertEquals(RS1, b.connect(CLIENT_B, 443), "another client is scheduled");
    }

    @Test
    void aBackupFindsTheServiceByTheMarkFirstAndAServerOfItByAddress() {
        Director b = new Director(RS1, RS2);
        assertEquals(InstallResult.CREATED, b.sync.install(connection(CLIENT_B, 50000, 443, RS2, MARK)));
        // the peer's packets were marked by its own rules: the mark names the service whatever the port
        assertEquals(InstallResult.CREATED, b.sync.install(connection(CLIENT_B, 50001, 8443, RS2, MARK)));
        // no mark (a jlvs master before marks were synced): this director's rules classify it
        assertEquals(InstallResult.CREATED, b.sync.install(connection(CLIENT_B, 50002, 80, RS1, 0)));
        assertEquals(3, b.listed().size());
        assertEquals(2, b.server(RS2).activeConns(), "bound to the mark service's RS2");
        assertEquals(1, b.server(RS1).activeConns(), "bound to the mark service's RS1");
    }

    @Test
    void unknownMarksAndMarklessProtocolZeroTemplatesAreRefused() {
        Director b = new Director(RS1, RS2);
        assertEquals(InstallResult.UNKNOWN_SERVICE, b.sync.install(template(CLIENT_A, RS2, 9)), "no service -f 9");
        assertEquals(InstallResult.UNKNOWN_SERVICE, b.sync.install(connection(CLIENT_B, 50000, 8443, RS2, 9)),
                "mark 9 unknown and no service at VIP:8443");
        SyncEntry markless = template(CLIENT_A, RS2, 0);
        assertEquals(InstallResult.INVALID, b.sync.install(markless), "protocol 0 without a mark");
        assertEquals(InstallResult.UNKNOWN_SERVER,
                b.sync.install(connection(CLIENT_B, 50001, 443, Ip4.parse("10.99.2.99"), MARK)));
        assertEquals(0, b.sync.entries());
    }

    @Test
    void whatOneDirectorSendsAnotherInstallsAsItWas() {
        Director a = new Director(RS1, RS2);
        assertEquals(RS1, a.connect(CLIENT_A, 80));
        assertEquals(RS1, a.connect(CLIENT_B, 443));
        Director b = new Director(RS2, RS1); // its scheduler would pick RS2
        for (SyncEntry e : a.snapshot()) assertEquals(InstallResult.CREATED, b.sync.install(e), e.toString());
        assertEquals(2, b.plane.conns.templates());
        assertEquals(4, b.sync.entries());
        assertEquals(2, b.server(RS1).activeConns() + b.server(RS1).inactiveConns());
        // both clients' templates say RS1 on b as on a, on the other port of the mark too
        assertEquals(RS1, b.connect(CLIENT_A, 443));
        assertEquals(RS1, b.connect(CLIENT_B, 80));
        assertEquals(RS2, b.connect(CLIENT_A + 2, 80), "a new client gets b's own choice");
    }
}
