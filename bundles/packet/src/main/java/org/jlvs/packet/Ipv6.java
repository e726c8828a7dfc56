package org.jlvs.packet;

/**
 * The fixed IPv6 header (RFC 8200 §3) at {@code off}, the start of the IPv6 header. There is no header
 * checksum; the extension headers are walked by {@link Ipv6Headers}.
 *
 * <p>An address is two longs, {@code hi} (the first 8 octets: the routing prefix, a /64 on every LAN) and
 * {@code lo} (the last 8: the interface identifier), each big-endian. That is what the data path wants: one
 * 64-bit load each, an equality test of two compares, a hash over two longs, a connection entry holding them in
 * primitive fields, a prefix mask (persistence with an IPv6 prefix length) applied to hi and lo, and no object
 * or 16-byte copy per packet. The {@code *_OFFSET} constants serve those who compare or copy bytes.
 */
public final class Ipv6 {
    public static final int VERSION = 6;
    public static final int HEADER_LENGTH = 40;
    /** The link MTU every IPv6 link supports (RFC 8200 §5); ICMPv6 errors fit in it. */
    public static final int MIN_MTU = 1280;
    public static final int MAX_PAYLOAD_LENGTH = 65535;

    // Next header values (IANA "Assigned Internet Protocol Numbers").
    public static final int NEXT_HOP_BY_HOP = 0;
    public static final int NEXT_IPIP = 4;
    public static final int NEXT_TCP = 6;
    public static final int NEXT_UDP = 17;
    public static final int NEXT_IPV6 = 41;
    public static final int NEXT_ROUTING = 43;
    public static final int NEXT_FRAGMENT = 44;
    public static final int NEXT_ESP = 50;
    public static final int NEXT_AH = 51;
    public static final int NEXT_ICMPV6 = 58;
    public static final int NEXT_NONE = 59;
    public static final int NEXT_DEST_OPTIONS = 60;

    public static final int PAYLOAD_LENGTH_OFFSET = 4;
    public static final int NEXT_HEADER_OFFSET = 6;
    public static final int HOP_LIMIT_OFFSET = 7;
    public static final int SRC_OFFSET = 8;
    public static final int DST_OFFSET = 24;

    /** ff02::1, all nodes on the link: the high half (the low half is 1). */
    public static final long ALL_NODES_HI = 0xff02_0000_0000_0000L;
    public static final long ALL_NODES_LO = 1L;
    /** ff02::2, all routers on the link. */
    public static final long ALL_ROUTERS_HI = 0xff02_0000_0000_0000L;
    public static final long ALL_ROUTERS_LO = 2L;
    /** ff02::1:ff00:0/104, the solicited-node multicast prefix (RFC 4291 §2.7.1): the high half. */
    public static final long SOLICITED_NODE_HI = 0xff02_0000_0000_0000L;
    private static final long SOLICITED_NODE_LO = 0x0000_0001_ff00_0000L;
    private static final long SOLICITED_NODE_LO_MASK = 0xffff_ffff_ff00_0000L;

    private Ipv6() {}

    public static int version(byte[] buf, int off) {
        return (buf[off] & 0xff) >>> 4;
    }

    /** The 8-bit traffic class (DSCP and ECN). */
    public static int trafficClass(byte[] buf, int off) {
        return (Bytes.u16(buf, off) >>> 4) & 0xff;
    }

    /** The 20-bit flow label. */
    public static int flowLabel(byte[] buf, int off) {
        return Bytes.i32(buf, off) & 0xfffff;
    }

    /** Bytes after the fixed header: extension headers and upper-layer packet. */
    public static int payloadLength(byte[] buf, int off) {
        return Bytes.u16(buf, off + PAYLOAD_LENGTH_OFFSET);
    }

    /** The fixed header's Next Header: the first extension header or the upper-layer protocol. */
    public static int nextHeader(byte[] buf, int off) {
        return Bytes.u8(buf, off + NEXT_HEADER_OFFSET);
    }

    public static int hopLimit(byte[] buf, int off) {
        return Bytes.u8(buf, off + HOP_LIMIT_OFFSET);
    }

    public static long srcHi(byte[] buf, int off) {
        return Bytes.i64(buf, off + SRC_OFFSET);
    }

    public static long srcLo(byte[] buf, int off) {
        return Bytes.i64(buf, off + SRC_OFFSET + 8);
    }

    public static long dstHi(byte[] buf, int off) {
        return Bytes.i64(buf, off + DST_OFFSET);
    }

    public static long dstLo(byte[] buf, int off) {
        return Bytes.i64(buf, off + DST_OFFSET + 8);
    }

