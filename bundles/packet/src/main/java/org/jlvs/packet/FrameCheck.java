package org.jlvs.packet;

/**
 * Validation of untrusted bytes before the accessors read them. The checks never throw, whatever the array,
 * offset and length; when one returns {@link #OK}, every accessor of this package that applies to the packet
 * (IPv4 header; TCP, UDP or ICMP header of its protocol; ARP fields) stays within the packet's bytes.
 */
public final class FrameCheck {
    public static final int OK = 0;
    /** Fewer bytes than the headers or the IP total length need. */
    public static final int TRUNCATED = 1;
    public static final int BAD_VERSION = 2;
    /** IHL below 5. */
    public static final int BAD_HEADER_LENGTH = 3;
    /** Total length smaller than the header. */
    public static final int BAD_TOTAL_LENGTH = 4;
    public static final int BAD_HEADER_CHECKSUM = 5;
    /** MF set or a non-zero fragment offset: the director does not reassemble. */
    public static final int FRAGMENT = 6;
    /**
     * TCP shorter than 20 bytes or data offset below 5 or beyond the packet; UDP length not equal to the IP
     * payload length; ICMP shorter than 8 bytes; an ICMP error whose quote is too short.
     */
    public static final int BAD_L4_HEADER = 7;
    /** Not an Ethernet/IPv4 ARP request or reply. */
    public static final int BAD_ARP = 8;
    /** An Ethernet frame whose EtherType is not IPv4. */
    public static final int NOT_IPV4 = 9;

    private static final String[] REASONS = {
        "ok", "truncated", "bad IP version", "bad IP header length", "bad IP total length",
        "bad IP header checksum", "fragment", "bad transport header", "bad ARP", "not IPv4",
    };

    private FrameCheck() {}

    /** A short text for a reason code, for counters and logs. */
    public static String reason(int code) {
        return code >= 0 && code < REASONS.length ? REASONS[code] : "unknown (" + code + ")";
    }

    /**
     * Checks the IPv4 packet at ipOff, of which {@code available} bytes were received (Ethernet padding after
     * the total length is allowed). On OK: version 4, IHL >= 5, header and total length within the bytes,
     * header checksum valid, not a fragment, and a TCP (data offset 5..n within the packet), UDP (length equal
     * to the IP payload) or ICMP (8 bytes or more) header present for those protocols. Other protocols (IPIP
     * among them) pass with their payload unchecked. Transport checksums are not checked here.
     */
    public static int checkIpv4(byte[] buf, int ipOff, int available) {
        if (buf == null || ipOff < 0 || ipOff > buf.length) return TRUNCATED;
        int bytes = Math.min(available, buf.length - ipOff);
        if (bytes < Ipv4.MIN_HEADER_LENGTH) return TRUNCATED;
        if (Ipv4.version(buf, ipOff) != 4) return BAD_VERSION;
        int headerLength = Ipv4.headerLength(buf, ipOff);
        if (headerLength < Ipv4.MIN_HEADER_LENGTH) return BAD_HEADER_LENGTH;
        if (headerLength > bytes) return TRUNCATED;
        int totalLength = Ipv4.totalLength(buf, ipOff);
        if (totalLength < headerLength) return BAD_TOTAL_LENGTH;
        if (totalLength > bytes) return TRUNCATED;
        if (!Ipv4.headerChecksumValid(buf, ipOff)) return BAD_HEADER_CHECKSUM;
        if (Ipv4.isFragment(buf, ipOff)) return FRAGMENT;
        int l4 = ipOff + headerLength;
        int l4Length = totalLength - headerLength;
        return switch (Ipv4.protocol(buf, ipOff)) {
            case Ipv4.PROTO_TCP -> l4Length >= Tcp.MIN_HEADER_LENGTH && Tcp.dataOffset(buf, l4) >= 5
                    && Tcp.headerLength(buf, l4) <= l4Length ? OK : BAD_L4_HEADER;
            case Ipv4.PROTO_UDP -> l4Length >= Udp.HEADER_LENGTH && Udp.length(buf, l4) == l4Length
                    ? OK : BAD_L4_HEADER;
            case Ipv4.PROTO_ICMP -> l4Length >= Icmp.HEADER_LENGTH ? OK : BAD_L4_HEADER;
            default -> OK;
        };
    }

    /**
     * Checks an Ethernet frame at ethOff carrying IPv4 directly (no VLAN tag), then its packet as
     * {@link #checkIpv4} does; the IP header is at {@code ethOff + 14}.
     */
    public static int checkEthernetIpv4(byte[] buf, int ethOff, int available) {
        if (buf == null || ethOff < 0 || ethOff > buf.length) return TRUNCATED;
        int bytes = Math.min(available, buf.length - ethOff);
        if (bytes < Ethernet.HEADER_LENGTH) return TRUNCATED;
        if (Ethernet.type(buf, ethOff) != Ethernet.TYPE_IPV4) return NOT_IPV4;
        return checkIpv4(buf, ethOff + Ethernet.HEADER_LENGTH, bytes - Ethernet.HEADER_LENGTH);
    }

    /**
     * For an ICMP error message (dest unreachable, source quench, redirect, time exceeded, parameter problem)
     * in a packet that passed {@link #checkIpv4}: OK when the quoted packet has version 4, IHL >= 5 and its
     * header plus 8 bytes (the ports) lie within the ICMP message, so that Ipv4 accessors on the quote and the
     * port accessors at its payload offset stay in bounds. BAD_L4_HEADER for other ICMP messages and bad quotes.
     * The quote's checksums are not checked (routers quote what they received).
     */
    public static int checkIcmpError(byte[] buf, int ipOff) {
        if (Ipv4.protocol(buf, ipOff) != Ipv4.PROTO_ICMP) return BAD_L4_HEADER;
        int icmp = Ipv4.payloadOffset(buf, ipOff);
        if (!Icmp.isError(Icmp.type(buf, icmp))) return BAD_L4_HEADER;
        int quoteLength = Ipv4.payloadLength(buf, ipOff) - Icmp.HEADER_LENGTH;
        if (quoteLength < Ipv4.MIN_HEADER_LENGTH + 8) return TRUNCATED;
        int quote = Icmp.quotedOffset(icmp);
        if (Ipv4.version(buf, quote) != 4) return BAD_VERSION;
        int headerLength = Ipv4.headerLength(buf, quote);
        if (headerLength < Ipv4.MIN_HEADER_LENGTH) return BAD_HEADER_LENGTH;
        return headerLength + 8 <= quoteLength ? OK : TRUNCATED;
    }

    /**
     * Checks the ARP message at arpOff (after the Ethernet header) of which {@code available} bytes were received:
     * at least 28 bytes, Ethernet/IPv4 address types and sizes, op REQUEST or REPLY.
     */
    public static int checkArp(byte[] buf, int arpOff, int available) {
        if (buf == null || arpOff < 0 || arpOff > buf.length) return TRUNCATED;
        if (Math.min(available, buf.length - arpOff) < Arp.LENGTH) return TRUNCATED;
        if (!Arp.isEthernetIpv4(buf, arpOff)) return BAD_ARP;
        int op = Arp.op(buf, arpOff);
        return op == Arp.REQUEST || op == Arp.REPLY ? OK : BAD_ARP;
    }
}
