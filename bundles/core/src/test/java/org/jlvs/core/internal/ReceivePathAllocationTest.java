package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.spi.PacketIo;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.forward.nat.internal.NatForwarder;
import org.jlvs.packet.Arp;
import org.jlvs.packet.Checksums;
import org.jlvs.packet.Ethernet;
import org.jlvs.packet.Tcp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The receive thread's work per frame allocates nothing once warm (ThreadMXBean's per-thread allocation counter
 * around many frames): an established NAT packet to the real server, its reply to the client, an ARP request for
 * the VIP (answered) and an ARP reply (learnt), as a PacketIo with the kernel's checksum status delivers them.
 * And the kernel's status, not the field's value, decides whether a checksum is completed.
 */
class ReceivePathAllocationTest {
    private static final long CLIENT_MAC = 0x020000000002L, DIR_C_MAC = 0x0200000000c1L, DIR_S_MAC = 0x0200000000c2L,
            RS_MAC = 0x020000000011L;
    private static final int CLIENT = Ip4.parse("10.99.1.2"), VIP = Ip4.parse("10.99.1.100"),
            DIR_C = Ip4.parse("10.99.1.1"), DIR_S = Ip4.parse("10.99.2.1"), RS = Ip4.parse("10.99.2.11");
    private static final ServiceKey WEB = new ServiceKey(Protocol.TCP, VIP, 80);
    private static final int WARM_UP = 30_000, MEASURED = 10_000;

    private final SinkChannel clientSide = new SinkChannel("eth0");
    private final SinkChannel serverSide = new SinkChannel("eth1");
    private DataPlane plane;
    private PacketPath clientPath;
    private PacketPath serverPath;

    @BeforeEach
    void setUp() {
        // A fixed clock: no timer fires between rounds, so every round does the same work.
        plane = new DataPlane(() -> 1_000_000_000_000L, Path.of("/nonexistent/route"), Path.of("/nonexistent/arp"), Runnable::run);
        clientPath = link(clientSide, DIR_C_MAC, DIR_C);
        serverPath = link(serverSide, DIR_S_MAC, DIR_S);
        Scheduler first = service -> flow -> service.realServers().get(0);
        plane.services.schedulerAdded("first", first);
        plane.services.forwarderAdded(ForwardMethod.MASQ, new NatForwarder());
        plane.services.addService(ServiceConfig.of(WEB, "first"));
        plane.services.addServer(WEB, ServerConfig.of(RS, 8080, ForwardMethod.MASQ, 1));
        byte[] arpReply = new byte[42];
        Arp.writeFrame(arpReply, 0, DIR_S_MAC, RS_MAC, Arp.REPLY, RS_MAC, RS, DIR_S_MAC, DIR_S);
        serverPath.onFrame(arpReply, 42, false);
    }

    private PacketPath link(SinkChannel channel, long mac, int address) {
        Link link = new Link(channel.name, channel, mac, address, 24, plane.newNeighbours(channel.name));
        PacketPath path = new PacketPath(plane, link);
        plane.addLink(link);
        return path;
    }

