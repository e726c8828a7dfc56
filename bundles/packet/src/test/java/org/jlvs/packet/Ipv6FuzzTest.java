package org.jlvs.packet;

import static org.jlvs.packet.Build6.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A million random, generated and mutated IPv6 frames, each in an array of exactly its length (a read past the
 * frame throws): the IPv6 walk, the frame check, the ICMPv6 error quote check and the Neighbour Discovery
 * checks never throw; every frame the check passes (OK or FRAGMENT) is walked and read by every accessor,
 * checksum routine, rewrite and writer that applies, on an array that ends where the packet ends; and what the
 * writers produce passes the checks in turn. Seeded: the same frames on every run.
 */
class Ipv6FuzzTest {
    private static final int FRAMES = 1_000_000;
    private static final int IP = Ethernet.HEADER_LENGTH;
    private static final int[] EXTENSIONS = {Ipv6.NEXT_HOP_BY_HOP, Ipv6.NEXT_DEST_OPTIONS, Ipv6.NEXT_ROUTING,
        Ipv6.NEXT_FRAGMENT, Ipv6.NEXT_AH};

    private final int[] frameReasons = new int[32];
    private final int[] quoteReasons = new int[32];
    private final int[] ndReasons = new int[32];
    private final byte[] out = new byte[Ipv6.MIN_MTU + 100];
    private int answered;
    private int echoReplies;

    @Test
    void millionFrames() {
        Random random = new Random(4443);
        for (int n = 0; n < FRAMES; n++) {
            byte[] f = candidate(random);
            int ethOff = 0;
            int available = f.length;
            if (n % 50 == 0 && f.length > 0) { // odd offsets and lengths
                ethOff = random.nextInt(f.length);
                available = random.nextInt(f.length + 40) - 20;
            }
            Ipv6Headers.walkQuoted(f, ethOff + IP, available - IP);
            int reason = FrameCheck6.checkEthernetIpv6(f, ethOff, available);
            FrameCheck6.reason(reason);
            long w = FrameCheck6.inspectEthernetIpv6(f, 0, f.length);
            frameReasons[Ipv6Headers.reason(w)]++;
            int r = Ipv6Headers.reason(w);
            if (f.length >= IP && r != FrameCheck6.NOT_IPV6) {
                assertEquals(w, FrameCheck6.inspectIpv6(f, IP, f.length - IP), "the same with or without Ethernet");
            }
            if (r == FrameCheck6.OK || r == FrameCheck6.FRAGMENT) {
                // Cut to the packet's own bytes (no Ethernet padding): reading past the packet throws.
                byte[] packet = Arrays.copyOf(f, IP + Ipv6.HEADER_LENGTH + Ipv6.payloadLength(f, IP));
                long pw = FrameCheck6.inspectIpv6(packet, IP, packet.length - IP);
                assertEquals(w, pw, "the padding changes nothing");
                exercise(packet, pw);
            }
        }
        System.out.printf("IPv6 fuzz: %d frames; frame check %s; quotes %s; ND %s%n", FRAMES,
                Arrays.toString(frameReasons), Arrays.toString(quoteReasons), Arrays.toString(ndReasons));
        for (int code = FrameCheck6.OK; code <= FrameCheck6.NOT_IPV6; code++) {
            assertTrue(frameReasons[code] > 100, FrameCheck6.reason(code) + " seen " + frameReasons[code] + " times");
        }
        assertTrue(frameReasons[FrameCheck6.OK] > FRAMES / 5, "OK " + frameReasons[FrameCheck6.OK]);
        for (int code : new int[] {FrameCheck6.OK, FrameCheck6.QUOTE_TRUNCATED, FrameCheck6.BAD_QUOTE}) {
            assertTrue(quoteReasons[code] > 100, FrameCheck6.reason(code) + " seen " + quoteReasons[code] + " times");
        }
        for (int code = FrameCheck6.ND_BAD_HOP_LIMIT; code <= FrameCheck6.BAD_CHECKSUM; code++) {
            assertTrue(ndReasons[code] > 100, FrameCheck6.reason(code) + " seen " + ndReasons[code] + " times");
        }
        assertTrue(ndReasons[FrameCheck6.OK] > 10_000, "ND OK " + ndReasons[FrameCheck6.OK]);
        assertTrue(answered > 1000, "solicitations answered " + answered);
        assertTrue(echoReplies > 1000, "echo replies " + echoReplies);
    }

