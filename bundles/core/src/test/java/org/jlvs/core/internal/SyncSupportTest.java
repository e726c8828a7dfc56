package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.spi.RealServer;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The core's ConnectionSync: the master's feed on the packet path, a backup's installs, the snapshot. */
class SyncSupportTest {
    private static final long CLIENT_MAC = 0x020000000002L, DIR_C_MAC = 0x0200000000c1L, DIR_S_MAC = 0x0200000000c2L;
    private static final int VIP = Ip4.parse("10.99.1.100"), DIR_C = Ip4.parse("10.99.1.1"),
            DIR_S = Ip4.parse("10.99.2.1"), RS1 = Ip4.parse("10.99.2.11"), RS2 = Ip4.parse("10.99.2.12");
    private static final int CLIENT = Ip4.parse("10.99.1.2");
    private static final ServiceKey WEB = new ServiceKey(Protocol.TCP, VIP, 80);
    private static final ServiceKey STICKY = new ServiceKey(Protocol.TCP, VIP, 443);
    private static final ServiceKey DNS = new ServiceKey(Protocol.UDP, VIP, 53);
    private static final long SECOND = 1_000_000_000L;

    private final AtomicLong clock = new AtomicLong(1_000 * SECOND);
    private final DataPlaneTest.FakeChannel clientSide = new DataPlaneTest.FakeChannel("eth0");
    private final DataPlaneTest.FakeChannel serverSide = new DataPlaneTest.FakeChannel("eth1");
    private DataPlane plane;
    private SyncSupport sync;
    private PacketPath clientPath;
    private PacketPath serverPath;
    private final SyncQueue queue = new SyncQueue(64);
    private final SyncFeed feed = new SyncFeed(SyncRule.DEFAULT, queue);

    /** Always the first server: the tests name where a connection goes. */
    private final Scheduler first = service -> flow -> service.realServers().isEmpty() ? null
            : service.realServers().get(0);

    @BeforeEach
    void setUp() {
        plane = new DataPlane(clock::get, Path.of("/nonexistent/route"), Path.of("/nonexistent/arp"), Runnable::run);
        sync = new SyncSupport(plane);
        clientPath = link(clientSide, DIR_C_MAC, DIR_C);
        serverPath = link(serverSide, DIR_S_MAC, DIR_S);
        plane.services.schedulerAdded("first", first);
        plane.services.forwarderAdded(ForwardMethod.MASQ, new NatForwarder());
        plane.services.addService(new ServiceConfig(WEB, "first", 0, 0, 0xffffffff));
        plane.services.addService(new ServiceConfig(STICKY, "first", 0, 300, 0xffffff00));
        plane.services.addService(new ServiceConfig(DNS, "first", 0, 0, 0xffffffff));
        for (ServiceKey k : new ServiceKey[] {WEB, STICKY, DNS}) {
            for (int rs : new int[] {RS1, RS2}) plane.services.addServer(k, ServerConfig.of(rs, 8080, ForwardMethod.MASQ, 1));
        }
        for (int rs : new int[] {RS1, RS2}) {
            long mac = 0x020000000000L | (rs & 0xff);
            byte[] arpReply = new byte[42];
            Arp.writeFrame(arpReply, 0, DIR_S_MAC, mac, Arp.REPLY, mac, rs, DIR_S_MAC, DIR_S);
            serverPath.onFrame(arpReply, 42);
        }
        clientSide.sent.clear();
        serverSide.sent.clear();
    }

    private PacketPath link(DataPlaneTest.FakeChannel channel, long mac, int address) {
        Link link = new Link(channel.name, channel, mac, address, 24, plane.newNeighbours(channel.name));
        PacketPath path = new PacketPath(plane, link);
        plane.addLink(link);
        return path;
    }

