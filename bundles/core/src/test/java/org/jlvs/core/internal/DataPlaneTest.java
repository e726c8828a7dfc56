package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.spi.PacketIo;
import org.jlvs.api.Protocol;
import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.forward.nat.internal.NatForwarder;
import org.jlvs.packet.Arp;
import org.jlvs.packet.Checksums;
import org.jlvs.packet.Ethernet;
import org.jlvs.packet.Icmp;
import org.jlvs.packet.Ipv4;
import org.jlvs.packet.Tcp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The packet path end to end on fake interfaces: ARP and ICMP for the VIP, NAT both ways, refusals, bad frames. */
class DataPlaneTest {
    private static final long CLIENT_MAC = 0x020000000002L, DIR_C_MAC = 0x0200000000c1L, DIR_S_MAC = 0x0200000000c2L,
            RS_MAC = 0x020000000011L;
    private static final int CLIENT = Ip4.parse("10.99.1.2"), VIP = Ip4.parse("10.99.1.100"),
            DIR_C = Ip4.parse("10.99.1.1"), DIR_S = Ip4.parse("10.99.2.1"), RS = Ip4.parse("10.99.2.11");
    private static final ServiceKey WEB = new ServiceKey(Protocol.TCP, VIP, 80);

    private final FakeChannel clientSide = new FakeChannel("eth0");
    private final FakeChannel serverSide = new FakeChannel("eth1");
    private DataPlane plane;
    private PacketPath clientPath;
    private PacketPath serverPath;
    private final Scheduler first = service -> flow -> service.realServers().isEmpty() ? null : service.realServers().get(0);

    @BeforeEach
    void setUp() {
        plane = new DataPlane(System::nanoTime, Path.of("/nonexistent/route"), Path.of("/nonexistent/arp"), Runnable::run);
        clientPath = link(clientSide, DIR_C_MAC, DIR_C);
        serverPath = link(serverSide, DIR_S_MAC, DIR_S);
        plane.services.schedulerAdded("first", first);
        plane.services.forwarderAdded(ForwardMethod.MASQ, new NatForwarder());
        plane.services.addService(ServiceConfig.of(WEB, "first"));
        for (FakeChannel side : List.of(clientSide, serverSide)) {
            byte[] garp = side.only();
            assertTrue(Arp.isGratuitous(garp, 14) && Arp.senderIp(garp, 14) == VIP, "a new VIP is announced");
        }
    }

    private PacketPath link(FakeChannel channel, long mac, int address) {
        Link link = new Link(channel.name, channel, mac, address, 24, plane.newNeighbours(channel.name));
        PacketPath path = new PacketPath(plane, link);
        plane.addLink(link);
        return path;
    }

    @Test
    void answersArpAndPingForTheVipOnly() {
        byte[] request = new byte[42];
        Arp.writeFrame(request, 0, Ethernet.BROADCAST, CLIENT_MAC, Arp.REQUEST, CLIENT_MAC, CLIENT, 0, VIP);
        clientPath.onFrame(request, 42);
        byte[] reply = clientSide.only();
        assertEquals(Arp.REPLY, Arp.op(reply, 14));
        assertEquals(DIR_C_MAC, Arp.senderMac(reply, 14));
        assertEquals(VIP, Arp.senderIp(reply, 14));
        assertEquals(CLIENT_MAC, Ethernet.dst(reply, 0));

        Arp.writeFrame(request, 0, Ethernet.BROADCAST, CLIENT_MAC, Arp.REQUEST, CLIENT_MAC, CLIENT, 0, DIR_C);
        clientPath.onFrame(request, 42);
        assertEquals(0, clientSide.sent.size(), "the director's own address is the kernel's business");

        byte[] ping = icmpEcho(CLIENT, VIP);
        clientPath.onFrame(ping, ping.length);
        byte[] pong = clientSide.only();
        assertEquals(Icmp.ECHO_REPLY, Icmp.type(pong, 34));
        assertEquals(VIP, Ipv4.src(pong, 14));
        assertEquals(CLIENT, Ipv4.dst(pong, 14));
        assertEquals(CLIENT_MAC, Ethernet.dst(pong, 0));
    }

