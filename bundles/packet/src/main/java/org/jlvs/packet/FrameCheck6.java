package org.jlvs.packet;

/**
 * Validation of received IPv6 frames before the accessors read them, and the one vocabulary of reasons for
 * IPv6, its extension headers ({@link Ipv6Headers}), ICMPv6 error quotes and Neighbour Discovery
 * ({@link Ndp}). The checks never throw, whatever the array, offset and length. When {@link #inspectIpv6}
 * gives OK, the fixed header, the extension headers and the upper-layer header of TCP (with its options), UDP
 * or ICMPv6 (8 bytes) lie within the packet; with FRAGMENT the same holds for the chain, and for the
 * upper-layer header of a first fragment. Transport checksums are not checked here.
 */
public final class FrameCheck6 {
    public static final int OK = 0;
    /** Fewer bytes than the Ethernet or the fixed IPv6 header. */
    public static final int TRUNCATED = 1;
    public static final int BAD_VERSION = 2;
    /** The payload length goes beyond the bytes received. */
    public static final int PAYLOAD_BEYOND_FRAME = 3;
    /** An extension header goes beyond the packet. */
    public static final int EXTENSION_TRUNCATED = 4;
    /** More than {@link Ipv6Headers#MAX_HEADERS} extension headers. */
    public static final int TOO_MANY_HEADERS = 5;
    /** A Hop-by-Hop Options header anywhere but right after the fixed header (RFC 8200 §4.1). */
    public static final int HOP_BY_HOP_NOT_FIRST = 6;
    /** A second Fragment header. */
    public static final int REPEATED_HEADER = 7;
    /** An option that overruns its Hop-by-Hop or Destination Options header. */
    public static final int BAD_OPTIONS = 8;
    /** M set and a fragment not a multiple of 8 bytes, or a fragment ending beyond 65,535 bytes. */
    public static final int BAD_FRAGMENT = 9;
    /** A first fragment without the whole header chain up to the upper-layer header (RFC 7112). */
    public static final int INCOMPLETE_CHAIN = 10;
    /** A well-formed fragment: not malformed, but its upper-layer checksum covers bytes it does not hold. */
    public static final int FRAGMENT = 11;
    /** TCP under 20 bytes or its options beyond the packet, UDP or ICMPv6 under 8 bytes. */
    public static final int L4_TRUNCATED = 12;
    /** TCP data offset below 5, UDP length not the payload's. */
    public static final int BAD_L4_HEADER = 13;
    /** A multicast source address (RFC 4291 §2.7). */
    public static final int BAD_SOURCE = 14;
    /** An Ethernet frame whose EtherType is not IPv6. */
    public static final int NOT_IPV6 = 15;
    /** An ICMPv6 error whose quote does not hold the inner fixed header, its chain and 8 bytes after. */
    public static final int QUOTE_TRUNCATED = 16;
    /** An ICMPv6 error quoting something that is not a well-formed IPv6 packet. */
    public static final int BAD_QUOTE = 17;
    /** Not an ICMPv6 error message (checkIcmpv6Error on something else). */
    public static final int NOT_ICMPV6_ERROR = 18;
    /** Neighbour Discovery with a hop limit other than 255: it was routed, or forged off-link (RFC 4861 §7.1). */
    public static final int ND_BAD_HOP_LIMIT = 19;
    public static final int ND_BAD_CODE = 20;
    /** Neighbour Solicitation or Advertisement under 24 bytes. */
    public static final int ND_TOO_SHORT = 21;
    public static final int ND_TARGET_MULTICAST = 22;
    /** An ND option of length 0 or beyond the message. */
    public static final int ND_BAD_OPTION = 23;
    /** A solicitation from the unspecified address (DAD) not sent to a solicited-node address. */
    public static final int ND_DAD_BAD_DESTINATION = 24;
    /** A solicitation from the unspecified address carrying a source link-layer address option. */
    public static final int ND_DAD_WITH_SOURCE_LLA = 25;
    /** An advertisement to a multicast address with the Solicited flag. */
    public static final int ND_SOLICITED_TO_MULTICAST = 26;
    public static final int BAD_CHECKSUM = 27;
    /** Not the Neighbour Discovery message the check is for (or it is a fragment, or behind ESP). */
    public static final int NOT_ND = 28;

    private static final String[] REASONS = {
        "ok", "truncated", "bad IP version", "payload length beyond the frame", "extension header truncated",
        "too many extension headers", "hop-by-hop header not first", "second fragment header",
        "bad extension header options", "bad fragment length", "first fragment without the header chain",
        "fragment", "transport header truncated", "bad transport header", "multicast source address", "not IPv6",
        "ICMPv6 error quote truncated", "ICMPv6 error quotes no IPv6 packet", "not an ICMPv6 error",
        "neighbour discovery hop limit not 255", "neighbour discovery code not 0", "neighbour discovery too short",
        "neighbour discovery target multicast", "bad neighbour discovery option",
        "duplicate address detection not to a solicited-node address",
        "duplicate address detection with a source link-layer address", "solicited advertisement to multicast",
        "bad checksum", "not neighbour discovery",
    };

    private FrameCheck6() {}

    /** A short text for a reason code, for counters and logs. */
    public static String reason(int code) {
        return code >= 0 && code < REASONS.length ? REASONS[code] : "unknown (" + code + ")";
    }

