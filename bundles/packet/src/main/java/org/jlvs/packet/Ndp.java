package org.jlvs.packet;

/**
 * Neighbour Discovery (RFC 4861) over Ethernet: the fields of Neighbour Solicitation and Advertisement (at the
 * ICMPv6 header's offset), the options walk, the receive validation of §7.1, and the advertisements the
 * director sends for the addresses it owns.
 *
 * <pre>
 *  NS: type 135 | code 0 | checksum | reserved (32)                 | target (128) | options
 *  NA: type 136 | code 0 | checksum | R S O flags, reserved (32)    | target (128) | options
 *  option: type (8) | length (8, in units of 8 bytes, 0 invalid) | ...; link-layer address: 6 bytes of MAC
 * </pre>
 */
public final class Ndp {
    /** NS or NA without options. */
    public static final int MESSAGE_LENGTH = 24;
    /** ND packets are sent, and only accepted, with this hop limit: they were not routed. */
    public static final int HOP_LIMIT = 255;

    public static final int OPTION_SOURCE_LLA = 1;
    public static final int OPTION_TARGET_LLA = 2;
    public static final int OPTION_PREFIX_INFORMATION = 3;
    public static final int OPTION_REDIRECTED_HEADER = 4;
    public static final int OPTION_MTU = 5;
    public static final int OPTION_NONCE = 14;
    /** An Ethernet link-layer address option: type, length 1, the MAC. */
    public static final int LLA_OPTION_LENGTH = 8;

    public static final int FLAG_ROUTER = 0x8000_0000;
    public static final int FLAG_SOLICITED = 0x4000_0000;
    public static final int FLAG_OVERRIDE = 0x2000_0000;

    /** Ethernet + IPv6 + NA + target link-layer address option. */
    public static final int ADVERTISEMENT_FRAME_LENGTH =
            Ethernet.HEADER_LENGTH + Ipv6.HEADER_LENGTH + MESSAGE_LENGTH + LLA_OPTION_LENGTH;

    private static final int TARGET = 8;

    private Ndp() {}

    public static long targetHi(byte[] buf, int icmpOff) {
        return Bytes.i64(buf, icmpOff + TARGET);
    }

    public static long targetLo(byte[] buf, int icmpOff) {
        return Bytes.i64(buf, icmpOff + TARGET + 8);
    }

    /** The NA flags word: FLAG_ROUTER, FLAG_SOLICITED, FLAG_OVERRIDE (and reserved bits). */
    public static int flags(byte[] buf, int icmpOff) {
        return Bytes.i32(buf, icmpOff + 4);
    }

    public static boolean isRouter(byte[] buf, int icmpOff) {
        return (flags(buf, icmpOff) & FLAG_ROUTER) != 0;
    }

    public static boolean isSolicited(byte[] buf, int icmpOff) {
        return (flags(buf, icmpOff) & FLAG_SOLICITED) != 0;
    }

    public static boolean isOverride(byte[] buf, int icmpOff) {
        return (flags(buf, icmpOff) & FLAG_OVERRIDE) != 0;
    }

    /** Where the options of an ND message of this type start, or -1 for a type that is no ND message. */
    public static int optionsOffset(int type, int icmpOff) {
        return switch (type) {
            case Icmpv6.ROUTER_SOLICITATION -> icmpOff + 8;
            case Icmpv6.ROUTER_ADVERTISEMENT -> icmpOff + 16;
            case Icmpv6.NEIGHBOUR_SOLICITATION, Icmpv6.NEIGHBOUR_ADVERTISEMENT -> icmpOff + MESSAGE_LENGTH;
            case Icmpv6.REDIRECT -> icmpOff + 40;
            default -> -1;
        };
    }

    /**
     * Whether the options in [from, end) are well formed: each of length 1 or more and within end (RFC 4861
     * §4.6: length 0 is invalid). Bounded by the message: every option takes 8 bytes or more.
     */
    public static boolean optionsValid(byte[] buf, int from, int end) {
        int i = from;
        while (i < end) {
            if (end - i < 8) return false;
            int length = (buf[i + 1] & 0xff) << 3;
            if (length == 0 || length > end - i) return false;
            i += length;
        }
        return true;
    }

    /**
     * The offset of the first option of {@code type} in [from, end), or -1 when there is none or the options are
     * malformed before it.
     */
    public static int findOption(byte[] buf, int from, int end, int type) {
        int i = from;
        while (i < end) {
            if (end - i < 8) return -1;
            int length = (buf[i + 1] & 0xff) << 3;
            if (length == 0 || length > end - i) return -1;
            if ((buf[i] & 0xff) == type) return i;
            i += length;
        }
        return -1;
    }