    private void exercise(byte[] f, long w) {
        Ipv6.version(f, IP);
        Ipv6.trafficClass(f, IP);
        Ipv6.flowLabel(f, IP);
        Ipv6.hopLimit(f, IP);
        Ipv6.dstHi(f, IP);
        Ipv6.dstLo(f, IP);
        int l4 = Ipv6Headers.l4Offset(w, IP);
        assertTrue(l4 <= f.length);
        int fh = Ipv6Headers.fragmentHeaderOffset(w, IP);
        if (fh >= 0) {
            Ipv6Headers.fragmentOffset(f, fh);
            Ipv6Headers.moreFragments(f, fh);
            Ipv6Headers.fragmentId(f, fh);
            Ipv6Headers.nextHeader(f, fh);
        }
        Ipv6Headers.headerCount(w);
        int protocol = Ipv6Headers.protocol(w);
        boolean whole = !Ipv6Headers.isFragment(w);
        if (Ipv6Headers.hasUpperLayerHeader(w)) {
            switch (protocol) {
                case Ipv6.NEXT_TCP -> {
                    Tcp.srcPort(f, l4);
                    Tcp.dstPort(f, l4);
                    Tcp.seq(f, l4);
                    Tcp.flags(f, l4);
                    Tcp.urgentPointer(f, l4);
                    Tcp.mss(f, l4);
                    Tcp.clampMss(f, l4, 1220);
                }
                case Ipv6.NEXT_UDP -> {
                    Udp.srcPort(f, l4);
                    Udp.length(f, l4);
                    Udp.checksum(f, l4);
                }
                case Ipv6.NEXT_ICMPV6 -> exerciseIcmpv6(f, w, l4);
                default -> { }
            }
            if (whole) {
                Checksums6.l4ChecksumPartial(f, IP, l4, protocol);
                Checksums6.l4ChecksumValid(f, IP, l4, protocol);
                Checksums6.completeL4Checksum(f, IP, l4, protocol);
                if (Checksums6.l4ChecksumOffset(protocol) >= 0) {
                    assertTrue(Checksums6.l4ChecksumValid(f, IP, l4, protocol), "a completed checksum verifies");
                }
            }
        }
        Icmpv6.errorAllowed(f, IP, w, Icmpv6.PACKET_TOO_BIG, 0);
        int length = Icmpv6.writePacketTooBig(f, IP, f.length - IP, out, 0, 1280, 1, 2);
        long ew = FrameCheck6.inspectIpv6(out, 0, length);
        assertEquals(FrameCheck6.OK, Ipv6Headers.reason(ew), "a Packet Too Big we write passes");
        assertTrue(Checksums6.l4ChecksumValid(out, 0, 40, Ipv6.NEXT_ICMPV6));
        assertNotEquals(FrameCheck6.NOT_ICMPV6_ERROR, FrameCheck6.checkIcmpv6Error(out, 0, ew));

        Checksums6.rewriteAddress(f, IP, w, Ipv6.DST_OFFSET, 0xfd00_0000_0000_0001L, 7);
        Checksums6.rewriteAddress(f, IP, w, Ipv6.SRC_OFFSET, 0x2001_0db8_0000_0000L, 9);
        assertEquals(w, FrameCheck6.inspectIpv6(f, IP, f.length - IP), "a rewrite keeps the packet as it was");
        if (whole && Ipv6Headers.hasUpperLayerHeader(w) && Checksums6.l4ChecksumOffset(protocol) >= 0) {
            assertTrue(Checksums6.l4ChecksumValid(f, IP, l4, protocol), "a rewrite keeps the checksum right");
        }
        Ipv6.decrementHopLimit(f, IP);
    }

