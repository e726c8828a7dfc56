package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.forward.nat.internal.NatForwarder;
import org.jlvs.packet.Arp;
import org.jlvs.packet.Bytes;
import org.jlvs.packet.Checksums;
import org.jlvs.packet.Ethernet;
import org.jlvs.packet.Icmp;
import org.jlvs.packet.Ipv4;
import org.jlvs.packet.Tcp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ICMP errors about NAT connections, against golden frames: each expected frame is built from scratch (full
 * checksums) as the far side would have built it for the translated packet, and compared byte for byte with
 * what the relay made of the original by incremental rewriting.
 */
class IcmpRelayTest {
    private static final long CLIENT_MAC = 0x020000000002L, DIR_C_MAC = 0x0200000000c1L, DIR_S_MAC = 0x0200000000c2L,
            RS_MAC = 0x020000000011L, ROUTER_MAC = 0x0200000000eeL;
    private static final int CLIENT = Ip4.parse("10.99.1.2"), VIP = Ip4.parse("10.99.1.100"),
            DIR_C = Ip4.parse("10.99.1.1"), DIR_S = Ip4.parse("10.99.2.1"), RS = Ip4.parse("10.99.2.11"),
            ROUTER = Ip4.parse("10.99.1.254");
    private static final ServiceKey WEB = new ServiceKey(Protocol.TCP, VIP, 80);

    /**
     * An Ethernet frame with an ICMP error from {@code from} to {@code to} quoting a TCP segment
     * qsrc:qsport -&gt; qdst:qdport (20 bytes of TCP header with a correct checksum over 12 bytes of data),
     * cut after {@code quoteL4} bytes of it.
     */
    static byte[] icmpError(long srcMac, long dstMac, int from, int to, int type, int code, int rest,
                            int qsrc, int qsport, int qdst, int qdport, int quoteL4) {
        byte[] seg = new byte[20 + 20 + 12];
        Ipv4.writeHeader(seg, 0, 0, seg.length, 0x1234, true, 63, Ipv4.PROTO_TCP, qsrc, qdst);
        Bytes.put16(seg, 20, qsport);
        Bytes.put16(seg, 22, qdport);
        Bytes.put32(seg, 24, 0x01020304);
        seg[32] = 0x50;
        seg[33] = (byte) (Tcp.ACK | Tcp.PSH);
        Bytes.put16(seg, 34, 502);
        for (int i = 0; i < 12; i++) seg[40 + i] = (byte) ('a' + i);
        Bytes.put16(seg, 36, Checksums.l4Checksum(seg, 0));
        int quote = 20 + quoteL4;
        byte[] f = new byte[14 + 20 + 8 + quote];
        Ethernet.writeHeader(f, 0, dstMac, srcMac, Ethernet.TYPE_IPV4);
        Ipv4.writeHeader(f, 14, 0xc0, 20 + 8 + quote, 7, false, 64, Ipv4.PROTO_ICMP, from, to);
        f[34] = (byte) type;
        f[35] = (byte) code;
        Bytes.put32(f, 38, rest);
        System.arraycopy(seg, 0, f, 42, quote);
        Icmp.setChecksum(f, 34, Checksums.finish(Checksums.sum(f, 34, 8 + quote, 0)));
        return f;
    }

    // ---- the rewriting alone ----

    @Test
    void serverSideErrorReachesTheClientAsIfAboutTheVip() {
        for (int quoteL4 : new int[] {32, 20, 8}) { // whole segment, header only, ports only (no TCP checksum)
            byte[] in = icmpError(RS_MAC, DIR_S_MAC, RS, CLIENT, Icmp.DEST_UNREACH, Icmp.CODE_PORT_UNREACH, 0,
                    CLIENT, 40000, RS, 8080, quoteL4);
            byte[] golden = icmpError(RS_MAC, DIR_S_MAC, VIP, CLIENT, Icmp.DEST_UNREACH, Icmp.CODE_PORT_UNREACH, 0,
                    CLIENT, 40000, VIP, 80, quoteL4);
            IcmpRelay.toClient(in, 14, VIP, 80);
            assertArrayEquals(golden, in, "quote of " + quoteL4 + " bytes");
        }
    }

    @Test
    void clientSideFragNeededReachesTheServerWithItsMtu() {
        int mtu = 1400;
        byte[] in = icmpError(ROUTER_MAC, DIR_C_MAC, ROUTER, VIP, Icmp.DEST_UNREACH, Icmp.CODE_FRAG_NEEDED, mtu,
                VIP, 80, CLIENT, 40000, 32);
        byte[] golden = icmpError(ROUTER_MAC, DIR_C_MAC, ROUTER, RS, Icmp.DEST_UNREACH, Icmp.CODE_FRAG_NEEDED, mtu,
                RS, 8080, CLIENT, 40000, 32);
        IcmpRelay.toServer(in, 14, RS, 8080);
        assertArrayEquals(golden, in);
        assertEquals(mtu, Icmp.nextHopMtu(in, 34));
    }

    @Test
    void aQuoteWithAWrongHeaderChecksumIsNotMadeRight() {
        byte[] in = icmpError(ROUTER_MAC, DIR_C_MAC, ROUTER, VIP, Icmp.DEST_UNREACH, Icmp.CODE_FRAG_NEEDED, 1400,
                VIP, 80, CLIENT, 40000, 32);
        in[42 + 10] ^= 0x11; // the quoted IP header's checksum, corrupted on the way
        IcmpRelay.toServer(in, 14, RS, 8080);
        assertEquals(RS, Ipv4.src(in, 42));
        assertFalse(Ipv4.headerChecksumValid(in, 42), "updated incrementally, so still wrong");
        assertEquals(0xffff, Checksums.fold(Checksums.sum(in, 34, Ipv4.totalLength(in, 14) - 20, 0)),
                "the ICMP checksum covers what is sent");
    }

