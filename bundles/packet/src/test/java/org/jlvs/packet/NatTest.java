package org.jlvs.packet;

import static org.jlvs.packet.Captured.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

class NatTest {
    private static final int IP = 14;
    private static final int REAL_SERVER = 0xc0a80a14; // 192.168.10.20
    private static final int DIRECTOR = 0xc0a80a01;

    /** The stored checksums equal a full recomputation by the reference (UDP "none" stays none). */
    private static void assertChecksumsCorrect(byte[] f, boolean udpWithoutChecksum, String what) {
        assertEquals(Reference.ipHeaderChecksum(f, IP), Ipv4.headerChecksum(f, IP), what + ": IP header");
        int stored = Reference.storedL4Checksum(f, IP);
        if (udpWithoutChecksum) {
            assertEquals(0, stored, what + ": UDP without checksum stays so");
        } else {
            assertEquals(Reference.l4Checksum(f, IP), stored, what + ": L4");
        }
        assertTrue(Checksums.l4ChecksumValid(f, IP), what);
        assertEquals(FrameCheck.OK, FrameCheck.checkIpv4(f, IP, f.length - IP), what);
    }

    /** Rewrites to a real server and back, checking checksums at each step and the round trip's bytes. */
    private static void roundTrip(byte[] f, int server, int serverPort, int director, int directorPort, String what) {
        byte[] original = f.clone();
        boolean none = Ipv4.protocol(f, IP) == Ipv4.PROTO_UDP && Udp.checksum(f, IP + Ipv4.headerLength(f, IP)) == 0;
        int l4 = IP + Ipv4.headerLength(f, IP);
        int dst = Ipv4.dst(f, IP);
        int dstPort = Udp.dstPort(f, l4);
        int src = Ipv4.src(f, IP);
        int srcPort = Udp.srcPort(f, l4);

        assertTrue(Nat.rewriteDestination(f, IP, server, serverPort));
        assertEquals(server, Ipv4.dst(f, IP));
        assertEquals(serverPort, Tcp.dstPort(f, l4));
        assertChecksumsCorrect(f, none, what + " after DNAT");
        assertTrue(Nat.rewriteSource(f, IP, director, directorPort));
        assertEquals(director, Ipv4.src(f, IP));
        assertEquals(directorPort, Tcp.srcPort(f, l4));
        assertChecksumsCorrect(f, none, what + " after SNAT");

        assertTrue(Nat.rewriteSource(f, IP, src, srcPort));
        assertTrue(Nat.rewriteDestination(f, IP, dst, dstPort));
        assertArrayEquals(original, f, what + ": back to the original bytes");
    }

    @Test
    void capturedFramesRewriteBothWays() {
        int[] transport = {TCP_SYN, TCP_SYN_ACK, TCP_ACK, TCP_DATA, TCP_DATA_ACKED, TCP_REPLY_DATA, TCP_REPLY_ACKED,
            TCP_FIN, TCP_FIN_REPLY, TCP_LAST_ACK, UDP, UDP_ECHO, UDP_CLOSED_PORT, UDP_NO_CHECKSUM,
            UDP_NO_CHECKSUM_ECHO};
        for (int i : transport) {
            roundTrip(frame(OFFLOAD_OFF, i), REAL_SERVER, 80, DIRECTOR, 61000, "captured " + i);
            // The offloaded run once completed, as the core does before handing frames to a forwarder.
            byte[] completed = frame(OFFLOAD_ON, i);
            Checksums.completeL4Checksum(completed, IP);
            roundTrip(completed, REAL_SERVER, 8080, DIRECTOR, 1, "completed " + i);
        }
        byte[] none = frame(OFFLOAD_OFF, UDP_NO_CHECKSUM);
        Nat.rewriteDestination(none, IP, REAL_SERVER, 53);
        assertEquals(0, Udp.checksum(none, IP + 20));
    }

    @Test
    void randomPacketsRewriteLikeAFullRecomputation() {
        Random random = new Random(7);
        for (int round = 0; round < 40_000; round++) {
            boolean tcp = random.nextBoolean();
            byte[] f = Reference.randomFrame(random, tcp, 400, random.nextInt(4) == 0 ? random.nextInt(30) : 0);
            if (!tcp && round % 5 == 0) Udp.setChecksum(f, IP + Ipv4.headerLength(f, IP), 0);
            int addr = round % 11 == 0 ? 0 : random.nextInt();
            int port = round % 13 == 0 ? 0xffff : random.nextInt(0x10000);
            roundTrip(f, addr, port, random.nextInt(), random.nextInt(0x10000), "round " + round);
        }
    }

