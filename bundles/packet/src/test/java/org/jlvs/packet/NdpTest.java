package org.jlvs.packet;

import static org.jlvs.packet.Captured6.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NdpTest {
    private static final int IP = Ethernet.HEADER_LENGTH, ICMP = IP + 40;
    private static final long MAC_A = 0x02000000_0a01L, MAC_A_NEW = 0x02000000_0a03L, MAC_R = 0x02000000_0a02L;
    private static final long A_HI = Ipv6Test.A_HI, A_LO = Ipv6Test.A_LO, R_HI = Ipv6Test.R_HI, R_LO = Ipv6Test.R_LO;

    private static long walk(byte[] f) {
        return FrameCheck6.inspectIpv6(f, IP, f.length - IP);
    }

    private static int checkNs(byte[] f) {
        return Ndp.checkSolicitation(f, IP, walk(f));
    }

    private static int checkNa(byte[] f) {
        return Ndp.checkAdvertisement(f, IP, walk(f));
    }

    /** Repairs the ICMPv6 checksum with the reference code, so that the check gets past it. */
    private static byte[] repaired(byte[] f) {
        Build6.checksum(f, IP, ICMP, Ipv6.NEXT_ICMPV6);
        return f;
    }

    @Test
    void capturedSolicitations() {
        byte[] ns = frame(NS);
        assertEquals(FrameCheck6.OK, checkNs(ns));
        assertEquals(Icmpv6.NEIGHBOUR_SOLICITATION, Icmpv6.type(ns, ICMP));
        assertEquals(R_HI, Ndp.targetHi(ns, ICMP));
        assertEquals(R_LO, Ndp.targetLo(ns, ICMP));
        int options = Ndp.optionsOffset(Icmpv6.NEIGHBOUR_SOLICITATION, ICMP);
        assertEquals(ICMP + 24, options);
        assertTrue(Ndp.optionsValid(ns, options, ns.length));
        assertEquals(MAC_A, Ndp.linkLayerAddress(ns, options, ns.length, Ndp.OPTION_SOURCE_LLA));
        assertEquals(-1, Ndp.linkLayerAddress(ns, options, ns.length, Ndp.OPTION_TARGET_LLA));

        byte[] dad = frame(DAD_NS);
        assertEquals(FrameCheck6.OK, checkNs(dad));
        assertEquals(A_LO, Ndp.targetLo(dad, ICMP));
        assertEquals(-1, Ndp.findOption(dad, ICMP + 24, dad.length, Ndp.OPTION_SOURCE_LLA));
        assertEquals(ICMP + 24, Ndp.findOption(dad, ICMP + 24, dad.length, Ndp.OPTION_NONCE), "Linux's DAD nonce");

        byte[] rs = frame(ROUTER_SOLICITATION);
        int rsOptions = Ndp.optionsOffset(Icmpv6.ROUTER_SOLICITATION, ICMP);
        assertEquals(MAC_A, Ndp.linkLayerAddress(rs, rsOptions, rs.length, Ndp.OPTION_SOURCE_LLA));
        assertEquals(FrameCheck6.NOT_ND, checkNs(rs));
        assertEquals(ICMP + 16, Ndp.optionsOffset(Icmpv6.ROUTER_ADVERTISEMENT, ICMP));
        assertEquals(ICMP + 40, Ndp.optionsOffset(Icmpv6.REDIRECT, ICMP));
        assertEquals(-1, Ndp.optionsOffset(Icmpv6.ECHO_REQUEST, ICMP));
    }

    @Test
    void capturedAdvertisements() {
        byte[] na = frame(NA);
        assertEquals(FrameCheck6.OK, checkNa(na));
        assertTrue(Ndp.isRouter(na, ICMP));
        assertTrue(Ndp.isSolicited(na, ICMP));
        assertTrue(Ndp.isOverride(na, ICMP));
        assertEquals(Ndp.FLAG_ROUTER | Ndp.FLAG_SOLICITED | Ndp.FLAG_OVERRIDE, Ndp.flags(na, ICMP));
        assertEquals(R_LO, Ndp.targetLo(na, ICMP));
        assertEquals(MAC_R, Ndp.linkLayerAddress(na, ICMP + 24, na.length, Ndp.OPTION_TARGET_LLA));

        byte[] unsolicited = frame(UNSOLICITED_NA);
        assertEquals(FrameCheck6.OK, checkNa(unsolicited));
        assertFalse(Ndp.isSolicited(unsolicited, ICMP));
        assertFalse(Ndp.isRouter(unsolicited, ICMP));
        assertTrue(Ndp.isOverride(unsolicited, ICMP));
        assertEquals(FrameCheck6.NOT_ND, checkNs(unsolicited), "an NA is no NS");
    }

    @Test
    void theAnswerToASolicitationIsTheRoutersAdvertisement() {
        byte[] f = frame(NS);
        assertEquals(Ndp.ADVERTISEMENT_FRAME_LENGTH, Ndp.toAdvertisementFrame(f, 0, walk(f), MAC_R, true));
        assertArrayEquals(frame(NA), f);
    }

    @Test
    void unsolicitedAdvertisementsAreTheKernels() {
        byte[] f = new byte[Ndp.ADVERTISEMENT_FRAME_LENGTH];
        assertEquals(86, Ndp.writeUnsolicitedAdvertisementFrame(f, 0, MAC_A, A_HI, A_LO, false));
        assertArrayEquals(frame(UNSOLICITED_NA), f);
        Ndp.writeUnsolicitedAdvertisementFrame(f, 0, MAC_A_NEW, A_HI, A_LO, false);
        assertArrayEquals(frame(UNSOLICITED_NA_NEW_MAC), f);
        byte[] headroom = new byte[100];
        Ndp.writeUnsolicitedAdvertisementFrame(headroom, 14, MAC_A, A_HI, A_LO, true);
        assertTrue(Ndp.isRouter(headroom, 14 + ICMP));
        assertEquals(FrameCheck6.OK, Ndp.checkAdvertisement(headroom, 28, FrameCheck6.inspectIpv6(headroom, 28, 86)));
    }

    @Test
    void duplicateAddressDetectionIsAnsweredToAllNodes() {
        byte[] f = frame(DAD_NS);
        assertEquals(86, Ndp.toAdvertisementFrame(f, 0, walk(f), MAC_R, false));
        assertEquals(FrameCheck6.OK, checkNa(f));
        assertEquals(Ipv6.multicastMac(Ipv6.ALL_NODES_LO), Ethernet.dst(f, 0));
        assertEquals(MAC_R, Ethernet.src(f, 0));
        assertTrue(Ipv6.addressEquals(f, IP + Ipv6.DST_OFFSET, Ipv6.ALL_NODES_HI, Ipv6.ALL_NODES_LO));
        assertTrue(Ipv6.addressEquals(f, IP + Ipv6.SRC_OFFSET, A_HI, A_LO), "from the target");
        assertEquals(Ndp.FLAG_OVERRIDE, Ndp.flags(f, ICMP), "not solicited");
        assertEquals(Reference6.l4Checksum(f, IP, ICMP, 58), Icmpv6.checksum(f, ICMP));
    }

    @Test
    void withoutASourceLinkLayerOptionTheAnswerGoesToTheFramesSource() {
        byte[] ns = frame(NS);
        byte[] bare = Arrays.copyOf(ns, 78);
        Ipv6.setPayloadLength(bare, IP, 24);
        repaired(bare);
        assertEquals(FrameCheck6.OK, checkNs(bare));
        assertEquals(-1, Ndp.toAdvertisementFrame(bare, 0, walk(bare), MAC_R, true), "78 bytes cannot hold the answer");
        byte[] room = Arrays.copyOf(bare, 128);
        assertEquals(86, Ndp.toAdvertisementFrame(room, 0, FrameCheck6.inspectIpv6(room, IP, 78 - IP), MAC_R, true));
        assertArrayEquals(frame(NA), Arrays.copyOf(room, 86), "the NS's Ethernet source was a's MAC");
    }

    @Test
    void eachValidationFailure() {
        byte[] f = frame(NS);
        Ipv6.setHopLimit(f, IP, 254);
        assertEquals(FrameCheck6.ND_BAD_HOP_LIMIT, checkNs(f));
        f = frame(NS);
        f[f.length - 1] ^= 1;
        assertEquals(FrameCheck6.BAD_CHECKSUM, checkNs(f));
        f = frame(NS);
        Icmpv6.setCode(f, ICMP, 1);
        assertEquals(FrameCheck6.ND_BAD_CODE, checkNs(repaired(f)));
        f = Arrays.copyOf(frame(NS), IP + 40 + 20);
        Ipv6.setPayloadLength(f, IP, 20);
        assertEquals(FrameCheck6.ND_TOO_SHORT, checkNs(repaired(f)));
        f = frame(NS);
        Ipv6.putAddress(f, ICMP + 8, Ipv6.ALL_NODES_HI, 1);
        assertEquals(FrameCheck6.ND_TARGET_MULTICAST, checkNs(repaired(f)));
        f = frame(NS);
        f[ICMP + 25] = 0; // option length 0 (RFC 4861 4.6)
        assertEquals(FrameCheck6.ND_BAD_OPTION, checkNs(repaired(f)));
        f = frame(NS);
        f[ICMP + 25] = 2; // 16 bytes where there are 8
        assertEquals(FrameCheck6.ND_BAD_OPTION, checkNs(repaired(f)));

        f = frame(DAD_NS);
        Ipv6.setDst(f, IP, R_HI, R_LO);
        assertEquals(FrameCheck6.ND_DAD_BAD_DESTINATION, checkNs(repaired(f)));
        f = frame(DAD_NS);
        f[ICMP + 24] = Ndp.OPTION_SOURCE_LLA; // the nonce becomes a source link-layer address
        assertEquals(FrameCheck6.ND_DAD_WITH_SOURCE_LLA, checkNs(repaired(f)));

        f = frame(UNSOLICITED_NA);
        Bytes.put32(f, ICMP + 4, Ndp.FLAG_SOLICITED | Ndp.FLAG_OVERRIDE);
        assertEquals(FrameCheck6.ND_SOLICITED_TO_MULTICAST, checkNa(repaired(f)));
        f = frame(NA);
        Ipv6.setHopLimit(f, IP, 64);
        assertEquals(FrameCheck6.ND_BAD_HOP_LIMIT, checkNa(f));

        assertEquals(FrameCheck6.NOT_ND, checkNa(frame(ECHO_REQUEST)));
        assertEquals(FrameCheck6.NOT_ND, checkNs(frame(Captured6.UDP)));
        byte[] later = frame(FRAG_ECHO_LAST);
        assertEquals(FrameCheck6.NOT_ND, checkNs(later), "a fragment");
        assertEquals(FrameCheck6.NOT_ND, Ndp.checkSolicitation(f, IP, FrameCheck6.inspectIpv6(f, IP, 10)), "a bad walk");
    }

    @Test
    void optionsWalk() {
        byte[] b = new byte[32];
        assertTrue(Ndp.optionsValid(b, 0, 0), "no options");
        b[0] = 1;
        b[1] = 1;
        b[8] = 5;
        b[9] = 3; // 24 bytes, to the end
        assertTrue(Ndp.optionsValid(b, 0, 32));
        assertEquals(8, Ndp.findOption(b, 0, 32, 5));
        assertEquals(-1, Ndp.findOption(b, 0, 32, 3));
        assertFalse(Ndp.optionsValid(b, 0, 31), "beyond the message");
        assertFalse(Ndp.optionsValid(b, 0, 12), "4 bytes left");
        b[9] = 0;
        assertFalse(Ndp.optionsValid(b, 0, 32), "length 0");
        assertEquals(-1, Ndp.findOption(b, 0, 32, 5), "malformed");
        assertEquals(0, Ndp.findOption(b, 0, 32, 1), "found before the malformed one");
        b[1] = 2; // a 16-byte link-layer address option is not Ethernet's
        b[9] = 2;
        assertEquals(-1, Ndp.linkLayerAddress(b, 0, 32, 1));
    }
}
