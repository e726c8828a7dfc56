package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.ha.DirectorRole;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.core.internal.DataPlaneTest.FakeChannel;
import org.jlvs.forward.nat.internal.NatForwarder;
import org.jlvs.packet.Arp;
import org.jlvs.packet.Checksums;
import org.jlvs.packet.Ethernet;
import org.jlvs.packet.Icmp;
import org.jlvs.packet.Ipv4;
import org.jlvs.packet.Tcp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The VRRP role drives the packet path: in MASTER the director answers and forwards for its instances'
 * addresses (the VIP, and the server-side gateway address that is no VIP); in BACKUP, INIT and FAULT it is
 * silent for them and drops what still arrives, counted; an address no instance manages is served whatever
 * the role; without a role everything is served.
 */
class DirectorRoleTest {
    private static final long CLIENT_MAC = 0x020000000002L, DIR_C_MAC = 0x0200000000c1L, DIR_S_MAC = 0x0200000000c2L,
            RS_MAC = 0x020000000011L;
    private static final int CLIENT = Ip4.parse("10.99.1.2"), VIP = Ip4.parse("10.99.1.100"),
            OTHER_VIP = Ip4.parse("10.99.1.200"), GATEWAY = Ip4.parse("10.99.2.254"),
            DIR_C = Ip4.parse("10.99.1.1"), DIR_S = Ip4.parse("10.99.2.1"), RS = Ip4.parse("10.99.2.11");
    private static final ServiceKey WEB = new ServiceKey(Protocol.TCP, VIP, 80);
    private static final ServiceKey UNMANAGED = new ServiceKey(Protocol.TCP, OTHER_VIP, 80);

    private final FakeChannel clientSide = new FakeChannel("eth0");
    private final FakeChannel serverSide = new FakeChannel("eth1");
    private final FakeRole role = new FakeRole();
    private DataPlane plane;
    private PacketPath clientPath;
    private PacketPath serverPath;

    @BeforeEach
    void setUp() {
        plane = new DataPlane(System::nanoTime, Path.of("/nonexistent/route"), Path.of("/nonexistent/arp"), Runnable::run);
        clientPath = link(clientSide, DIR_C_MAC, DIR_C);
        serverPath = link(serverSide, DIR_S_MAC, DIR_S);
        Scheduler first = service -> flow -> service.realServers().get(0);
        plane.services.schedulerAdded("first", first);
        plane.services.forwarderAdded(ForwardMethod.MASQ, new NatForwarder());
        role.addresses = List.of(VIP, GATEWAY);
        plane.role.bind(role);
    }

    private PacketPath link(FakeChannel channel, long mac, int address) {
        Link link = new Link(channel.name, channel, mac, address, 24, plane.newNeighbours(channel.name));
        PacketPath path = new PacketPath(plane, link);
        plane.addLink(link);
        return path;
    }

    private void addServices() {
        for (ServiceKey key : List.of(WEB, UNMANAGED)) {
            plane.services.addService(ServiceConfig.of(key, "first"));
            plane.services.addServer(key, ServerConfig.of(RS, 8080, ForwardMethod.MASQ, 1));
        }
        byte[] arpReply = new byte[42];
        Arp.writeFrame(arpReply, 0, DIR_S_MAC, RS_MAC, Arp.REPLY, RS_MAC, RS, DIR_S_MAC, DIR_S);
        serverPath.onFrame(arpReply, 42);
        clientSide.sent.clear();
        serverSide.sent.clear();
    }

    @Test
    void aBackupAnnouncesNoManagedVipAndAMasterDoes() {
        role.state = DirectorRole.State.BACKUP;
        plane.services.addService(ServiceConfig.of(WEB, "first"));
        assertEquals(0, clientSide.sent.size(), "a backup's GARP would steal the master's traffic");
        plane.services.addService(ServiceConfig.of(UNMANAGED, "first"));
        assertTrue(Arp.isGratuitous(clientSide.only(), 14), "an address no instance manages is announced");
    }