    @Test
    void establishedNatFramesRepliesAndArpAllocateNothingOnTheReceiveThread() {
        byte[] syn = DataPlaneTest.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP, 80, Tcp.SYN, 0, true);
        clientPath.onFrame(syn, syn.length, true);
        byte[] synAck = DataPlaneTest.tcp(RS_MAC, DIR_S_MAC, RS, 8080, CLIENT, 40000, Tcp.SYN | Tcp.ACK, 0, false);
        serverPath.onFrame(synAck, synAck.length, false);
        byte[] request = DataPlaneTest.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40000, VIP, 80, Tcp.ACK | Tcp.PSH, 100, true);
        byte[] reply = DataPlaneTest.tcp(RS_MAC, DIR_S_MAC, RS, 8080, CLIENT, 40000, Tcp.ACK | Tcp.PSH, 300, false);
        byte[] arpRequest = new byte[42];
        Arp.writeFrame(arpRequest, 0, Ethernet.BROADCAST, CLIENT_MAC, Arp.REQUEST, CLIENT_MAC, CLIENT, 0, VIP);
        byte[] arpReply = new byte[42];
        Arp.writeFrame(arpReply, 0, DIR_S_MAC, RS_MAC, Arp.REPLY, RS_MAC, RS, DIR_S_MAC, DIR_S);
        // The path rewrites its own copy of each frame: the inputs stay the same for every round.
        Runnable round = () -> {
            clientPath.onFrame(request, request.length, true);
            serverPath.onFrame(reply, reply.length, false);
            clientPath.onFrame(arpRequest, arpRequest.length, false);
            serverPath.onFrame(arpReply, arpReply.length, false);
        };
        for (int i = 0; i < WARM_UP; i++) round.run();
        long sentBefore = clientSide.frames + serverSide.frames;

        long allocated = allocatedBy(round, MEASURED);

        assertEquals(3L * MEASURED, clientSide.frames + serverSide.frames - sentBefore,
                "each round forwards the request and the reply and answers the ARP request");
        assertEquals(0L, plane.counters().get("exceptions"));
        System.out.printf("receive path: %d bytes allocated over %d frames (%d rounds of NAT in, NAT out, ARP"
                + " request, ARP reply) after %d warm-up rounds%n", allocated, 4 * MEASURED, MEASURED, WARM_UP);
        // Zero per frame; a one-off few dozen bytes (seen once in a full build: the JVM's own bookkeeping around
        // the counter calls) must not fail the test, a per-frame allocation (>= 16 bytes each) always does.
        assertEquals(0L, allocated / (4 * MEASURED), "bytes allocated per frame on the receive thread ("
                + allocated + " over " + 4 * MEASURED + " frames)");
    }

    /** The bytes this thread allocates over {@code times} runs of {@code round} (ThreadMXBean's counter). */
    static long allocatedBy(Runnable round, int times) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        threads.getThreadAllocatedBytes(id);
        long overhead = -threads.getThreadAllocatedBytes(id) + threads.getThreadAllocatedBytes(id);
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < times; i++) round.run();
        return threads.getThreadAllocatedBytes(id) - before - overhead;
    }

    /**
     * Issue 11 item 10: a complete checksum that happens to equal the pseudo-header sum (a corrupted packet, or
     * one whose payload sums to zero) is left alone when the kernel says it is not partial; a partial one is
     * completed when the kernel says so.
     */
    @Test
    void theKernelsChecksumStatusDecidesWhatIsCompleted() {
        byte[] notPartial = DataPlaneTest.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40001, VIP, 80, Tcp.SYN, 0, true);
        clientPath.onFrame(notPartial, notPartial.length, false);
        assertFalse(Checksums.l4ChecksumValid(serverSide.last, 14), "a bad checksum stays bad: the server drops it");

        byte[] partial = DataPlaneTest.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40002, VIP, 80, Tcp.SYN, 0, true);
        clientPath.onFrame(partial, partial.length, true);
        assertTrue(Checksums.l4ChecksumValid(serverSide.last, 14), "the kernel's partial checksum is completed");

        byte[] guessed = DataPlaneTest.tcp(CLIENT_MAC, DIR_C_MAC, CLIENT, 40003, VIP, 80, Tcp.SYN, 0, true);
        clientPath.onFrame(guessed, guessed.length);
        assertTrue(Checksums.l4ChecksumValid(serverSide.last, 14), "without the status (pcap) the guess stays");
    }

    /** Counts sent frames and keeps a copy of the last in a reused array: no allocation per send. */
    static final class SinkChannel implements PacketIo.Channel {
        final String name;
        final byte[] last = new byte[2048];
        long frames;

        SinkChannel(String name) {
            this.name = name;
        }

        @Override public String name() { return name; }
        @Override public int mtu() { return 1500; }

        @Override
        public boolean send(byte[] frame, int offset, int length) {
            System.arraycopy(frame, offset, last, 0, Math.min(length, last.length));
            frames++;
            return true;
        }

        @Override public long receivedFrames() { return 0; }
        @Override public long sentFrames() { return frames; }
        @Override public long droppedFrames() { return 0; }
        @Override public void close() { }
    }
}