    @Test
    void natBothWaysWithPartialChecksumsCompleted() {
        addServerAndResolve();
        byte[] syn = tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP, 80, Tcp.SYN, 0, true);
        clientPath.onFrame(syn, syn.length);
        byte[] out = serverSide.only();
        assertEquals(RS_MAC, Ethernet.dst(out, 0));
        assertEquals(DIR_S_MAC, Ethernet.src(out, 0));
        assertEquals(RS, Ipv4.dst(out, 14));
        assertEquals(CLIENT, Ipv4.src(out, 14));
        assertEquals(8080, Tcp.dstPort(out, 34));
        assertTrue(Checksums.l4ChecksumValid(out, 14), "a partial checksum leaves complete");
        assertEquals(Ipv4.computeHeaderChecksum(out, 14), Ipv4.headerChecksum(out, 14));

        byte[] synAck = tcp(RS_MAC, DIR_S_MAC, RS, 8080, CLIENT, 40000, Tcp.SYN | Tcp.ACK, 100, false);
        serverPath.onFrame(synAck, synAck.length);
        byte[] back = clientSide.only();
        assertEquals(CLIENT_MAC, Ethernet.dst(back, 0));
        assertEquals(DIR_C_MAC, Ethernet.src(back, 0));
        assertEquals(VIP, Ipv4.src(back, 14));
        assertEquals(80, Tcp.srcPort(back, 34));
        assertTrue(Checksums.l4ChecksumValid(back, 14));