    private void fromClient(int cport, int vport, int flags) {
        byte[] f = DataPlaneTest.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, cport, VIP, vport, flags, 0, false);
        clientPath.onFrame(f, f.length);
    }

    private static byte[] udp(int sport, int dport, int payload) {
        byte[] f = new byte[14 + 28 + payload];
        org.jlvs.packet.Ethernet.writeHeader(f, 0, DIR_C_MAC, CLIENT_MAC, org.jlvs.packet.Ethernet.TYPE_IPV4);
        Ipv4.writeHeader(f, 14, 0, 28 + payload, 5, false, 64, Ipv4.PROTO_UDP, CLIENT, VIP);
        org.jlvs.packet.Udp.writeHeader(f, 34, sport, dport, 8 + payload);
        org.jlvs.packet.Bytes.put16(f, 40, org.jlvs.packet.Checksums.l4Checksum(f, 14));
        return f;
    }

    private void fromServer(int rs, int cport, int flags) {
        byte[] f = DataPlaneTest.tcp(0x020000000000L | (rs & 0xff), DIR_S_MAC, rs, 8080, CLIENT, cport, flags, 0,
                false);
        serverPath.onFrame(f, f.length);
    }

    /** SYN, SYN-ACK, ACK: the client has sent two packets, the entry is ESTABLISHED. */
    private void handshake(int cport, int vport) {
        fromClient(cport, vport, Tcp.SYN);
        fromServer(RS1, cport, Tcp.SYN | Tcp.ACK);
        fromClient(cport, vport, Tcp.ACK);
    }

    private List<SyncEntry> drain() {
        List<SyncEntry> out = new ArrayList<>();
        queue.drain(new SyncEntry(), e -> out.add(new SyncEntry().copyFrom(e)), 1000);
        return out;
    }

    private static SyncEntry entry(int protocol, int flags, int state, int cport, int vport, int rs, int timeout) {
        return new SyncEntry().set(protocol, flags, state, CLIENT, cport, VIP, vport, rs, 8080, 0, timeout);
    }

    private ConnectionInfo listed(int cport) {
        List<ConnectionInfo> all = new ArrayList<>();
        plane.conns.forEach(c -> c.clientPort() == cport, 10, all::add);
        assertEquals(1, all.size(), "entries for client port " + cport);
        return all.get(0);
    }

    private RealServer server(ServiceKey key, int rs) {
        for (Service s : plane.services.services()) {
            if (s.key().equals(key)) return s.find(rs, 8080);
        }
        throw new AssertionError("no service " + key);
    }

    // ---- master: the feed ----

    @Test
    void withoutAFeedNothingIsOffered() {
        handshake(40000, 80);
        assertFalse(listed(40000).synced(), "made here: origin LOCAL");
        for (int i = 0; i < 60; i++) fromClient(40000, 80, Tcp.ACK);
        assertEquals(0, queue.size());
    }

    @Test
    void anEstablishedConnectionIsSentAtTheThresholdPacketThenEveryPeriod() {
        sync.attach(feed);
        handshake(40000, 80); // client packets 1 (SYN_RECV: never sent) and 2
        assertEquals(0, queue.size(), "before the threshold");
        fromClient(40000, 80, Tcp.ACK); // packet 3 == sync_threshold
        List<SyncEntry> sent = drain();
        assertEquals(1, sent.size());
        SyncEntry e = sent.get(0);
        assertEquals(IpvsConn.PROTO_TCP, e.protocol);
        assertEquals(IpvsConn.TCP_ESTABLISHED, e.state);
        assertEquals(IpvsConn.F_MASQ, e.flags, "NAT, active, no template");
        assertEquals(CLIENT, e.clientAddress);
        assertEquals(40000, e.clientPort);
        assertEquals(VIP, e.virtualAddress);
        assertEquals(80, e.virtualPort);
        assertEquals(RS1, e.destAddress);
        assertEquals(8080, e.destPort);
        assertEquals(900, e.timeout, "ESTABLISHED's timeout in seconds");
        for (int p = 4; p <= 52; p++) fromClient(40000, 80, Tcp.ACK);
        assertEquals(0, queue.size(), "packets 4..52: not sent");
        fromClient(40000, 80, Tcp.ACK); // 53 % 50 == 3
        assertEquals(1, drain().size());
    }

    @Test
    void aClosingStateIsSentAtOnce() {
        sync.attach(feed);
        handshake(40000, 80);
        fromClient(40000, 80, Tcp.ACK); // packet 3: ESTABLISHED at the threshold
        assertEquals(IpvsConn.TCP_ESTABLISHED, drain().get(0).state);
        fromClient(40000, 80, Tcp.FIN | Tcp.ACK); // packet 4: the client closes (IPVS's INPUT fin: CLOSE_WAIT)
        List<SyncEntry> sent = drain();
        assertEquals(1, sent.size(), "a change into a closing state goes at once, whatever the packet count");
        assertEquals(IpvsConn.TCP_CLOSE_WAIT, sent.get(0).state);
        assertEquals(IpvsConn.F_INACTIVE, sent.get(0).flags & IpvsConn.F_INACTIVE);
        assertEquals(60, sent.get(0).timeout, "CLOSE_WAIT's timeout");
        fromClient(40000, 80, Tcp.ACK); // the same state again: not sent before the period
        assertEquals(0, queue.size());
        fromClient(40000, 80, Tcp.RST); // CLOSE: at once
        sent = drain();
        assertEquals(1, sent.size());
        assertEquals(IpvsConn.TCP_CLOSE, sent.get(0).state);
    }

    @Test
    void udpIsSentAtTheThreshold() {
        sync.attach(feed);
        for (int i = 0; i < 3; i++) {
            byte[] d = udp(5353, 53, 10);
            clientPath.onFrame(d, d.length);
        }
        List<SyncEntry> sent = drain();
        assertEquals(1, sent.size());
        assertEquals(IpvsConn.PROTO_UDP, sent.get(0).protocol);
        assertEquals(0, sent.get(0).state);
        assertEquals(300, sent.get(0).timeout, "UDP's timeout");
    }

    @Test
    void aPersistentConnectionSendsItsTemplateWithThePersistenceTimeout() {
        sync.attach(feed);
        fromClient(40001, 443, Tcp.SYN);
        List<SyncEntry> sent = drain();
        assertEquals(1, sent.size(), "the template, for the connection's first packet");
        SyncEntry t = sent.get(0);
        assertTrue(t.isTemplate());
        assertEquals(CLIENT & 0xffffff00, t.clientAddress, "the masked client");
        assertEquals(0, t.clientPort);
        assertEquals(443, t.virtualPort);
        assertEquals(RS1, t.destAddress);
        assertEquals(300, t.timeout, "the persistence timeout");
    }

    @Test
    void detachStopsTheFeedAndAnotherFeedsDetachLeavesIt() {
        sync.attach(feed);
        SyncFeed other = new SyncFeed(SyncRule.DEFAULT, new SyncQueue(2));
        sync.detach(other);
        handshake(40000, 80);
        fromClient(40000, 80, Tcp.ACK);
        assertEquals(1, drain().size(), "still attached");
        sync.detach(feed);
        handshake(40002, 80);
        fromClient(40002, 80, Tcp.ACK);
        assertEquals(0, queue.size());
    }

    @Test
    void aFullQueueDropsAndCountsWithoutStoppingThePacket() {
        SyncQueue tiny = new SyncQueue(2);
        sync.attach(new SyncFeed(SyncRule.DEFAULT, tiny));
        for (int port = 41000; port < 41005; port++) {
            handshake(port, 80);
            serverSide.sent.clear();
            fromClient(port, 80, Tcp.ACK);
            assertEquals(1, serverSide.sent.size(), "forwarded whatever the queue");
        }
        assertEquals(2, tiny.size());
        assertEquals(3, tiny.dropped());
    }

    // ---- backup: install ----

    @Test
    void anInstalledConnectionIsSyncedCountedAndListed() {
        InstallResult r = sync.install(entry(6, IpvsConn.F_MASQ, IpvsConn.TCP_ESTABLISHED, 50000, 80, RS2, 600));
        assertEquals(InstallResult.CREATED, r);
        assertTrue(plane.conns.isSynced(6, CLIENT, 50000, VIP, 80));
        ConnectionInfo c = listed(50000);
        assertEquals("ESTABLISHED", c.state());
        assertEquals(RS2, c.serverAddress());
        assertEquals(600_000, c.expiresMillis());
        assertTrue(c.synced(), "listed with origin SYNC");
        assertEquals(1, server(WEB, RS2).activeConns());
        assertEquals(0, server(WEB, RS2).inactiveConns());
        assertEquals(1, sync.entries());
    }

    @Test
    void anUpdateChangesStateTimeoutAndTheActiveCount() {
        sync.install(entry(6, IpvsConn.F_MASQ, IpvsConn.TCP_ESTABLISHED, 50000, 80, RS2, 600));
        InstallResult r = sync.install(entry(6, IpvsConn.F_MASQ | IpvsConn.F_INACTIVE, IpvsConn.TCP_FIN_WAIT, 50000,
                80, RS2, 0));
        assertEquals(InstallResult.UPDATED, r);
        ConnectionInfo c = listed(50000);
        assertEquals("FIN_WAIT", c.state());
        assertEquals(120_000, c.expiresMillis(), "timeout 0: the protocol's for the state");
        assertEquals(0, server(WEB, RS2).activeConns());
        assertEquals(1, server(WEB, RS2).inactiveConns());
        assertEquals(1, sync.entries());
    }

    @Test
    void unknownServicesAndServersAreRefused() {
        assertEquals(InstallResult.UNKNOWN_SERVICE, sync.install(entry(6, 0, 1, 50000, 81, RS1, 60)));
        SyncEntry e = entry(6, 0, 1, 50000, 80, Ip4.parse("10.99.2.99"), 60);
        assertEquals(InstallResult.UNKNOWN_SERVER, sync.install(e));
        e = entry(6, 0, 1, 50000, 80, RS1, 60);
        e.destPort = 9090;
        assertEquals(InstallResult.UNKNOWN_SERVER, sync.install(e));
        assertEquals(0, sync.entries());
    }

    @Test
    void invalidFieldsAreRefused() {
        assertEquals(InstallResult.INVALID, sync.install(entry(6, 0, IpvsConn.TCP_STATES, 50000, 80, RS1, 60)));
        assertEquals(InstallResult.INVALID, sync.install(entry(17, 0, 1, 50000, 53, RS1, 60)), "UDP has one state");
        assertEquals(InstallResult.INVALID, sync.install(entry(132, 0, 0, 50000, 80, RS1, 60)), "no SCTP");
        assertEquals(InstallResult.INVALID, sync.install(entry(6, IpvsConn.F_TEMPLATE, 2, 0, 443, RS1, 60)),
                "template state below 2");
        assertEquals(InstallResult.INVALID, sync.install(entry(6, 0, 1, 0, 80, RS1, 60)), "client port 0");
        assertEquals(InstallResult.INVALID, sync.install(entry(6, 0, 1, 50000, 80, RS1, -1)));
        assertEquals(0, sync.entries());
    }

    @Test
    void anActiveMessageReplacesAConnectionToAnotherServerAnInactiveOneIsIgnored() {
        sync.install(entry(6, 0, IpvsConn.TCP_ESTABLISHED, 50000, 80, RS1, 600));
        assertEquals(InstallResult.IGNORED,
                sync.install(entry(6, IpvsConn.F_INACTIVE, IpvsConn.TCP_CLOSE, 50000, 80, RS2, 10)));
        assertEquals(RS1, listed(50000).serverAddress());
        assertEquals(InstallResult.REPLACED, sync.install(entry(6, 0, IpvsConn.TCP_ESTABLISHED, 50000, 80, RS2, 600)));
        assertEquals(RS2, listed(50000).serverAddress());
        assertEquals(0, server(WEB, RS1).activeConns() + server(WEB, RS1).inactiveConns());
        assertEquals(1, server(WEB, RS2).activeConns());
    }

    @Test
    void anInstalledTemplateKeepsItsTimeoutAndSendsTheClientToItsServer() {
        SyncEntry t = new SyncEntry().set(6, IpvsConn.F_TEMPLATE, 0, CLIENT & 0xffffff00, 0, VIP, 443, RS2, 8080, 0,
                250);
        assertEquals(InstallResult.CREATED, sync.install(t));
        assertEquals(1, plane.conns.templates());
        assertEquals(1, server(STICKY, RS2).persistentConns());
        ConnectionInfo listedT = listed(0);
        assertEquals(250_000, listedT.expiresMillis());
        serverSide.sent.clear();
        fromClient(40010, 443, Tcp.SYN); // the scheduler would pick RS1: the synced template says RS2
        assertEquals(RS2, Ipv4.dst(serverSide.only(), 14));
        t.timeout = 0;
        assertEquals(InstallResult.UPDATED, sync.install(t));
        assertEquals(IpvsConn.TEMPLATE_DEFAULT_TIMEOUT * 1000L, listed(0).expiresMillis(), "0: three minutes");
    }

    @Test
    void aSyncedConnectionIsForwardedBothWays() {
        sync.install(entry(6, 0, IpvsConn.TCP_ESTABLISHED, 50000, 80, RS2, 600));
        clientSide.sent.clear(); // the ARP request for the client, asked ahead
        fromClient(50000, 80, Tcp.ACK);
        byte[] toServer = serverSide.only();
        assertEquals(RS2, Ipv4.dst(toServer, 14));
        assertEquals(CLIENT, Ipv4.src(toServer, 14));
        fromServer(RS2, 50000, Tcp.ACK);
        byte[] toClient = clientSide.only();
        assertEquals(VIP, Ipv4.src(toClient, 14));
        assertEquals(CLIENT_MAC, org.jlvs.packet.Ethernet.dst(toClient, 0), "to the MAC its client came from");
        assertEquals("ESTABLISHED", listed(50000).state());
    }

    @Test
    void aReplyBeforeAnyClientPacketIsDroppedUntilTheClientsMacIsKnown() {
        sync.install(entry(6, 0, IpvsConn.TCP_ESTABLISHED, 50000, 80, RS2, 600));
        long before = plane.counters().get("dropped_no_route");
        fromServer(RS2, 50000, Tcp.ACK);
        assertFalse(clientSide.sent.stream().anyMatch(f -> Ipv4.src(f, 14) == VIP), "no reply sent blind");
        assertEquals(before + 1, plane.counters().get("dropped_no_route"));
        assertTrue(clientSide.sent.stream().anyMatch(f -> (f[12] & 0xff) == 0x08 && (f[13] & 0xff) == 0x06),
                "an ARP request for the client");
    }

    @Test
    void aSyncedEntryResolvesItsClientAheadSoTheFirstReplyAfterATakeoverPasses() {
        sync.install(entry(6, 0, IpvsConn.TCP_ESTABLISHED, 50000, 80, RS2, 600));
        assertEquals(1, clientSide.sent.stream().filter(f -> (f[12] & 0xff) == 0x08 && (f[13] & 0xff) == 0x06)
                .filter(f -> Arp.targetIp(f, 14) == CLIENT).count(), "one ARP request for the client at install");
        sync.install(entry(6, 0, IpvsConn.TCP_ESTABLISHED, 50001, 80, RS2, 600));
        assertEquals(1, clientSide.sent.size(), "a known next hop is not asked again per entry");
        byte[] arpReply = new byte[42];
        Arp.writeFrame(arpReply, 0, DIR_C_MAC, CLIENT_MAC, Arp.REPLY, CLIENT_MAC, CLIENT, DIR_C_MAC, DIR_C);
        clientPath.onFrame(arpReply, 42);
        clientSide.sent.clear();
        long before = plane.counters().get("dropped_no_route");
        fromServer(RS2, 50000, Tcp.ACK);
        byte[] toClient = clientSide.only();
        assertEquals(VIP, Ipv4.src(toClient, 14));
        assertEquals(CLIENT_MAC, org.jlvs.packet.Ethernet.dst(toClient, 0));
        assertEquals(before, plane.counters().get("dropped_no_route"));
    }

    // ---- resync: the snapshot ----

    @Test
    void theSnapshotStreamsEveryEntryWithItsTimeLeft() {
        handshake(40000, 80);
        fromClient(40001, 443, Tcp.SYN); // a connection and its template
        sync.install(entry(6, 0, IpvsConn.TCP_ESTABLISHED, 50000, 80, RS2, 600));
        clock.addAndGet(100 * SECOND);
        List<SyncEntry> all = new ArrayList<>();
        long n = sync.snapshot(new SyncEntry(), e -> all.add(new SyncEntry().copyFrom(e)));
        assertEquals(4, n);
        assertEquals(4, all.size());
        SyncEntry synced = all.stream().filter(e -> e.clientPort == 50000).findFirst().orElseThrow();
        assertEquals(500, synced.timeout, "the time left");
        assertEquals(IpvsConn.TCP_ESTABLISHED, synced.state);
        assertEquals(RS2, synced.destAddress);
        SyncEntry template = all.stream().filter(SyncEntry::isTemplate).findFirst().orElseThrow();
        assertEquals(200, template.timeout);
        assertEquals(443, template.virtualPort);
        SyncEntry established = all.stream().filter(e -> e.clientPort == 40000).findFirst().orElseThrow();
        assertEquals(800, established.timeout);
        assertNotNull(established);
    }
}