    /**
     * The MAC of the first source ({@link #OPTION_SOURCE_LLA}) or target ({@link #OPTION_TARGET_LLA}) link-layer
     * address option in [from, end), or -1 when there is none, it is not 8 bytes long (RFC 2464 §6), or the
     * options are malformed before it.
     */
    public static long linkLayerAddress(byte[] buf, int from, int end, int type) {
        int at = findOption(buf, from, end, type);
        if (at < 0 || buf[at + 1] != 1) return -1;
        return Bytes.u48(buf, at + 2);
    }

    /**
     * RFC 4861 §7.1.1 on the packet at ipOff that {@link FrameCheck6#inspectIpv6} passed with {@code walk}: a
     * Neighbour Solicitation (else NOT_ND) with hop limit 255, a valid checksum, code 0, 24 bytes or more, a
     * target that is not multicast, well-formed options; from the unspecified address (duplicate address
     * detection) only to a solicited-node address and without a source link-layer address option.
     */
    public static int checkSolicitation(byte[] buf, int ipOff, long walk) {
        int common = checkCommon(buf, ipOff, walk, Icmpv6.NEIGHBOUR_SOLICITATION);
        if (common != FrameCheck6.OK) return common;
        if (Ipv6.isUnspecified(Ipv6.srcHi(buf, ipOff), Ipv6.srcLo(buf, ipOff))) {
            if (!Ipv6.isSolicitedNode(Ipv6.dstHi(buf, ipOff), Ipv6.dstLo(buf, ipOff))) {
                return FrameCheck6.ND_DAD_BAD_DESTINATION;
            }
            int icmp = Ipv6Headers.l4Offset(walk, ipOff);
            int end = icmp + Checksums6.l4Length(buf, ipOff, icmp);
            if (findOption(buf, icmp + MESSAGE_LENGTH, end, OPTION_SOURCE_LLA) >= 0) {
                return FrameCheck6.ND_DAD_WITH_SOURCE_LLA;
            }
        }
        return FrameCheck6.OK;
    }

    /**
     * RFC 4861 §7.1.2: as {@link #checkSolicitation} for a Neighbour Advertisement, and the Solicited flag clear
     * when the destination is multicast.
     */
    public static int checkAdvertisement(byte[] buf, int ipOff, long walk) {
        int common = checkCommon(buf, ipOff, walk, Icmpv6.NEIGHBOUR_ADVERTISEMENT);
        if (common != FrameCheck6.OK) return common;
        if (Ipv6.isMulticast(Ipv6.dstHi(buf, ipOff)) && isSolicited(buf, Ipv6Headers.l4Offset(walk, ipOff))) {
            return FrameCheck6.ND_SOLICITED_TO_MULTICAST;
        }
        return FrameCheck6.OK;
    }

    // A fragment (reason FRAGMENT, not OK) is refused too: ND must not be fragmented (RFC 6980).
    private static int checkCommon(byte[] buf, int ipOff, long walk, int type) {
        if (Ipv6Headers.reason(walk) != FrameCheck6.OK || Ipv6Headers.protocol(walk) != Ipv6.NEXT_ICMPV6) {
            return FrameCheck6.NOT_ND;
        }
        int icmp = Ipv6Headers.l4Offset(walk, ipOff);
        if (Icmpv6.type(buf, icmp) != type) return FrameCheck6.NOT_ND;
        if (Ipv6.hopLimit(buf, ipOff) != HOP_LIMIT) return FrameCheck6.ND_BAD_HOP_LIMIT;
        if (!Checksums6.l4ChecksumValid(buf, ipOff, icmp, Ipv6.NEXT_ICMPV6)) return FrameCheck6.BAD_CHECKSUM;
        if (Icmpv6.code(buf, icmp) != 0) return FrameCheck6.ND_BAD_CODE;
        int length = Checksums6.l4Length(buf, ipOff, icmp);
        if (length < MESSAGE_LENGTH) return FrameCheck6.ND_TOO_SHORT;
        if (Ipv6.isMulticast(targetHi(buf, icmp))) return FrameCheck6.ND_TARGET_MULTICAST;
        if (!optionsValid(buf, icmp + MESSAGE_LENGTH, icmp + length)) return FrameCheck6.ND_BAD_OPTION;
        return FrameCheck6.OK;
    }