        byte[] ack = tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP, 80, Tcp.ACK, 200, false);
        clientPath.onFrame(ack, ack.length);
        serverSide.only();
        var info = plane.services.get(WEB);
        assertEquals(1, info.servers().get(0).activeConns());
        assertEquals(1, info.stats().conns());
        assertEquals(2, info.stats().inPackets());
        assertEquals(1, info.stats().outPackets());
        assertEquals(1, info.servers().get(0).stats().conns());
    }

    @Test
    void refusesWithPortUnreachableWhenNoServerOrNoScheduler() {
        byte[] syn = tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40001, VIP, 80, Tcp.SYN, 0, false);
        clientPath.onFrame(syn, syn.length);
        assertPortUnreachable(clientSide.only());
        assertEquals(1L, counters().get("dropped_no_server"));

        addServerAndResolve();
        byte[] ok = tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40002, VIP, 80, Tcp.SYN, 0, false);
        clientPath.onFrame(ok, ok.length);
        serverSide.only();

        plane.services.schedulerRemoved("first", first, 0);
        byte[] duringUpdate = tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40004, VIP, 80, Tcp.SYN, 0, false);
        clientPath.onFrame(duringUpdate, duringUpdate.length);
        assertEquals(RS, Ipv4.dst(serverSide.only(), 14), "a departed scheduler serves on for its grace period");
        plane.services.dropOrphans(ServiceTable.ORPHAN_GRACE_NANOS + 1, false);
        byte[] refused = tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40003, VIP, 80, Tcp.SYN, 0, false);
        clientPath.onFrame(refused, refused.length);
        assertPortUnreachable(clientSide.only());
        assertEquals(1L, counters().get("dropped_no_scheduler"));

        byte[] established = tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40002, VIP, 80, Tcp.ACK, 10, false);
        clientPath.onFrame(established, established.length);
        assertEquals(RS, Ipv4.dst(serverSide.only(), 14), "an established connection keeps its server");

        plane.services.schedulerAdded("first", first);
        clientPath.onFrame(refused, refused.length);
        assertEquals(RS, Ipv4.dst(serverSide.only(), 14), "new connections are accepted again");
    }

    @Test
    void aSchedulerUpdateHandsOverWithoutRefusingAnyone() {
        addServerAndResolve();
        Scheduler updated = service -> flow -> service.realServers().get(0);
        plane.services.schedulerRemoved("first", first, 0); // the bundle stops for its update...
        plane.services.schedulerAdded("first", updated);    // ...and registers again
        plane.services.dropOrphans(ServiceTable.ORPHAN_GRACE_NANOS * 2, false);
        byte[] syn = tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40030, VIP, 80, Tcp.SYN, 0, false);
        clientPath.onFrame(syn, syn.length);
        assertEquals(RS, Ipv4.dst(serverSide.only(), 14));
        assertEquals(0L, counters().get("dropped_no_scheduler"));
        assertTrue(plane.services.get(WEB).schedulerBound());

        plane.services.schedulerRemoved("first", updated, 0); // an uninstall: refused at once
        plane.services.dropOrphans(1, true);
        assertEquals(false, plane.services.get(WEB).schedulerBound());
    }

    @Test
    void everyReplyOfManyShortConnectionsFromManyClientsFindsItsEntry() {
        addServerAndResolve();
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            int client = CLIENT + random.nextInt(6);
            int port = 32768 + random.nextInt(2000); // ports are reused, as a busy client does
            byte[] syn = tcp(CLIENT_MAC, DIR_C_MAC, client, port, VIP, 80, Tcp.SYN, 0, false);
            clientPath.onFrame(syn, syn.length);
            assertEquals(RS, Ipv4.dst(serverSide.only(), 14), "SYN " + i);
            byte[] synAck = tcp(RS_MAC, DIR_S_MAC, RS, 8080, client, port, Tcp.SYN | Tcp.ACK, 0, false);
            serverPath.onFrame(synAck, synAck.length);
            assertEquals(VIP, Ipv4.src(clientSide.only(), 14), "SYN-ACK " + i);
            for (int flags : new int[] {Tcp.ACK, Tcp.FIN | Tcp.ACK}) {
                byte[] f = tcp(RS_MAC, DIR_S_MAC, RS, 8080, client, port, flags, 0, false);
                serverPath.onFrame(f, f.length);
                assertEquals(VIP, Ipv4.src(clientSide.only(), 14), "reply " + i);
            }
            byte[] fin = tcp(CLIENT_MAC, DIR_C_MAC, client, port, VIP, 80, Tcp.FIN | Tcp.ACK, 0, false);
            clientPath.onFrame(fin, fin.length);
            serverSide.only();
        }
    }

    @Test
    void aReusedClientPortTowardAnotherServiceOfTheSameServerGetsItsOwnReplies() {
        addServerAndResolve();
        ServiceKey other = new ServiceKey(Protocol.TCP, VIP, 81);
        plane.services.addService(ServiceConfig.of(other, "first"));
        plane.services.addServer(other, ServerConfig.of(RS, 8080, ForwardMethod.MASQ, 1));
        clientSide.sent.clear();
        serverSide.sent.clear();
        for (int vport : new int[] {80, 81}) {
            byte[] syn = tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40100, VIP, vport, Tcp.SYN, 0, false);
            clientPath.onFrame(syn, syn.length);
            serverSide.only();
            byte[] synAck = tcp(RS_MAC, DIR_S_MAC, RS, 8080, CLIENT, 40100, Tcp.SYN | Tcp.ACK, 0, false);
            serverPath.onFrame(synAck, synAck.length);
            assertEquals(vport, Tcp.srcPort(clientSide.only(), 34), "the reply comes from the newest service");
        }
    }

    @Test
    void aDeletedServersConnectionsAreDroppedAndNewOnesAvoidIt() {
        addServerAndResolve();
        byte[] syn = tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40010, VIP, 80, Tcp.SYN, 0, false);
        clientPath.onFrame(syn, syn.length);
        serverSide.only();
        plane.services.deleteServer(WEB, RS, 8080);
        byte[] more = tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40010, VIP, 80, Tcp.ACK, 1, false);
        clientPath.onFrame(more, more.length);
        assertEquals(0, serverSide.sent.size(), "IPVS drops them: the destination is no longer available");
        assertEquals(1L, counters().get("dropped_dest_unavailable"));
        byte[] fresh = tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40011, VIP, 80, Tcp.SYN, 0, false);
        clientPath.onFrame(fresh, fresh.length);
        assertPortUnreachable(clientSide.only());
    }

    /**
     * Port unreachable as icmp_send would send it: within icmp_ratelimit per client (a burst of 6, then one a
     * second: the plane's clock is the test's) and never to a source that is no single host.
     */
    @Test
    void portUnreachableIsRateLimitedAndNeverSentToBroadcastMulticastOrZero() {
        long[] clock = {1_000_000_000_000L};
        plane = new DataPlane(() -> clock[0], Path.of("/nonexistent/route"), Path.of("/nonexistent/arp"), Runnable::run);
        clientPath = link(clientSide, DIR_C_MAC, DIR_C);
        plane.services.schedulerAdded("first", first);
        plane.services.addService(ServiceConfig.of(new ServiceKey(Protocol.TCP, VIP, 81), "first")); // no server
        clientSide.sent.clear();
        for (int i = 0; i < 1_000; i++) {
            byte[] syn = tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 20_000 + i, VIP, 81, Tcp.SYN, 0, false);
            clientPath.onFrame(syn, syn.length);
        }
        assertEquals(IcmpRateLimit.BURST, clientSide.sent.size(), "a burst of 6 for one client, in one instant");
        for (byte[] f : clientSide.sent) assertPortUnreachable(f);
        assertEquals(1_000L - IcmpRateLimit.BURST, counters().get("icmp_rate_limited"));
        clock[0] += 1_000_000_000L;
        clientSide.sent.clear();
        for (int i = 0; i < 100; i++) {
            byte[] syn = tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 30_000 + i, VIP, 81, Tcp.SYN, 0, false);
            clientPath.onFrame(syn, syn.length);
        }
        assertEquals(1, clientSide.sent.size(), "one a second after the burst");

        clientSide.sent.clear();
        clock[0] += 100_000_000_000L;
        for (String source : new String[] {"255.255.255.255", "224.0.0.1", "0.0.0.0", "127.0.0.1", "240.0.0.1"}) {
            byte[] syn = tcp(CLIENT_MAC, DIR_C_MAC, Ip4.parse(source), 40_000, VIP, 81, Tcp.SYN, 0, false);
            clientPath.onFrame(syn, syn.length);
        }
        assertEquals(0, clientSide.sent.size(), "no ICMP to a source that is no single host");
        assertEquals(5L, counters().get("dropped_martian"));
    }

    @Test
    void malformedFramesAreCountedAndNeverThrow() {
        addServerAndResolve();
        Random random = new Random(42);
        byte[] good = tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40020, VIP, 80, Tcp.SYN, 0, false);
        for (int i = 0; i < 50_000; i++) {
            byte[] bad = Arrays.copyOf(good, 1 + random.nextInt(good.length + 20));
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) bad[random.nextInt(bad.length)] = (byte) random.nextInt();
            if (random.nextInt(4) == 0) random.nextBytes(bad);
            clientPath.onFrame(bad, bad.length);
        }
        assertTrue(counters().get("dropped_malformed") > 10_000, "malformed frames are counted");
        assertEquals(0L, counters().get("exceptions"), "and none of them made the path throw");
        clientSide.sent.clear();
        serverSide.sent.clear();
        byte[] syn = tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40999, VIP, 80, Tcp.SYN, 0, false);
        clientPath.onFrame(syn, syn.length);
        assertEquals(RS, Ipv4.dst(serverSide.sent.get(serverSide.sent.size() - 1), 14), "still forwarding");
    }

    /** A 3,000-byte UDP datagram in fragments through NAT, and its echo back in fragments to the client. */
    @Test
    void aFragmentedUdpDatagramIsReassembledForwardedAndItsReplyToo() {
        ServiceKey echo = new ServiceKey(Protocol.UDP, VIP, 7);
        plane.services.addService(ServiceConfig.of(echo, "first"));
        clientSide.sent.clear();
        serverSide.sent.clear();
        addServerAndResolveFor(echo, 7);
        byte[] datagram = ReassemblyTest.datagram(77, 3000, CLIENT, VIP);
        for (byte[] f : ReassemblyTest.fragment(datagram, 1480)) {
            byte[] frame = new byte[14 + f.length];
            Ethernet.writeHeader(frame, 0, DIR_C_MAC, CLIENT_MAC, Ethernet.TYPE_IPV4);
            System.arraycopy(f, 0, frame, 14, f.length);
            clientPath.onFrame(frame, frame.length);
        }
        assertEquals(3, serverSide.sent.size(), "the whole datagram, in fragments again for the 1500-byte MTU");
        byte[] atServer = reassemble(serverSide.sent);
        assertEquals(RS, Ipv4.dst(atServer, 0));
        assertEquals(3028, atServer.length);
        assertTrue(Checksums.l4ChecksumValid(atServer, 0), "NAT kept the UDP checksum right over 3,000 bytes");

        // the echo: the server's reply, in fragments
        byte[] reply = ReassemblyTest.datagram(78, 3000, RS, CLIENT);
        org.jlvs.packet.Bytes.put16(reply, 20, 7);
        org.jlvs.packet.Bytes.put16(reply, 22, 40000);
        org.jlvs.packet.Bytes.put16(reply, 26, Checksums.l4Checksum(reply, 0));
        clientSide.sent.clear();
        for (byte[] f : ReassemblyTest.fragment(reply, 1480)) {
            byte[] frame = new byte[14 + f.length];
            Ethernet.writeHeader(frame, 0, DIR_S_MAC, RS_MAC, Ethernet.TYPE_IPV4);
            System.arraycopy(f, 0, frame, 14, f.length);
            serverPath.onFrame(frame, frame.length);
        }
        assertEquals(3, clientSide.sent.size());
        byte[] atClient = reassemble(clientSide.sent);
        assertEquals(VIP, Ipv4.src(atClient, 0));
        assertEquals(CLIENT, Ipv4.dst(atClient, 0));
        assertTrue(Checksums.l4ChecksumValid(atClient, 0));
        assertEquals(2L, counters().get("fragments_reassembled"));
        assertEquals(6L, counters().get("fragments_in"));
    }

    private static byte[] reassemble(List<byte[]> frames) {
        DataPathCounters c = new DataPathCounters();
        Reassembly r = new Reassembly(c);
        byte[] out = new byte[70_000];
        int n = 0;
        for (byte[] f : frames) n = r.add(f, 14, 0, out, 0);
        assertTrue(n > 0, "the fragments make a whole datagram");
        return Arrays.copyOf(out, n);
    }

    private void addServerAndResolveFor(ServiceKey key, int port) {
        plane.services.addServer(key, ServerConfig.of(RS, port, ForwardMethod.MASQ, 1));
        byte[] arpReply = new byte[42];
        Arp.writeFrame(arpReply, 0, DIR_S_MAC, RS_MAC, Arp.REPLY, RS_MAC, RS, DIR_S_MAC, DIR_S);
        serverPath.onFrame(arpReply, 42);
        serverSide.sent.clear();
    }

    /**
     * The fuzz the exceptions counter watches: mutated frames for NAT, DR and TUN (IPIP, GUE) connections in
     * both directions, ICMP errors with valid outer headers and random quotes, ARP, and fragments. Nothing
     * may throw.
     */
    @Test
    void fuzzOfEveryPathCountsNoException() {
        plane.services.forwarderAdded(ForwardMethod.ROUTE, new org.jlvs.forward.dr.internal.DrForwarder());
        plane.services.forwarderAdded(ForwardMethod.TUNNEL, new org.jlvs.forward.tun.internal.TunForwarder());
        Scheduler byPort = service -> flow -> service.realServers().get(flow.clientPort() % service.realServers().size());
        plane.services.schedulerAdded("byport", byPort);
        ServiceKey mixed = new ServiceKey(Protocol.TCP, VIP, 443);
        ServiceKey udp = new ServiceKey(Protocol.UDP, VIP, 53);
        for (ServiceKey key : List.of(mixed, udp)) {
            plane.services.addService(ServiceConfig.of(key, "byport"));
            plane.services.addServer(key, ServerConfig.of(RS, key.port(), ForwardMethod.MASQ, 1));
            plane.services.addServer(key, ServerConfig.of(RS + 1, key.port(), ForwardMethod.ROUTE, 1));
            plane.services.addServer(key, ServerConfig.tunnel(RS + 2, key.port(), 1, org.jlvs.api.TunnelType.IPIP, 0));
            plane.services.addServer(key, ServerConfig.tunnel(RS + 3, key.port(), 1, org.jlvs.api.TunnelType.GUE, 6080));
        }
        for (int k = 0; k < 4; k++) {
            byte[] arpReply = new byte[42];
            Arp.writeFrame(arpReply, 0, DIR_S_MAC, RS_MAC + k, Arp.REPLY, RS_MAC + k, RS + k, DIR_S_MAC, DIR_S);
            serverPath.onFrame(arpReply, 42);
        }
        Random random = new Random(11);
        for (int i = 0; i < 60_000; i++) {
            int kind = random.nextInt(6);
            int port = 30_000 + random.nextInt(64);
            byte[] f;
            PacketPath path = clientPath;
            FakeChannel side = clientSide;
            switch (kind) {
                case 0 -> f = tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, port, VIP, 443, random.nextInt(64), random.nextInt(40),
                        random.nextBoolean());
                case 1 -> f = udpFrame(CLIENT, port, VIP, 53, random.nextInt(3000));
                case 2 -> { // a server's reply, or an ICMP error from the server side
                    f = tcp(RS_MAC, DIR_S_MAC, RS, 443, CLIENT, port, random.nextInt(64), random.nextInt(40), false);
                    path = serverPath;
                    side = serverSide;
                }
                case 3 -> f = icmpErrorWithRandomQuote(random, port);
                case 4 -> {
                    f = new byte[42 + random.nextInt(20)];
                    Arp.writeFrame(f, 0, Ethernet.BROADCAST, CLIENT_MAC, 1 + random.nextInt(2), CLIENT_MAC, CLIENT, 0,
                            random.nextBoolean() ? VIP : random.nextInt());
                }
                default -> f = randomFragment(random, port);
            }
            if (random.nextInt(3) > 0) { // mutate some: bytes anywhere, a length, a truncation
                int flips = random.nextInt(4);
                for (int n = 0; n < flips; n++) f[random.nextInt(f.length)] = (byte) random.nextInt();
                if (random.nextInt(5) == 0) f = Arrays.copyOf(f, 1 + random.nextInt(f.length));
                if (random.nextInt(5) == 0 && f.length >= 14 + 60) Ipv4.updateHeaderChecksum(f, 14);
            }
            path.onFrame(f, f.length);
            clientSide.sent.clear();
            serverSide.sent.clear();
        }
        Map<String, Long> c = counters();
        assertEquals(0L, c.get("exceptions"), "no exception on any path: " + c);
        assertTrue(c.get("icmp_errors_forwarded") + c.get("icmp_errors_relayed") > 0, "ICMP errors reached the relay");
        assertTrue(c.get("fragments_in") > 0 && c.get("arp_replies") > 0);
        for (String counter : List.of("frames_out", "dropped_malformed")) assertTrue(c.get(counter) > 1000, counter);
    }

    private static byte[] udpFrame(int src, int sport, int dst, int dport, int payload) {
        byte[] f = new byte[14 + 28 + payload];
        Ethernet.writeHeader(f, 0, DIR_C_MAC, CLIENT_MAC, Ethernet.TYPE_IPV4);
        Ipv4.writeHeader(f, 14, 0, 28 + payload, 5, false, 64, Ipv4.PROTO_UDP, src, dst);
        org.jlvs.packet.Udp.writeHeader(f, 34, sport, dport, 8 + payload);
        org.jlvs.packet.Bytes.put16(f, 40, Checksums.l4Checksum(f, 14));
        return f;
    }

    /** An ICMP error to the VIP whose outer headers and checksum are right and whose quote is anything. */
    private static byte[] icmpErrorWithRandomQuote(Random random, int clientPort) {
        int quote = random.nextInt(80);
        byte[] f = new byte[14 + 28 + quote];
        Ethernet.writeHeader(f, 0, DIR_C_MAC, CLIENT_MAC, Ethernet.TYPE_IPV4);
        Ipv4.writeHeader(f, 14, 0xc0, 28 + quote, 9, false, 64, Ipv4.PROTO_ICMP, CLIENT, VIP);
        int[] types = {Icmp.DEST_UNREACH, Icmp.SOURCE_QUENCH, Icmp.TIME_EXCEEDED, Icmp.REDIRECT, Icmp.PARAMETER_PROBLEM};
        f[34] = (byte) types[random.nextInt(types.length)];
        f[35] = (byte) random.nextInt(16);
        random.nextBytes(Arrays.copyOfRange(f, 38, 42));
        byte[] q = new byte[quote];
        random.nextBytes(q);
        if (quote >= 28 && random.nextBoolean()) { // a plausible quote: IPv4 VIP -> client with random ports
            Ipv4.writeHeader(q, 0, 0, 20 + random.nextInt(2000), 1, true, 64, random.nextBoolean() ? 6 : 17, VIP, CLIENT);
            q[0] = (byte) (0x40 | (5 + random.nextInt(11)));
            org.jlvs.packet.Bytes.put16(q, 20, 443);
            org.jlvs.packet.Bytes.put16(q, 22, clientPort);
        }
        System.arraycopy(q, 0, f, 42, quote);
        Icmp.setChecksum(f, 34, Checksums.finish(Checksums.sum(f, 34, 8 + quote, 0)));
        return f;
    }

    /** A fragment of a UDP datagram to the VIP at a random offset, length and MF. */
    private static byte[] randomFragment(Random random, int clientPort) {
        int payload = random.nextInt(1480);
        byte[] f = new byte[14 + 20 + payload];
        Ethernet.writeHeader(f, 0, DIR_C_MAC, CLIENT_MAC, Ethernet.TYPE_IPV4);
        Ipv4.writeHeader(f, 14, 0, 20 + payload, random.nextInt(4), false, 64, Ipv4.PROTO_UDP, CLIENT, VIP);
        random.nextBytes(Arrays.copyOfRange(f, 34, f.length));
        org.jlvs.packet.Bytes.put16(f, 14 + Ipv4.FLAGS_OFFSET, (random.nextBoolean() ? 0x2000 : 0) | random.nextInt(400));
        if (payload >= 8) {
            org.jlvs.packet.Bytes.put16(f, 34, clientPort);
            org.jlvs.packet.Bytes.put16(f, 36, 53);
        }
        Ipv4.updateHeaderChecksum(f, 14);
        return f;
    }

    private void addServerAndResolve() {
        plane.services.addServer(WEB, ServerConfig.of(RS, 8080, ForwardMethod.MASQ, 1));
        byte[] arpRequest = serverSide.only();
        assertEquals(RS, Arp.targetIp(arpRequest, 14), "the director resolves the server's MAC itself");
        byte[] arpReply = new byte[42];
        Arp.writeFrame(arpReply, 0, DIR_S_MAC, RS_MAC, Arp.REPLY, RS_MAC, RS, DIR_S_MAC, DIR_S);
        serverPath.onFrame(arpReply, 42);
    }

    private static void assertPortUnreachable(byte[] frame) {
        assertEquals(Icmp.DEST_UNREACH, Icmp.type(frame, 34));
        assertEquals(Icmp.CODE_PORT_UNREACH, Icmp.code(frame, 34));
        assertEquals(VIP, Ipv4.src(frame, 14));
        assertEquals(CLIENT, Ipv4.dst(frame, 14));
    }

    private Map<String, Long> counters() {
        return plane.counters();
    }

    static byte[] tcp(long srcMac, long dstMac, int src, int sport, int dst, int dport, int flags, int payload,
                              boolean partial) {
        byte[] f = new byte[14 + 20 + 20 + payload];
        Ethernet.writeHeader(f, 0, dstMac, srcMac, Ethernet.TYPE_IPV4);
        Ipv4.writeHeader(f, 14, 0, 40 + payload, 1, true, 64, 6, src, dst);
        int l4 = 34;
        f[l4] = (byte) (sport >> 8);
        f[l4 + 1] = (byte) sport;
        f[l4 + 2] = (byte) (dport >> 8);
        f[l4 + 3] = (byte) dport;
        f[l4 + 12] = 0x50;
        f[l4 + 13] = (byte) flags;
        f[l4 + 14] = (byte) 0xff;
        for (int i = 0; i < payload; i++) f[54 + i] = (byte) i;
        int sum = partial ? Checksums.fold(Checksums.pseudoHeaderSum(src, dst, 6, 20 + payload))
                : Checksums.l4Checksum(f, 14);
        f[l4 + 16] = (byte) (sum >> 8);
        f[l4 + 17] = (byte) sum;
        return f;
    }

    private static byte[] icmpEcho(int src, int dst) {
        byte[] f = new byte[14 + 20 + 16];
        Ethernet.writeHeader(f, 0, DIR_C_MAC, CLIENT_MAC, Ethernet.TYPE_IPV4);
        Ipv4.writeHeader(f, 14, 0, 36, 7, true, 64, 1, src, dst);
        f[34] = (byte) Icmp.ECHO_REQUEST;
        f[38] = 0x12;
        f[40] = 1;
        int sum = Checksums.finish(Checksums.sum(f, 34, 16, 0));
        f[36] = (byte) (sum >> 8);
        f[37] = (byte) sum;
        return f;
    }

    /** Records what the data plane sends. */
    static final class FakeChannel implements PacketIo.Channel {
        final String name;
        final List<byte[]> sent = new ArrayList<>();

        FakeChannel(String name) {
            this.name = name;
        }

        byte[] only() {
            assertEquals(1, sent.size(), "frames sent on " + name);
            return sent.remove(0);
        }

        @Override public String name() { return name; }
        @Override public int mtu() { return 1500; }

        @Override
        public boolean send(byte[] frame, int offset, int length) {
            sent.add(Arrays.copyOfRange(frame, offset, offset + length));
            return true;
        }

        @Override public long receivedFrames() { return 0; }
        @Override public long sentFrames() { return sent.size(); }
        @Override public long droppedFrames() { return 0; }
        @Override public void close() {}
    }
}