    /** Whether the 16 bytes at {@code addressOff} (any offset in buf) are the address hi/lo. */
    public static boolean addressEquals(byte[] buf, int addressOff, long hi, long lo) {
        return Bytes.i64(buf, addressOff) == hi && Bytes.i64(buf, addressOff + 8) == lo;
    }

    /** Writes an address at any offset (the 16 bytes at addressOff). */
    public static void putAddress(byte[] buf, int addressOff, long hi, long lo) {
        Bytes.put64(buf, addressOff, hi);
        Bytes.put64(buf, addressOff + 8, lo);
    }

    public static void setTrafficClass(byte[] buf, int off, int trafficClass) {
        int word = Bytes.u16(buf, off);
        Bytes.put16(buf, off, (word & 0xf00f) | ((trafficClass & 0xff) << 4));
    }

    public static void setFlowLabel(byte[] buf, int off, int flowLabel) {
        Bytes.put32(buf, off, (Bytes.i32(buf, off) & 0xfff0_0000) | (flowLabel & 0xfffff));
    }

    public static void setPayloadLength(byte[] buf, int off, int length) {
        Bytes.put16(buf, off + PAYLOAD_LENGTH_OFFSET, length);
    }

    public static void setNextHeader(byte[] buf, int off, int nextHeader) {
        Bytes.put8(buf, off + NEXT_HEADER_OFFSET, nextHeader);
    }

    public static void setHopLimit(byte[] buf, int off, int hopLimit) {
        Bytes.put8(buf, off + HOP_LIMIT_OFFSET, hopLimit);
    }

    /** Raw: the TCP/UDP/ICMPv6 checksum, whose pseudo-header holds the address, is not touched. */
    public static void setSrc(byte[] buf, int off, long hi, long lo) {
        putAddress(buf, off + SRC_OFFSET, hi, lo);
    }

    /** Raw: the TCP/UDP/ICMPv6 checksum, whose pseudo-header holds the address, is not touched. */
    public static void setDst(byte[] buf, int off, long hi, long lo) {
        putAddress(buf, off + DST_OFFSET, hi, lo);
    }

    /**
     * Decrements the hop limit as a router does (there is no header checksum to update).
     *
     * @return the new hop limit; 0 when it was 0 or 1, the packet left unchanged (the caller drops it or
     *     answers Time Exceeded)
     */
    public static int decrementHopLimit(byte[] buf, int off) {
        int hopLimit = hopLimit(buf, off);
        if (hopLimit <= 1) return 0;
        setHopLimit(buf, off, hopLimit - 1);
        return hopLimit - 1;
    }

    /** Writes the 40-byte fixed header, version 6. */
    public static void writeHeader(byte[] buf, int off, int trafficClass, int flowLabel, int payloadLength,
            int nextHeader, int hopLimit, long srcHi, long srcLo, long dstHi, long dstLo) {
        Bytes.put32(buf, off, (VERSION << 28) | ((trafficClass & 0xff) << 20) | (flowLabel & 0xfffff));
        setPayloadLength(buf, off, payloadLength);
        setNextHeader(buf, off, nextHeader);
        setHopLimit(buf, off, hopLimit);
        setSrc(buf, off, srcHi, srcLo);
        setDst(buf, off, dstHi, dstLo);
    }

    /** ff00::/8. */
    public static boolean isMulticast(long hi) {
        return (hi >>> 56) == 0xff;
    }

    /** ::, the source of a node that has no address yet (duplicate address detection). */
    public static boolean isUnspecified(long hi, long lo) {
        return hi == 0 && lo == 0;
    }

    /** ::1. */
    public static boolean isLoopback(long hi, long lo) {
        return hi == 0 && lo == 1;
    }

    /** fe80::/10, link-local unicast. */
    public static boolean isLinkLocal(long hi) {
        return (hi >>> 54) == (0xfe80L >>> 6);
    }

    /** The low half of the solicited-node multicast address of an address (the high half is SOLICITED_NODE_HI). */
    public static long solicitedNodeLo(long lo) {
        return SOLICITED_NODE_LO | (lo & 0xff_ffffL);
    }

    /** ff02::1:ffXX:XXXX. */
    public static boolean isSolicitedNode(long hi, long lo) {
        return hi == SOLICITED_NODE_HI && (lo & SOLICITED_NODE_LO_MASK) == SOLICITED_NODE_LO;
    }

    /** The Ethernet address of a multicast group, 33:33 and the group's last 32 bits (RFC 2464 §7). */
    public static long multicastMac(long lo) {
        return 0x3333_0000_0000L | (lo & 0xffff_ffffL);
    }
}