    @Test
    void udpChecksumThatComesOutZeroIsStoredAsAllOnes() {
        byte[] f = Reference.randomFrame(new Random(8), false, 40, 0);
        int l4 = IP + Ipv4.headerLength(f, IP);
        int length = Ipv4.payloadLength(f, IP);
        // The destination port that makes the full checksum compute to 0: fold(rest + port) must be 0xffff.
        long rest = Checksums.pseudoHeaderSum(Ipv4.src(f, IP), Ipv4.dst(f, IP), Ipv4.PROTO_UDP, length);
        rest = Checksums.sum(f, l4, 2, rest);
        rest = Checksums.sum(f, l4 + 4, 2, rest);
        rest = Checksums.sum(f, l4 + 8, length - 8, rest);
        int port = 0xffff - Checksums.fold(rest);

        assertTrue(Nat.rewriteDestination(f, IP, Ipv4.dst(f, IP), port));
        assertEquals(0xffff, Udp.checksum(f, l4));
        assertEquals(0xffff, Reference.l4Checksum(f, IP));
        assertTrue(Checksums.l4ChecksumValid(f, IP));

        // And from a stored 0xffff on, the updates stay right.
        roundTrip(f, REAL_SERVER, 53, DIRECTOR, 5353, "from 0xffff");
        assertTrue(Nat.rewriteSource(f, IP, DIRECTOR, 1234));
        assertChecksumsCorrect(f, false, "from 0xffff, SNAT");
    }

    @Test
    void tcpChecksumThatComesOutZeroStaysZero() {
        byte[] f = new byte[14 + 20 + 20];
        Ipv4.writeHeader(f, IP, 0, 40, 1, true, 64, Ipv4.PROTO_TCP, 0x0afa0001, 0x0afa0002);
        Tcp.setDataOffset(f, IP + 20, 5);
        Tcp.setSrcPort(f, IP + 20, 1000);
        Checksums.completeL4Checksum(f, IP);
        int checksum = Tcp.checksum(f, IP + 20);
        // Raising the destination port by the checksum's value brings the checksum to 0.
        assertTrue(Nat.rewriteDestination(f, IP, 0x0afa0002, checksum));
        assertEquals(0, Tcp.checksum(f, IP + 20));
        assertEquals(0, Reference.l4Checksum(f, IP));
    }

    @Test
    void otherProtocolsAndFragmentsAreLeftAlone() {
        byte[] echo = frame(OFFLOAD_OFF, ECHO_REQUEST);
        byte[] copy = echo.clone();
        assertFalse(Nat.rewriteDestination(echo, IP, REAL_SERVER, 80));
        assertFalse(Nat.rewriteSource(echo, IP, REAL_SERVER, 80));
        assertArrayEquals(copy, echo);

        byte[] fragment = frame(OFFLOAD_OFF, TCP_DATA);
        Bytes.put16(fragment, IP + 6, 0x2000); // MF
        Ipv4.updateHeaderChecksum(fragment, IP);
        copy = fragment.clone();
        assertFalse(Nat.rewriteDestination(fragment, IP, REAL_SERVER, 80));
        assertFalse(Nat.rewriteSourceAddress(fragment, IP, REAL_SERVER));
        assertArrayEquals(copy, fragment);
    }

    @Test
    void addressOnlyRewritesKeepEveryChecksumRight() {
        byte[] echo = frame(OFFLOAD_OFF, ECHO_REQUEST);
        assertTrue(Nat.rewriteDestinationAddress(echo, IP, REAL_SERVER));
        assertTrue(Nat.rewriteSourceAddress(echo, IP, DIRECTOR));
        assertEquals(REAL_SERVER, Ipv4.dst(echo, IP));
        assertChecksumsCorrect(echo, false, "ICMP");

        for (int i : new int[] {TCP_DATA, UDP, UDP_NO_CHECKSUM}) {
            byte[] f = frame(OFFLOAD_OFF, i);
            int ports = Bytes.i32(f, IP + 20);
            assertTrue(Nat.rewriteDestinationAddress(f, IP, REAL_SERVER));
            assertTrue(Nat.rewriteSourceAddress(f, IP, DIRECTOR));
            assertEquals(ports, Bytes.i32(f, IP + 20));
            assertEquals(DIRECTOR, Ipv4.src(f, IP));
            assertChecksumsCorrect(f, i == UDP_NO_CHECKSUM, "frame " + i);
        }
    }
}