    // ---- on the packet path ----

    private final DataPlaneTest.FakeChannel clientSide = new DataPlaneTest.FakeChannel("eth0");
    private final DataPlaneTest.FakeChannel serverSide = new DataPlaneTest.FakeChannel("eth1");
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
        plane.services.addService(ServiceConfig.of(WEB, "first"));
        plane.services.addServer(WEB, ServerConfig.of(RS, 8080, ForwardMethod.MASQ, 1));
        byte[] arpReply = new byte[42];
        Arp.writeFrame(arpReply, 0, DIR_S_MAC, RS_MAC, Arp.REPLY, RS_MAC, RS, DIR_S_MAC, DIR_S);
        serverPath.onFrame(arpReply, 42);
        byte[] syn = DataPlaneTest.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP, 80, Tcp.SYN, 0, false);
        clientPath.onFrame(syn, syn.length);
        clientSide.sent.clear();
        serverSide.sent.clear();
    }

    private PacketPath link(DataPlaneTest.FakeChannel channel, long mac, int address) {
        Link link = new Link(channel.name, channel, mac, address, 24, plane.newNeighbours(channel.name));
        PacketPath path = new PacketPath(plane, link);
        plane.addLink(link);
        return path;
    }

    @Test
    void timeExceededFromTheServerSideIsRelayedToTheClient() {
        byte[] in = icmpError(RS_MAC, DIR_S_MAC, RS, CLIENT, Icmp.TIME_EXCEEDED, Icmp.CODE_TTL_EXCEEDED, 0,
                CLIENT, 40000, RS, 8080, 32);
        serverPath.onFrame(in, in.length);
        byte[] golden = icmpError(DIR_C_MAC, CLIENT_MAC, VIP, CLIENT, Icmp.TIME_EXCEEDED, Icmp.CODE_TTL_EXCEEDED, 0,
                CLIENT, 40000, VIP, 80, 32);
        assertArrayEquals(golden, clientSide.only());
        assertEquals(1L, plane.counters().get("icmp_errors_relayed"));
    }

    @Test
    void fragNeededAndSourceQuenchFromTheClientSideAreRelayedToTheServer() {
        byte[] in = icmpError(ROUTER_MAC, DIR_C_MAC, ROUTER, VIP, Icmp.DEST_UNREACH, Icmp.CODE_FRAG_NEEDED, 1400,
                VIP, 80, CLIENT, 40000, 32);
        clientPath.onFrame(in, in.length);
        byte[] golden = icmpError(DIR_S_MAC, RS_MAC, ROUTER, RS, Icmp.DEST_UNREACH, Icmp.CODE_FRAG_NEEDED, 1400,
                RS, 8080, CLIENT, 40000, 32);
        assertArrayEquals(golden, serverSide.only());

        byte[] quench = icmpError(ROUTER_MAC, DIR_C_MAC, ROUTER, VIP, Icmp.SOURCE_QUENCH, 0, 0,
                VIP, 80, CLIENT, 40000, 8);
        clientPath.onFrame(quench, quench.length);
        byte[] out = serverSide.only();
        assertEquals(RS, Ipv4.dst(out, 14));
        assertTrue(Ipv4.headerChecksumValid(out, 42), "the quoted header's checksum follows its new source");
        assertEquals(8080, Tcp.srcPort(out, 62));
        assertEquals(2L, plane.counters().get("icmp_errors_relayed"));
    }

    @Test
    void unrelatedErrorsAreDroppedAndCounted() {
        List<byte[]> unrelated = List.of(
                // another client port: no such connection
                icmpError(RS_MAC, DIR_S_MAC, RS, CLIENT, Icmp.DEST_UNREACH, Icmp.CODE_PORT_UNREACH, 0,
                        CLIENT, 40001, RS, 8080, 32),
                // about a packet to a VIP port without a connection
                icmpError(ROUTER_MAC, DIR_C_MAC, ROUTER, VIP, Icmp.DEST_UNREACH, Icmp.CODE_HOST_UNREACH, 0,
                        VIP, 81, CLIENT, 40000, 32));
        for (byte[] f : unrelated) {
            DataPlaneTest.FakeChannel side = Ethernet.dst(f, 0) == DIR_S_MAC ? serverSide : clientSide;
            (side == serverSide ? serverPath : clientPath).onFrame(f, f.length);
        }
        assertEquals(0, clientSide.sent.size() + serverSide.sent.size());
        assertEquals(2L, plane.counters().get("dropped_icmp_unrelated"));
        assertEquals(0L, plane.counters().get("icmp_errors_relayed"));

        // to the director's own address: the kernel's business, neither relayed nor counted
        byte[] own = icmpError(ROUTER_MAC, DIR_C_MAC, ROUTER, DIR_C, Icmp.DEST_UNREACH, Icmp.CODE_HOST_UNREACH, 0,
                DIR_C, 22, CLIENT, 40000, 32);
        clientPath.onFrame(own, own.length);
        assertEquals(2L, plane.counters().get("dropped_icmp_unrelated"));
    }
}