    @Test
    void masterAnswersArpAndPingForTheVipAndTheGatewayAddress() {
        addServices();
        role.state = DirectorRole.State.MASTER;
        for (int address : new int[] {VIP, GATEWAY, OTHER_VIP}) {
            FakeChannel side = address == GATEWAY ? serverSide : clientSide;
            PacketPath path = address == GATEWAY ? serverPath : clientPath;
            path.onFrame(arpRequest(address), 42);
            byte[] reply = side.only();
            assertEquals(Arp.REPLY, Arp.op(reply, 14));
            assertEquals(address, Arp.senderIp(reply, 14));
            byte[] ping = icmpEcho(address);
            path.onFrame(ping, ping.length);
            byte[] pong = side.only();
            assertEquals(Icmp.ECHO_REPLY, Icmp.type(pong, 34));
            assertEquals(address, Ipv4.src(pong, 14));
        }
        assertEquals(0L, counters().get("ignored_not_master"));
    }

    @Test
    void backupInitAndFaultAreSilentForManagedAddressesOnly() {
        addServices();
        long ignored = 0;
        for (DirectorRole.State state : List.of(DirectorRole.State.INIT, DirectorRole.State.BACKUP,
                DirectorRole.State.FAULT)) {
            role.state = state;
            for (int address : new int[] {VIP, GATEWAY}) {
                clientPath.onFrame(arpRequest(address), 42);
                byte[] ping = icmpEcho(address);
                clientPath.onFrame(ping, ping.length);
                ignored += 2;
            }
            assertEquals(0, clientSide.sent.size(), state + " answers nothing for the instance's addresses");
            assertEquals(ignored, counters().get("ignored_not_master"));
            clientPath.onFrame(arpRequest(OTHER_VIP), 42);
            assertEquals(OTHER_VIP, Arp.senderIp(clientSide.only(), 14), "an unmanaged VIP is answered in " + state);
        }
    }

    @Test
    void aBackupForwardsNoFrameOfAManagedVipInEitherDirectionAndTakesOverAtOnce() {
        addServices();
        role.state = DirectorRole.State.MASTER;
        byte[] syn = tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP, 80, Tcp.SYN);
        clientPath.onFrame(syn, syn.length);
        serverSide.only();