    private void exerciseIcmpv6(byte[] f, long w, int icmp) {
        int type = Icmpv6.type(f, icmp);
        Icmpv6.code(f, icmp);
        Icmpv6.identifier(f, icmp);
        Icmpv6.sequence(f, icmp);
        Icmpv6.mtu(f, icmp);
        long inner = FrameCheck6.inspectIcmpv6Error(f, IP, w);
        int q = Ipv6Headers.reason(inner);
        quoteReasons[q]++;
        if (q == FrameCheck6.OK) {
            int quote = Icmpv6.quotedOffset(icmp);
            Ipv6.srcHi(f, quote);
            Ipv6.dstLo(f, quote);
            if (Ipv6Headers.hasUpperLayerHeader(inner)) {
                int innerL4 = Ipv6Headers.l4Offset(inner, quote);
                Tcp.srcPort(f, innerL4);
                Tcp.dstPort(f, innerL4);
                Tcp.seq(f, innerL4);
            }
        }
        int end = f.length;
        int options = Ndp.optionsOffset(type, icmp);
        if (options >= 0 && options <= end) {
            Ndp.optionsValid(f, options, end);
            Ndp.linkLayerAddress(f, options, end, Ndp.OPTION_SOURCE_LLA);
            Ndp.linkLayerAddress(f, options, end, Ndp.OPTION_TARGET_LLA);
        }
        int ns = Ndp.checkSolicitation(f, IP, w);
        int na = Ndp.checkAdvertisement(f, IP, w);
        if (type == Icmpv6.NEIGHBOUR_SOLICITATION) ndReasons[ns]++;
        if (type == Icmpv6.NEIGHBOUR_ADVERTISEMENT) ndReasons[na]++;
        if (ns == FrameCheck6.OK) {
            Ndp.targetHi(f, icmp);
            Ndp.targetLo(f, icmp);
            byte[] room = Arrays.copyOf(f, Math.max(f.length, Ndp.ADVERTISEMENT_FRAME_LENGTH));
            assertEquals(Ndp.ADVERTISEMENT_FRAME_LENGTH, Ndp.toAdvertisementFrame(room, 0, w, 0x020000000099L, false));
            long aw = FrameCheck6.inspectIpv6(room, IP, Ndp.ADVERTISEMENT_FRAME_LENGTH - IP);
            assertEquals(FrameCheck6.OK, Ndp.checkAdvertisement(room, IP, aw), "our answer passes RFC 4861");
            answered++;
        }
        if (na == FrameCheck6.OK) {
            Ndp.flags(f, icmp);
            Ndp.isSolicited(f, icmp);
        }
        if (type == Icmpv6.ECHO_REQUEST && Checksums6.l4ChecksumValid(f, IP, icmp, Ipv6.NEXT_ICMPV6)) {
            byte[] copy = f.clone();
            int length = Icmpv6.toEchoReply(copy, IP, w);
            if (length > 0) {
                long rw = FrameCheck6.inspectIpv6(copy, IP, length);
                assertEquals(FrameCheck6.OK, Ipv6Headers.reason(rw));
                assertTrue(Checksums6.l4ChecksumValid(copy, IP, IP + 40, Ipv6.NEXT_ICMPV6), "the reply verifies");
                echoReplies++;
            }
        }
    }

    // ---- the frames ----

