package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.core.internal.ReceivePathAllocationTest.SinkChannel;
import org.jlvs.packet.Icmpv6;
import org.jlvs.packet.Tcp;
import org.junit.jupiter.api.Test;

/**
 * The IPv6 receive path allocates nothing per frame once warm (ThreadMXBean's per-thread counter): an
 * established NAT packet to the server, its reply, a solicitation for the VIP6 (answered), an advertisement of
 * the server (learnt), an echo request to the VIP6 (answered) and the ICMPv6 relay both ways: a router's
 * Packet Too Big about the reply (to the server, rewritten) and the server's error about the request (to the
 * client, rewritten).
 */
class Ipv6ReceiveAllocationTest {
    private static final long CLIENT_MAC = 0x020000000002L, DIR_C_MAC = 0x0200000000c1L, DIR_S_MAC = 0x0200000000c2L,
            RS_MAC = 0x020000000011L;
    private static final Ip6Address CLIENT = Ip6Address.parse("2001:db8:99:1::2"),
            VIP6 = Ip6Address.parse("2001:db8:99:1::100"), DIR_C = Ip6Address.parse("2001:db8:99:1::1"),
            DIR_S = Ip6Address.parse("2001:db8:99:2::1"), RS = Ip6Address.parse("2001:db8:99:2::11");
    private static final ServiceKey WEB6 = new ServiceKey(Protocol.TCP, VIP6, 80);
    private static final int WARM_UP = 30_000, MEASURED = 10_000;

    private final SinkChannel clientSide = new SinkChannel("eth0");
    private final SinkChannel serverSide = new SinkChannel("eth1");
    private DataPlane plane;

    private PacketPath link(SinkChannel channel, long mac, Ip6Address address) {
        Link link = new Link(channel.name, channel, mac, 0, 0, plane.newNeighbours(channel.name), address.hi(),
                address.lo(), 64, 0, 0);
        plane.addLink(link);
        return new PacketPath(plane, link);
    }

    @Test
    void establishedIpv6NatNeighbourDiscoveryAndEchoAllocateNothing() {
        plane = new DataPlane(() -> 1_000_000_000_000L, Path.of("/nonexistent/route"), Path.of("/nonexistent/arp"),
                Runnable::run);
        PacketPath clientPath = link(clientSide, DIR_C_MAC, DIR_C);
        PacketPath serverPath = link(serverSide, DIR_S_MAC, DIR_S);
        Scheduler first = service -> flow -> service.realServers().get(0);
        plane.services.schedulerAdded("first", first);
        plane.services.forwarderAdded(ForwardMethod.MASQ, new TestForwarders6.Nat());
        plane.services.addService(ServiceConfig.of(WEB6, "first"));
        plane.services.addServer(WEB6, ServerConfig.of(RS, 8080, ForwardMethod.MASQ, 1));
        byte[] na = Frames6.advertisement(RS_MAC, DIR_S_MAC, RS, DIR_S);
        serverPath.onFrame(na, na.length, false);
        byte[] syn = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP6, 80, Tcp.SYN, 0, true);
        clientPath.onFrame(syn, syn.length, true);
        byte[] synAck = Frames6.tcp(RS_MAC, DIR_S_MAC, RS, 8080, CLIENT, 40000, Tcp.SYN | Tcp.ACK, 0, false);
        serverPath.onFrame(synAck, synAck.length, false);
        byte[] request = Frames6.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP6, 80, Tcp.ACK | Tcp.PSH, 100, true);
        byte[] reply = Frames6.tcp(RS_MAC, DIR_S_MAC, RS, 8080, CLIENT, 40000, Tcp.ACK | Tcp.PSH, 300, false);
        byte[] ns = Frames6.solicitation(CLIENT_MAC, CLIENT, VIP6);
        byte[] ping = Frames6.echoRequest(CLIENT_MAC, DIR_C_MAC, CLIENT, VIP6);
        byte[] replyAsSent = Frames6.tcp(RS_MAC, CLIENT_MAC, VIP6, 80, CLIENT, 40000, Tcp.ACK | Tcp.PSH, 300, false);
        byte[] tooBig = Frames6.icmpv6Error(CLIENT_MAC, DIR_C_MAC, Ip6Address.parse("2001:db8:99:1::fe"),
                Icmpv6.PACKET_TOO_BIG, 0, 1400, replyAsSent);
        byte[] requestAsReceived = Frames6.tcp(DIR_S_MAC, RS_MAC, CLIENT, 40000, RS, 8080, Tcp.ACK | Tcp.PSH, 100,
                false);
        byte[] unreachable = Frames6.icmpv6Error(RS_MAC, DIR_S_MAC, RS, Icmpv6.DEST_UNREACH,
                Icmpv6.CODE_ADMIN_PROHIBITED, 0, requestAsReceived);
        Runnable round = () -> {
            clientPath.onFrame(request, request.length, true);
            serverPath.onFrame(reply, reply.length, false);
            clientPath.onFrame(ns, ns.length, false);
            serverPath.onFrame(na, na.length, false);
            clientPath.onFrame(ping, ping.length, false);
            clientPath.onFrame(tooBig, tooBig.length, false);
            serverPath.onFrame(unreachable, unreachable.length, false);
        };
        for (int i = 0; i < WARM_UP; i++) round.run();
        long sentBefore = clientSide.frames + serverSide.frames;

        long allocated = ReceivePathAllocationTest.allocatedBy(round, MEASURED);

        assertEquals(6L * MEASURED, clientSide.frames + serverSide.frames - sentBefore,
                "each round forwards the request and the reply, answers the solicitation and the echo and relays "
                + "both errors");
        assertEquals(2L * (WARM_UP + MEASURED), plane.counters().get("icmp_errors_relayed"));
        assertEquals(0L, plane.counters().get("exceptions"));
        System.out.printf("IPv6 receive path: %d bytes allocated over %d frames%n", allocated, 7 * MEASURED);
        assertEquals(0L, allocated / (7 * MEASURED), "bytes allocated per frame on the receive thread ("
                + allocated + " over " + 7 * MEASURED + " frames)");
    }
}