    /**
     * Checks the IPv6 packet at ipOff, of which {@code available} bytes were received (Ethernet padding after
     * the payload length is allowed): the walk of {@link Ipv6Headers#walk}, a unicast (or unspecified) source,
     * and the upper-layer header of TCP, UDP (its length that of the payload) and ICMPv6. Other protocols pass
     * with their payload unchecked.
     *
     * @return the walk (read it with the Ipv6Headers decoders), its reason this check's verdict
     */
    public static long inspectIpv6(byte[] buf, int ipOff, int available) {
        long walk = Ipv6Headers.walk(buf, ipOff, available);
        if (Ipv6Headers.reason(walk) != OK) return walk;
        if (Ipv6.isMulticast(Ipv6.srcHi(buf, ipOff))) return Ipv6Headers.withReason(walk, BAD_SOURCE);
        boolean fragment = Ipv6Headers.isFragment(walk);
        if (!Ipv6Headers.hasUpperLayerHeader(walk)) return Ipv6Headers.withReason(walk, FRAGMENT);
        int l4 = Ipv6Headers.l4Offset(walk, ipOff);
        int l4Length = ipOff + Ipv6.HEADER_LENGTH + Ipv6.payloadLength(buf, ipOff) - l4;
        int reason = switch (Ipv6Headers.protocol(walk)) {
            case Ipv6.NEXT_TCP -> l4Length < Tcp.MIN_HEADER_LENGTH ? L4_TRUNCATED
                    : Tcp.dataOffset(buf, l4) < 5 ? BAD_L4_HEADER
                    : Tcp.headerLength(buf, l4) > l4Length ? L4_TRUNCATED : OK;
            // A first fragment's UDP length is the whole datagram's.
            case Ipv6.NEXT_UDP -> l4Length < Udp.HEADER_LENGTH ? L4_TRUNCATED
                    : fragment ? (Udp.length(buf, l4) > l4Length ? OK : BAD_L4_HEADER)
                    : Udp.length(buf, l4) == l4Length ? OK : BAD_L4_HEADER;
            case Ipv6.NEXT_ICMPV6 -> l4Length < Icmpv6.HEADER_LENGTH ? L4_TRUNCATED : OK;
            default -> OK;
        };
        if (fragment) reason = reason == L4_TRUNCATED ? INCOMPLETE_CHAIN : reason == OK ? FRAGMENT : reason;
        return Ipv6Headers.withReason(walk, reason);
    }

    /** The verdict of {@link #inspectIpv6}. */
    public static int checkIpv6(byte[] buf, int ipOff, int available) {
        return Ipv6Headers.reason(inspectIpv6(buf, ipOff, available));
    }

    /**
     * Checks an Ethernet frame at ethOff carrying IPv6 directly (no VLAN tag), then its packet as
     * {@link #inspectIpv6} does; the IPv6 header is at {@code ethOff + 14}, the offset to give the decoders.
     */
    public static long inspectEthernetIpv6(byte[] buf, int ethOff, int available) {
        int bytes = Ipv6Headers.bytes(buf, ethOff, available);
        if (bytes < Ethernet.HEADER_LENGTH) return Ipv6Headers.withReason(0, TRUNCATED);
        if (Ethernet.type(buf, ethOff) != Ethernet.TYPE_IPV6) return Ipv6Headers.withReason(0, NOT_IPV6);
        return inspectIpv6(buf, ethOff + Ethernet.HEADER_LENGTH, bytes - Ethernet.HEADER_LENGTH);
    }

    /** The verdict of {@link #inspectEthernetIpv6}. */
    public static int checkEthernetIpv6(byte[] buf, int ethOff, int available) {
        return Ipv6Headers.reason(inspectEthernetIpv6(buf, ethOff, available));
    }

    /**
     * For an ICMPv6 error (types 1 to 127) in a packet that {@link #inspectIpv6} passed with {@code walk}:
     * whether the quote (at {@link Icmpv6#quotedOffset}) holds the inner fixed header, its extension headers
     * and 8 bytes of its upper layer (the ports, or an ICMPv6 echo's identifier), the quote's end taken as the
     * inner packet's end. A quoted later fragment has no upper-layer header and is OK with its chain. The
     * quote's checksums are not checked (routers quote what they received).
     *
     * @return the walk of the quoted packet (its offsets from the quote's start), reason OK, NOT_ICMPV6_ERROR,
     *     QUOTE_TRUNCATED or BAD_QUOTE
     */
    public static long inspectIcmpv6Error(byte[] buf, int ipOff, long walk) {
        if (Ipv6Headers.reason(walk) != OK || Ipv6Headers.protocol(walk) != Ipv6.NEXT_ICMPV6) {
            return Ipv6Headers.withReason(0, NOT_ICMPV6_ERROR);
        }
        int icmp = Ipv6Headers.l4Offset(walk, ipOff);
        if (!Icmpv6.isError(Icmpv6.type(buf, icmp))) return Ipv6Headers.withReason(0, NOT_ICMPV6_ERROR);
        int quote = Icmpv6.quotedOffset(icmp);
        int quoteLength = ipOff + Ipv6.HEADER_LENGTH + Ipv6.payloadLength(buf, ipOff) - quote;
        long inner = Ipv6Headers.walkQuoted(buf, quote, quoteLength);
        int reason = switch (Ipv6Headers.reason(inner)) {
            case OK -> Ipv6Headers.hasUpperLayerHeader(inner) && Ipv6Headers.chainLength(inner) + 8 > quoteLength
                    ? QUOTE_TRUNCATED : OK;
            case TRUNCATED, EXTENSION_TRUNCATED -> QUOTE_TRUNCATED;
            default -> BAD_QUOTE;
        };
        return Ipv6Headers.withReason(inner, reason);
    }

    /** The verdict of {@link #inspectIcmpv6Error}. */
    public static int checkIcmpv6Error(byte[] buf, int ipOff, long walk) {
        return Ipv6Headers.reason(inspectIcmpv6Error(buf, ipOff, walk));
    }
}