        role.state = DirectorRole.State.BACKUP;
        byte[] ack = tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP, 80, Tcp.ACK);
        clientPath.onFrame(ack, ack.length);
        byte[] reply = tcp(RS_MAC, DIR_S_MAC, RS, 8080, CLIENT, 40000, Tcp.SYN | Tcp.ACK);
        serverPath.onFrame(reply, reply.length);
        byte[] newSyn = tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40001, VIP, 80, Tcp.SYN);
        clientPath.onFrame(newSyn, newSyn.length);
        assertEquals(0, serverSide.sent.size());
        assertEquals(0, clientSide.sent.size(), "no port unreachable either: the master answers");
        assertEquals(3L, counters().get("dropped_not_master"));
        assertEquals(1L, counters().get("connections"), "the connection is kept for the next takeover");

        byte[] unmanaged = tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40002, OTHER_VIP, 80, Tcp.SYN);
        clientPath.onFrame(unmanaged, unmanaged.length);
        assertEquals(RS, Ipv4.dst(serverSide.only(), 14), "an unmanaged VIP is forwarded by a backup");

        role.state = DirectorRole.State.MASTER;
        clientPath.onFrame(ack, ack.length);
        assertEquals(RS, Ipv4.dst(serverSide.only(), 14), "the kept connection is forwarded at once");
        serverPath.onFrame(reply, reply.length);
        assertEquals(VIP, Ipv4.src(clientSide.only(), 14), "and its replies");
        assertEquals(3L, counters().get("dropped_not_master"));
    }

    @Test
    void withoutARoleEveryAddressIsServed() {
        addServices();
        role.state = DirectorRole.State.BACKUP;
        plane.role.unbind(role);
        assertTrue(role.listeners.isEmpty(), "the listener is removed with the role");
        clientPath.onFrame(arpRequest(VIP), 42);
        assertEquals(VIP, Arp.senderIp(clientSide.only(), 14));
        clientPath.onFrame(arpRequest(GATEWAY), 42);
        assertEquals(0, clientSide.sent.size(), "the gateway address is no VIP: only an instance makes it ours");
        byte[] syn = tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP, 80, Tcp.SYN);
        clientPath.onFrame(syn, syn.length);
        serverSide.only();
    }

    @Test
    void instanceAddressesFollowTransitionsAndThePeriodicRefresh() {
        addServices();
        role.state = DirectorRole.State.MASTER;
        role.addresses = List.of(VIP); // the gateway left the instance's configuration, without a transition
        serverPath.onFrame(arpRequest(GATEWAY), 42);
        assertEquals(1, serverSide.sent.size(), "until the next refresh the old list holds");
        serverSide.sent.clear();
        plane.tick();
        serverPath.onFrame(arpRequest(GATEWAY), 42);
        assertEquals(0, serverSide.sent.size());
        role.addresses = List.of(VIP, GATEWAY);
        role.fire(DirectorRole.State.BACKUP, DirectorRole.State.MASTER);
        serverPath.onFrame(arpRequest(GATEWAY), 42);
        assertEquals(GATEWAY, Arp.senderIp(serverSide.only(), 14));
    }

    private Map<String, Long> counters() {
        return plane.counters();
    }

    private static byte[] arpRequest(int target) {
        byte[] request = new byte[42];
        Arp.writeFrame(request, 0, Ethernet.BROADCAST, CLIENT_MAC, Arp.REQUEST, CLIENT_MAC, CLIENT, 0, target);
        return request;
    }

    private static byte[] tcp(long srcMac, long dstMac, int src, int sport, int dst, int dport, int flags) {
        return DataPlaneTest.tcp(srcMac, dstMac, src, sport, dst, dport, flags, 0, false);
    }

    private static byte[] icmpEcho(int dst) {
        byte[] f = new byte[14 + 20 + 16];
        Ethernet.writeHeader(f, 0, DIR_C_MAC, CLIENT_MAC, Ethernet.TYPE_IPV4);
        Ipv4.writeHeader(f, 14, 0, 36, 7, true, 64, 1, CLIENT, dst);
        f[34] = (byte) Icmp.ECHO_REQUEST;
        int sum = Checksums.finish(Checksums.sum(f, 34, 16, 0));
        f[36] = (byte) (sum >> 8);
        f[37] = (byte) sum;
        return f;
    }

    /** One instance holding {@link #addresses}, in {@link #state}, as the ha bundle's service answers. */
    static class FakeRole implements DirectorRole {
        volatile State state = State.INIT;
        volatile List<Integer> addresses = List.of();
        final List<Listener> listeners = new ArrayList<>();

        @Override
        public boolean mayServe(int address) {
            return state == State.MASTER || !addresses.contains(address);
        }

        @Override
        public List<Instance> instances() {
            return List.of(instance());
        }

        Instance instance() {
            State s = state;
            List<Integer> a = addresses;
            return new Instance() {
                @Override public String name() { return "VI_1"; }
                @Override public String group() { return null; }
                @Override public String interfaceName() { return "eth0"; }
                @Override public int vrid() { return 51; }
                @Override public State state() { return s; }
                @Override public List<Integer> addresses() { return a; }
                @Override public int priority() { return 100; }
                @Override public int effectivePriority() { return 100; }
                @Override public int masterAddress() { return 0; }
                @Override public int advertIntervalCentis() { return 100; }
                @Override public long masterDownNanos() { return 3_609_375_000L; }
                @Override public Map<String, Long> counters() { return Map.of(); }
            };
        }

        void fire(State from, State to) {
            state = to;
            for (Listener l : listeners) l.stateChanged(instance(), from, to);
        }

        @Override public void addListener(Listener listener) { listeners.add(listener); }
        @Override public void removeListener(Listener listener) { listeners.remove(listener); }
    }
}