    private static byte[] candidate(Random random) {
        byte[] f;
        int kind = random.nextInt(10);
        if (kind < 3) {
            f = Captured6.frame(random.nextInt(Captured6.FRAMES.length));
        } else if (kind < 8) {
            f = ethernet(randomPacket(random, 0));
        } else if (kind == 8) {
            f = new byte[random.nextInt(140)];
            random.nextBytes(f);
            if (f.length > IP + 40 && random.nextBoolean()) {
                Bytes.put16(f, 12, Ethernet.TYPE_IPV6);
                f[IP] = (byte) (0x60 | random.nextInt(16));
                if (random.nextBoolean()) Ipv6.setPayloadLength(f, IP, f.length - IP - 40);
            }
        } else {
            return new byte[random.nextInt(IP + 50)];
        }
        int mutations = random.nextInt(3) == 0 ? 1 + random.nextInt(3) : 0;
        for (int i = 0; i < mutations && f.length > 0; i++) {
            int at = random.nextInt(4) > 0 ? random.nextInt(Math.min(f.length, IP + 120)) : random.nextInt(f.length);
            f[at] = (byte) (random.nextInt(3) == 0 ? random.nextInt(256) : f[at] ^ (1 << random.nextInt(8)));
        }
        if (random.nextInt(5) == 0 && f.length > 0) {
            f = Arrays.copyOf(f, random.nextInt(f.length + 1));
            // Often say so in the payload length, to get past it to the headers.
            if (f.length >= IP + 40 && random.nextBoolean()) Ipv6.setPayloadLength(f, IP, f.length - IP - 40);
        } else if (random.nextInt(10) == 0) {
            f = Arrays.copyOf(f, f.length + random.nextInt(30));
        }
        return f;
    }

    /** An IPv6 packet with 0 to 4 extension headers and one of many upper layers, mostly well formed. */
    static byte[] randomPacket(Random random, int depth) {
        int upper;
        byte[] body;
        boolean nd = false;
        switch (random.nextInt(depth == 0 ? 10 : 7)) {
            case 0, 1 -> {
                upper = Ipv6.NEXT_TCP;
                body = tcp(random.nextInt(24));
                body[12] = (byte) ((5 + random.nextInt(Math.min(3, 1 + (body.length - 20) / 4))) << 4);
                if (body.length >= 24 && random.nextBoolean()) { // an MSS option
                    body[20] = 2;
                    body[21] = 4;
                    body[22] = 5;
                    body[23] = (byte) 0xb4;
                    body[12] = 0x60;
                }
            }
            case 2, 3 -> {
                upper = Ipv6.NEXT_UDP;
                body = udp(random.nextInt(40));
            }
            case 4 -> {
                upper = Ipv6.NEXT_ICMPV6;
                byte[] echo = new byte[4 + random.nextInt(40)];
                random.nextBytes(echo);
                body = icmpv6(Icmpv6.ECHO_REQUEST, 0, echo);
            }
            case 5 -> {
                upper = random.nextBoolean() ? Ipv6.NEXT_ESP : Ipv6.NEXT_NONE;
                body = new byte[upper == Ipv6.NEXT_NONE ? 0 : 8 + random.nextInt(20)];
            }
            case 6 -> {
                upper = random.nextInt(256);
                body = new byte[random.nextInt(30)];
            }
            case 7, 8 -> {
                upper = Ipv6.NEXT_ICMPV6;
                body = neighbourDiscovery(random);
                nd = true;
            }
            default -> {
                upper = Ipv6.NEXT_ICMPV6;
                byte[] quote = randomPacket(random, depth + 1);
                if (random.nextInt(3) > 0) quote = Arrays.copyOf(quote, random.nextInt(quote.length + 1));
                int type = 1 + random.nextInt(4);
                byte[] rest = {0, 0, (byte) (type == 2 ? 5 : 0), 0};
                body = icmpv6(type, random.nextInt(5), concat(rest, quote));
            }
        }
        List<byte[]> parts = new ArrayList<>();
        boolean longChain = random.nextInt(8) == 0; // past MAX_HEADERS: only headers that may repeat
        int headers = nd || random.nextInt(3) > 0 ? 0 : 1 + random.nextInt(longChain ? 11 : 4);
        int[] types = new int[headers];
        for (int i = 0; i < headers; i++) {
            types[i] = EXTENSIONS[longChain ? 1 + 3 * random.nextInt(2) : random.nextInt(EXTENSIONS.length)];
        }
        boolean fragmented = false;
        boolean first = false;
        for (int i = 0; i < headers; i++) {
            int next = i + 1 < headers ? types[i + 1] : upper;
            parts.add(switch (types[i]) {
                case Ipv6.NEXT_HOP_BY_HOP, Ipv6.NEXT_DEST_OPTIONS -> options(next, 1 + random.nextInt(3));
                case Ipv6.NEXT_ROUTING -> routing(next, random.nextInt(3));
                case Ipv6.NEXT_FRAGMENT -> {
                    int offset = random.nextInt(3) == 0 ? 8 * random.nextInt(200) : 0;
                    boolean more = random.nextBoolean();
                    fragmented |= offset != 0 || more;
                    first |= offset == 0 && more;
                    yield fragment(next, offset, more, random.nextInt());
                }
                default -> ah(next);
            });
        }
        if (first && random.nextInt(3) == 0) body = Arrays.copyOf(body, 8 * random.nextInt(2)); // RFC 7112 cases
        parts.add(body);
        byte[] p = ipv6(headers > 0 ? types[0] : upper, parts.toArray(new byte[0][]));
        if (nd) {
            addressNeighbourDiscovery(random, p);
        }
        int l4 = p.length - body.length;
        if (!fragmented && Checksums6.l4ChecksumOffset(upper) >= 0 && body.length >= (upper == Ipv6.NEXT_TCP ? 20 : 8)
                && random.nextInt(8) > 0) {
            Build6.checksum(p, 0, l4, upper);
        }
        return p;
    }