    /**
     * Writes a whole Neighbour Advertisement frame at ethOff: Ethernet, IPv6 (hop limit 255, traffic class and
     * flow label 0), the NA with {@code flags} and its target, a target link-layer address option with
     * {@code targetMac}, and the checksum.
     *
     * @return {@link #ADVERTISEMENT_FRAME_LENGTH} (86; no Ethernet padding is needed above 60)
     */
    public static int writeAdvertisementFrame(byte[] buf, int ethOff, long ethDst, long ethSrc, long srcHi,
            long srcLo, long dstHi, long dstLo, int flags, long targetHi, long targetLo, long targetMac) {
        Ethernet.writeHeader(buf, ethOff, ethDst, ethSrc, Ethernet.TYPE_IPV6);
        int ip = ethOff + Ethernet.HEADER_LENGTH;
        int length = MESSAGE_LENGTH + LLA_OPTION_LENGTH;
        Ipv6.writeHeader(buf, ip, 0, 0, length, Ipv6.NEXT_ICMPV6, HOP_LIMIT, srcHi, srcLo, dstHi, dstLo);
        int icmp = ip + Ipv6.HEADER_LENGTH;
        Icmpv6.setType(buf, icmp, Icmpv6.NEIGHBOUR_ADVERTISEMENT);
        Icmpv6.setCode(buf, icmp, 0);
        Icmpv6.setChecksum(buf, icmp, 0);
        Bytes.put32(buf, icmp + 4, flags & (FLAG_ROUTER | FLAG_SOLICITED | FLAG_OVERRIDE));
        Ipv6.putAddress(buf, icmp + TARGET, targetHi, targetLo);
        buf[icmp + MESSAGE_LENGTH] = OPTION_TARGET_LLA;
        buf[icmp + MESSAGE_LENGTH + 1] = 1;
        Bytes.put48(buf, icmp + MESSAGE_LENGTH + 2, targetMac);
        long s = Checksums6.pseudoHeaderSum(srcHi, srcLo, dstHi, dstLo, Ipv6.NEXT_ICMPV6, length);
        Icmpv6.setChecksum(buf, icmp, Checksums.finish(Checksums.sum(buf, icmp, length, s)));
        return ADVERTISEMENT_FRAME_LENGTH;
    }

    /**
     * Turns the Neighbour Solicitation frame at ethOff, whose packet {@link #checkSolicitation} passed with
     * {@code walk}, into the advertisement that {@code mac} owns the target (RFC 4861 §7.2.4), from the target
     * address: to the soliciting address with the Solicited flag, at the MAC of its source link-layer address
     * option or else the frame's Ethernet source; to all nodes (ff02::1) without it when the solicitation came
     * from the unspecified address (duplicate address detection). Override set (the address is not anycast),
     * Router as given. The caller checks that the target is one of its addresses.
     *
     * @return {@link #ADVERTISEMENT_FRAME_LENGTH}, or -1 (frame untouched) when buf holds fewer than that many
     *     bytes from ethOff
     */
    public static int toAdvertisementFrame(byte[] buf, int ethOff, long walk, long mac, boolean router) {
        if (buf.length - ethOff < ADVERTISEMENT_FRAME_LENGTH) return -1;
        int ip = ethOff + Ethernet.HEADER_LENGTH;
        int icmp = Ipv6Headers.l4Offset(walk, ip);
        long targetHi = targetHi(buf, icmp);
        long targetLo = targetLo(buf, icmp);
        long dstHi = Ipv6.srcHi(buf, ip);
        long dstLo = Ipv6.srcLo(buf, ip);
        int flags = FLAG_OVERRIDE | (router ? FLAG_ROUTER : 0);
        long ethDst;
        if (Ipv6.isUnspecified(dstHi, dstLo)) {
            dstHi = Ipv6.ALL_NODES_HI;
            dstLo = Ipv6.ALL_NODES_LO;
            ethDst = Ipv6.multicastMac(Ipv6.ALL_NODES_LO);
        } else {
            flags |= FLAG_SOLICITED;
            int end = icmp + Checksums6.l4Length(buf, ip, icmp);
            ethDst = linkLayerAddress(buf, icmp + MESSAGE_LENGTH, end, OPTION_SOURCE_LLA);
            if (ethDst < 0) ethDst = Ethernet.src(buf, ethOff);
        }
        return writeAdvertisementFrame(buf, ethOff, ethDst, mac, targetHi, targetLo, dstHi, dstLo, flags, targetHi,
                targetLo, mac);
    }

    /**
     * Writes the unsolicited advertisement of an address that appears or moves (RFC 4861 §7.2.6): from the
     * address to all nodes, Override set, Solicited clear, Router as given, with its target link-layer address.
     *
     * @return {@link #ADVERTISEMENT_FRAME_LENGTH}
     */
    public static int writeUnsolicitedAdvertisementFrame(byte[] buf, int ethOff, long mac, long hi, long lo,
            boolean router) {
        int flags = FLAG_OVERRIDE | (router ? FLAG_ROUTER : 0);
        return writeAdvertisementFrame(buf, ethOff, Ipv6.multicastMac(Ipv6.ALL_NODES_LO), mac, hi, lo,
                Ipv6.ALL_NODES_HI, Ipv6.ALL_NODES_LO, flags, hi, lo, mac);
    }
}
