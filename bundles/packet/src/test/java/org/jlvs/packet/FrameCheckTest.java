package org.jlvs.packet;

import static org.jlvs.packet.Captured.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameCheckTest {
    private static final int IP = 14;

    private static byte[] udp() {
        return frame(OFFLOAD_OFF, UDP);
    }

    private static int check(byte[] f) {
        return FrameCheck.checkIpv4(f, IP, f.length - IP);
    }

    /** Changes a header field and repairs the header checksum, so that the check gets past it. */
    private static byte[] withField(byte[] f, int offset, int value16) {
        Bytes.put16(f, IP + offset, value16);
        Ipv4.updateHeaderChecksum(f, IP);
        return f;
    }

    @Test
    void eachReason() {
        assertEquals(FrameCheck.OK, check(udp()));
        assertEquals(FrameCheck.TRUNCATED, FrameCheck.checkIpv4(udp(), IP, 19));
        assertEquals(FrameCheck.TRUNCATED, FrameCheck.checkIpv4(udp(), IP, udp().length - IP - 1), "total length");

        byte[] f = udp();
        f[IP] = 0x65;
        assertEquals(FrameCheck.BAD_VERSION, check(f));
        f[IP] = 0x44;
        assertEquals(FrameCheck.BAD_HEADER_LENGTH, check(f));
        f[IP] = 0x4f; // 60 bytes of header, more than the 45 bytes there are
        assertEquals(FrameCheck.TRUNCATED, check(f));

        assertEquals(FrameCheck.BAD_TOTAL_LENGTH, check(withField(udp(), 2, 19)));
        f = udp();
        f[IP + 8]--; // TTL without checksum repair
        assertEquals(FrameCheck.BAD_HEADER_CHECKSUM, check(f));
        assertEquals(FrameCheck.FRAGMENT, check(withField(udp(), 6, 0x2000)));
        assertEquals(FrameCheck.FRAGMENT, check(withField(udp(), 6, 0x4001)));

        f = udp();
        Udp.setLength(f, IP + 20, 24);
        assertEquals(FrameCheck.BAD_L4_HEADER, check(f), "UDP length below the IP payload");
        Udp.setLength(f, IP + 20, 26);
        assertEquals(FrameCheck.BAD_L4_HEADER, check(f), "UDP length beyond the IP payload");
        assertEquals(FrameCheck.BAD_L4_HEADER, check(Arrays.copyOf(withField(udp(), 2, 27), IP + 27)),
                "7 bytes of UDP");

        byte[] tcp = frame(OFFLOAD_OFF, TCP_DATA);
        assertEquals(FrameCheck.OK, check(tcp));
        Tcp.setDataOffset(tcp, IP + 20, 4);
        assertEquals(FrameCheck.BAD_L4_HEADER, check(tcp), "data offset below 5");
        Tcp.setDataOffset(tcp, IP + 20, 12); // 48 > 47 bytes of TCP
        assertEquals(FrameCheck.BAD_L4_HEADER, check(tcp), "data offset beyond the packet");
        Tcp.setDataOffset(tcp, IP + 20, 11);
        assertEquals(FrameCheck.OK, check(tcp), "header ending inside the payload");
        assertEquals(FrameCheck.BAD_L4_HEADER, check(withField(frame(OFFLOAD_OFF, TCP_DATA), 2, 39)),
                "19 bytes of TCP");

        assertEquals(FrameCheck.BAD_L4_HEADER, check(withField(frame(OFFLOAD_OFF, ECHO_REQUEST), 2, 27)), "7 bytes");
        assertEquals(FrameCheck.OK, check(withField(frame(OFFLOAD_OFF, ECHO_REQUEST), 2, 28)), "8 bytes of ICMP");

        // Other protocols pass with their payload unchecked (an empty IPIP packet is still a valid IPv4 packet).
        byte[] ipip = new byte[20];
        Ipv4.writeHeader(ipip, 0, 0, 20, 0, true, 64, Ipv4.PROTO_IPIP, 1, 2);
        assertEquals(FrameCheck.OK, FrameCheck.checkIpv4(ipip, 0, 20));
    }

    @Test
    void ethernetPaddingAndHeadroomAreFine() {
        byte[] padded = Arrays.copyOf(frame(OFFLOAD_OFF, UDP_NO_CHECKSUM), 60);
        assertEquals(FrameCheck.OK, FrameCheck.checkEthernetIpv4(padded, 0, 60));
        byte[] withHeadroom = new byte[64 + 60];
        System.arraycopy(padded, 0, withHeadroom, 64, 60);
        assertEquals(FrameCheck.OK, FrameCheck.checkEthernetIpv4(withHeadroom, 64, 60));
        assertEquals(FrameCheck.TRUNCATED, FrameCheck.checkEthernetIpv4(withHeadroom, 64, 13));
        assertEquals(FrameCheck.NOT_IPV4, FrameCheck.checkEthernetIpv4(frame(OFFLOAD_OFF, ARP_REQUEST), 0, 42));
    }

    @Test
    void oddArgumentsAreTruncatedNotExceptions() {
        byte[] f = udp();
        assertEquals(FrameCheck.TRUNCATED, FrameCheck.checkIpv4(null, 0, 100));
        assertEquals(FrameCheck.TRUNCATED, FrameCheck.checkIpv4(f, -1, 100));
        assertEquals(FrameCheck.TRUNCATED, FrameCheck.checkIpv4(f, Integer.MIN_VALUE, 100));
        assertEquals(FrameCheck.TRUNCATED, FrameCheck.checkIpv4(f, f.length, 100));
        assertEquals(FrameCheck.TRUNCATED, FrameCheck.checkIpv4(f, Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertEquals(FrameCheck.TRUNCATED, FrameCheck.checkIpv4(f, IP, -5));
        assertEquals(FrameCheck.TRUNCATED, FrameCheck.checkIpv4(new byte[0], 0, 0));
        // More "available" than the array holds is limited to the array.
        assertEquals(FrameCheck.OK, FrameCheck.checkIpv4(f, IP, Integer.MAX_VALUE));
        assertEquals(FrameCheck.TRUNCATED, FrameCheck.checkIpv4(Arrays.copyOf(f, f.length - 1), IP, 1000));
        assertEquals(FrameCheck.TRUNCATED, FrameCheck.checkEthernetIpv4(null, 0, 0));
        assertEquals(FrameCheck.TRUNCATED, FrameCheck.checkEthernetIpv4(f, -3, 60));
        assertEquals(FrameCheck.TRUNCATED, FrameCheck.checkArp(null, 0, 28));
        assertEquals(FrameCheck.TRUNCATED, FrameCheck.checkArp(f, -1, 28));
        assertEquals(FrameCheck.TRUNCATED, FrameCheck.checkArp(f, 40, Integer.MAX_VALUE));
    }

    @Test
    void arpChecks() {
        byte[] request = frame(OFFLOAD_OFF, ARP_REQUEST);
        assertEquals(FrameCheck.OK, FrameCheck.checkArp(request, IP, 28));
        assertEquals(FrameCheck.TRUNCATED, FrameCheck.checkArp(request, IP, 27));
        for (int field : new int[] {1, 2, 4, 5}) {
            byte[] f = request.clone();
            f[IP + field]++;
            assertEquals(FrameCheck.BAD_ARP, FrameCheck.checkArp(f, IP, 28), "byte " + field);
        }
        byte[] f = request.clone();
        Bytes.put16(f, IP + 6, 3); // RARP request
        assertEquals(FrameCheck.BAD_ARP, FrameCheck.checkArp(f, IP, 28));
    }

    @Test
    void icmpErrorQuotes() {
        byte[] error = frame(OFFLOAD_OFF, ICMP_PORT_UNREACH);
        assertEquals(FrameCheck.OK, FrameCheck.checkIcmpError(error, IP));
        int quote = IP + 28;
        byte[] f = error.clone();
        f[quote] = 0x55;
        assertEquals(FrameCheck.BAD_VERSION, FrameCheck.checkIcmpError(f, IP));
        f[quote] = 0x44;
        assertEquals(FrameCheck.BAD_HEADER_LENGTH, FrameCheck.checkIcmpError(f, IP));
        f[quote] = 0x4f; // a 60-byte quoted header in a 44-byte quote
        assertEquals(FrameCheck.TRUNCATED, FrameCheck.checkIcmpError(f, IP));
        // Only the quoted header and 8 bytes: still enough; one byte less is not.
        byte[] shortest = Arrays.copyOf(withField(error.clone(), 2, 20 + 8 + 28), IP + 56);
        assertEquals(FrameCheck.OK, check(shortest));
        assertEquals(FrameCheck.OK, FrameCheck.checkIcmpError(shortest, IP));
        byte[] tooShort = Arrays.copyOf(withField(error.clone(), 2, 20 + 8 + 27), IP + 55);
        assertEquals(FrameCheck.OK, check(tooShort));
        assertEquals(FrameCheck.TRUNCATED, FrameCheck.checkIcmpError(tooShort, IP));
        assertEquals(FrameCheck.BAD_L4_HEADER, FrameCheck.checkIcmpError(udp(), IP));
    }

    @Test
    void reasonsHaveNames() {
        assertEquals("ok", FrameCheck.reason(FrameCheck.OK));
        assertEquals("bad IP header checksum", FrameCheck.reason(FrameCheck.BAD_HEADER_CHECKSUM));
        assertEquals("not IPv4", FrameCheck.reason(FrameCheck.NOT_IPV4));
        assertEquals("unknown (42)", FrameCheck.reason(42));
        assertEquals("unknown (-1)", FrameCheck.reason(-1));
        for (int code = FrameCheck.OK; code <= FrameCheck.NOT_IPV4; code++) {
            assertFalse(FrameCheck.reason(code).startsWith("unknown"), "code " + code);
        }
    }

    // ---- fuzz ----

    private static final int FUZZ_FRAMES = 300_000;

    /**
     * Random, mutated and truncated frames, each in an array of exactly the received length: the checks never
     * throw, and on OK every accessor, checksum routine, rewrite and builder that applies to the packet runs
     * without an exception on an array that ends where the packet ends.
     */
    @Test
    void fuzz() {
        Random random = new Random(20240611);
        String[][] runs = {OFFLOAD_ON, OFFLOAD_OFF};
        int[] reasons = new int[16];
        int arpOk = 0;
        int icmpErrorOk = 0;
        for (int n = 0; n < FUZZ_FRAMES; n++) {
            byte[] f = candidate(random, runs);
            int available = f.length;
            int ethOff = 0;
            if (n % 50 == 0 && f.length > 0) { // odd offsets and lengths into a bigger array
                ethOff = random.nextInt(f.length);
                available = random.nextInt(f.length + 40) - 20;
            }
            int reason = FrameCheck.checkEthernetIpv4(f, ethOff, available);
            reasons[reason]++;
            FrameCheck.reason(reason);
            int ipReason = FrameCheck.checkIpv4(f, IP, f.length - IP);
            if (ipReason == FrameCheck.OK) {
                // Cut to the packet's own bytes (no Ethernet padding), so that reading past the packet throws.
                byte[] packet = Arrays.copyOf(f, IP + Ipv4.totalLength(f, IP));
                if (Ipv4.protocol(f, IP) == Ipv4.PROTO_ICMP && FrameCheck.checkIcmpError(packet, IP) == FrameCheck.OK) {
                    icmpErrorOk++;
                    exerciseQuote(packet, IP);
                }
                exerciseIpv4(packet, IP, packet.length - IP);
            }
            if (FrameCheck.checkArp(f, IP, f.length - IP) == FrameCheck.OK) {
                arpOk++;
                exerciseArp(f);
            }
        }
        // The generator must reach every verdict, and the OK path often, or the test proves little.
        for (int code = FrameCheck.OK; code <= FrameCheck.BAD_L4_HEADER; code++) {
            assertTrue(reasons[code] > 100, FrameCheck.reason(code) + " seen " + reasons[code] + " times");
        }
        assertTrue(reasons[FrameCheck.NOT_IPV4] > 100);
        assertTrue(reasons[FrameCheck.OK] > FUZZ_FRAMES / 5, "OK " + reasons[FrameCheck.OK]);
        assertTrue(arpOk > 1000, "ARP OK " + arpOk);
        assertTrue(icmpErrorOk > 1000, "ICMP error OK " + icmpErrorOk);
    }

    /** A frame from one of several sources, often with the IP header checksum repaired after mutation. */
    private static byte[] candidate(Random random, String[][] runs) {
        byte[] f;
        int kind = random.nextInt(10);
        if (kind < 4) {
            String[] run = runs[random.nextInt(2)];
            f = frame(run, random.nextInt(run.length));
        } else if (kind < 8) {
            int padding = random.nextInt(3) == 0 ? random.nextInt(20) : 0;
            f = Reference.randomFrame(random, random.nextBoolean(), 100, padding);
            if (kind == 7) f[IP + 9] = (byte) random.nextInt(256); // any protocol
        } else if (kind == 8) {
            f = new byte[random.nextInt(120)];
            random.nextBytes(f);
            if (f.length > IP + 20 && random.nextBoolean()) {
                Bytes.put16(f, 12, Ethernet.TYPE_IPV4);
                f[IP] = (byte) (0x40 | random.nextInt(16));
            }
        } else {
            return new byte[random.nextInt(IP + 30)]; // zeros, mostly too short
        }
        int mutations = random.nextInt(4);
        for (int i = 0; i < mutations && f.length > 0; i++) {
            // Aim at the headers most of the time.
            int at = random.nextInt(4) > 0 ? random.nextInt(Math.min(f.length, IP + 48)) : random.nextInt(f.length);
            f[at] = (byte) (random.nextInt(3) == 0 ? random.nextInt(256) : f[at] ^ (1 << random.nextInt(8)));
        }
        if (random.nextInt(4) == 0 && f.length > 0) {
            f = Arrays.copyOf(f, random.nextInt(f.length + 1));
        } else if (random.nextInt(8) == 0) {
            f = Arrays.copyOf(f, f.length + random.nextInt(30));
        }
        if (random.nextInt(3) > 0 && f.length >= IP + 20) {
            int headerLength = (f[IP] & 0x0f) * 4;
            if (headerLength >= 20 && IP + headerLength <= f.length) Ipv4.updateHeaderChecksum(f, IP);
        }
        return f;
    }

    private static void exerciseIpv4(byte[] f, int ip, int available) {
        Ipv4.version(f, ip);
        Ipv4.tos(f, ip);
        Ipv4.id(f, ip);
        Ipv4.dontFragment(f, ip);
        Ipv4.moreFragments(f, ip);
        Ipv4.fragmentOffset(f, ip);
        Ipv4.ttl(f, ip);
        Ipv4.headerChecksum(f, ip);
        Ipv4.computeHeaderChecksum(f, ip);
        Ipv4.src(f, ip);
        Ipv4.dst(f, ip);
        assertTrue(Ipv4.payloadLength(f, ip) >= 0);
        int l4 = Ipv4.payloadOffset(f, ip);
        int protocol = Ipv4.protocol(f, ip);
        switch (protocol) {
            case Ipv4.PROTO_TCP -> {
                Tcp.srcPort(f, l4);
                Tcp.dstPort(f, l4);
                Tcp.seq(f, l4);
                Tcp.ack(f, l4);
                Tcp.flags(f, l4);
                Tcp.window(f, l4);
                Tcp.checksum(f, l4);
                Tcp.urgentPointer(f, l4);
                Tcp.mss(f, l4);
                Tcp.clampMss(f, l4, 536);
            }
            case Ipv4.PROTO_UDP -> {
                Udp.srcPort(f, l4);
                Udp.dstPort(f, l4);
                Udp.length(f, l4);
                Udp.checksum(f, l4);
            }
            case Ipv4.PROTO_ICMP -> {
                Icmp.type(f, l4);
                Icmp.code(f, l4);
                Icmp.checksum(f, l4);
                Icmp.identifier(f, l4);
                Icmp.sequence(f, l4);
                Icmp.restOfHeader(f, l4);
                Icmp.nextHopMtu(f, l4);
            }
            default -> { }
        }
        Checksums.l4ChecksumPartial(f, ip);
        Checksums.l4ChecksumValid(f, ip);
        Checksums.l4Checksum(f, ip);
        Checksums.completeL4Checksum(f, ip);
        if (protocol == Ipv4.PROTO_TCP || protocol == Ipv4.PROTO_UDP || protocol == Ipv4.PROTO_ICMP) {
            assertTrue(Checksums.l4ChecksumValid(f, ip), "a completed checksum verifies");
        }
        Icmp.errorAllowed(f, ip);
        byte[] out = new byte[Icmp.MAX_ERROR_PACKET_LENGTH];
        int length = Icmp.writeDestUnreachable(f, ip, available, out, 0, Icmp.CODE_FRAG_NEEDED, 1, 1400);
        assertEquals(FrameCheck.OK, FrameCheck.checkIpv4(out, 0, length));
        Nat.rewriteDestination(f, ip, 0x0a000001, 80);
        Nat.rewriteSource(f, ip, 0x0a000002, 8080);
        Nat.rewriteDestinationAddress(f, ip, 3);
        Nat.rewriteSourceAddress(f, ip, 4);
        Ipv4.decrementTtl(f, ip);
        assertEquals(FrameCheck.OK, FrameCheck.checkIpv4(f, ip, available), "rewrites keep the packet valid");
        if (protocol != Ipv4.PROTO_IPIP) assertTrue(Checksums.l4ChecksumValid(f, ip) || l4ChecksumUnknown(protocol));
        Icmp.toEchoReply(f, ip);
    }

    private static boolean l4ChecksumUnknown(int protocol) {
        return protocol != Ipv4.PROTO_TCP && protocol != Ipv4.PROTO_UDP && protocol != Ipv4.PROTO_ICMP;
    }

    private static void exerciseQuote(byte[] f, int ip) {
        int quote = Icmp.quotedOffset(Ipv4.payloadOffset(f, ip));
        Ipv4.src(f, quote);
        Ipv4.dst(f, quote);
        Ipv4.protocol(f, quote);
        int l4 = Ipv4.payloadOffset(f, quote);
        Tcp.srcPort(f, l4);
        Tcp.dstPort(f, l4);
        Tcp.seq(f, l4);
    }

    private static void exerciseArp(byte[] f) {
        Arp.op(f, IP);
        Arp.senderMac(f, IP);
        Arp.senderIp(f, IP);
        Arp.targetMac(f, IP);
        Arp.targetIp(f, IP);
        Arp.isGratuitous(f, IP);
        Arp.toReplyFrame(f, 0, 0x02000afa00ffL);
        assertEquals(FrameCheck.OK, FrameCheck.checkArp(f, IP, f.length - IP));
    }
}