    /** An NS or NA body, mostly valid, with a fault drawn now and then. */
    private static byte[] neighbourDiscovery(Random random) {
        boolean ns = random.nextBoolean();
        byte[] m = new byte[24];
        m[0] = (byte) (ns ? Icmpv6.NEIGHBOUR_SOLICITATION : Icmpv6.NEIGHBOUR_ADVERTISEMENT);
        if (random.nextInt(20) == 0) m[1] = 1;
        if (!ns) m[4] = (byte) (random.nextInt(8) << 5);
        byte[] target = random.nextInt(20) == 0 ? Reference6.address("ff02::1") : random.nextBoolean() ? R
                : Reference6.address("fe80::" + Integer.toHexString(random.nextInt(0xffff)));
        System.arraycopy(target, 0, m, 8, 16);
        List<byte[]> options = new ArrayList<>();
        options.add(m);
        for (int i = random.nextInt(3); i > 0; i--) {
            byte[] o = new byte[8];
            o[0] = (byte) (random.nextInt(4) == 0 ? Ndp.OPTION_NONCE : ns ? Ndp.OPTION_SOURCE_LLA : Ndp.OPTION_TARGET_LLA);
            o[1] = (byte) (random.nextInt(30) == 0 ? 0 : 1);
            o[2] = 2;
            o[7] = (byte) random.nextInt(256);
            options.add(o);
        }
        byte[] body = concat(options.toArray(new byte[0][]));
        return random.nextInt(30) == 0 ? Arrays.copyOf(body, 8 + random.nextInt(16)) : body;
    }

    /** Source, destination and hop limit of an ND packet: mostly as RFC 4861 wants them. */
    private static void addressNeighbourDiscovery(Random random, byte[] p) {
        p[7] = (byte) (random.nextInt(20) == 0 ? 64 : 255);
        boolean ns = p[40] == (byte) Icmpv6.NEIGHBOUR_SOLICITATION;
        if (ns && random.nextInt(3) == 0) Arrays.fill(p, 8, 24, (byte) 0); // DAD
        int dst = random.nextInt(4);
        if (dst == 0) {
            Ipv6.setDst(p, 0, Ipv6.ALL_NODES_HI, Ipv6.ALL_NODES_LO);
        } else if (dst == 1 && p.length >= 64) {
            Ipv6.setDst(p, 0, Ipv6.SOLICITED_NODE_HI, Ipv6.solicitedNodeLo(Bytes.i64(p, 56)));
        }
    }
}
