package org.jlvs.packet;

/**
 * IPv4 header at {@code off} (the start of the IP header). Addresses are ints holding the four octets
 * big-endian, as {@code org.jlvs.api.Ip4} uses them. The raw setters leave the header checksum alone; use
 * {@link #updateHeaderChecksum} or the incremental helpers after changing fields.
 */
public final class Ipv4 {
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MAX_HEADER_LENGTH = 60;
    public static final int MAX_TOTAL_LENGTH = 65535;

    public static final int PROTO_ICMP = 1;
    public static final int PROTO_IPIP = 4;
    public static final int PROTO_TCP = 6;
    public static final int PROTO_UDP = 17;

    public static final int TOS_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int ID_OFFSET = 4;
    public static final int FLAGS_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int CHECKSUM_OFFSET = 10;
    public static final int SRC_OFFSET = 12;
    public static final int DST_OFFSET = 16;

    private static final int FLAG_DF = 0x4000;
    private static final int FLAG_MF = 0x2000;
    private static final int FRAGMENT_OFFSET_MASK = 0x1fff;

    private Ipv4() {}

    public static int version(byte[] buf, int off) {
        return (buf[off] & 0xff) >>> 4;
    }

    /** Header length in bytes (IHL * 4). */
    public static int headerLength(byte[] buf, int off) {
        return (buf[off] & 0x0f) << 2;
    }

    public static int tos(byte[] buf, int off) {
        return Bytes.u8(buf, off + TOS_OFFSET);
    }

    public static int totalLength(byte[] buf, int off) {
        return Bytes.u16(buf, off + TOTAL_LENGTH_OFFSET);
    }

    /** Offset of the L4 header (or the inner packet of IPIP). */
    public static int payloadOffset(byte[] buf, int off) {
        return off + headerLength(buf, off);
    }

    /** Total length minus header length. */
    public static int payloadLength(byte[] buf, int off) {
        return totalLength(buf, off) - headerLength(buf, off);
    }

    public static int id(byte[] buf, int off) {
        return Bytes.u16(buf, off + ID_OFFSET);
    }

    public static boolean dontFragment(byte[] buf, int off) {
        return (Bytes.u16(buf, off + FLAGS_OFFSET) & FLAG_DF) != 0;
    }

    public static boolean moreFragments(byte[] buf, int off) {
        return (Bytes.u16(buf, off + FLAGS_OFFSET) & FLAG_MF) != 0;
    }

    /** Fragment offset in bytes (the field counts 8-byte units). */
    public static int fragmentOffset(byte[] buf, int off) {
        return (Bytes.u16(buf, off + FLAGS_OFFSET) & FRAGMENT_OFFSET_MASK) << 3;
    }

    /** A fragment of a larger datagram: MF set or a non-zero fragment offset. */
    public static boolean isFragment(byte[] buf, int off) {
        return (Bytes.u16(buf, off + FLAGS_OFFSET) & (FLAG_MF | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public static int ttl(byte[] buf, int off) {
        return Bytes.u8(buf, off + TTL_OFFSET);
    }

    public static int protocol(byte[] buf, int off) {
        return Bytes.u8(buf, off + PROTOCOL_OFFSET);
    }

    public static int headerChecksum(byte[] buf, int off) {
        return Bytes.u16(buf, off + CHECKSUM_OFFSET);
    }

    public static int src(byte[] buf, int off) {
        return Bytes.i32(buf, off + SRC_OFFSET);
    }

    public static int dst(byte[] buf, int off) {
        return Bytes.i32(buf, off + DST_OFFSET);
    }

    public static void setTos(byte[] buf, int off, int tos) {
        Bytes.put8(buf, off + TOS_OFFSET, tos);
    }

    public static void setTotalLength(byte[] buf, int off, int totalLength) {
        Bytes.put16(buf, off + TOTAL_LENGTH_OFFSET, totalLength);
    }

    public static void setId(byte[] buf, int off, int id) {
        Bytes.put16(buf, off + ID_OFFSET, id);
    }

    /** Sets or clears DF, keeping MF and the fragment offset. */
    public static void setDontFragment(byte[] buf, int off, boolean df) {
        int flags = Bytes.u16(buf, off + FLAGS_OFFSET);
        Bytes.put16(buf, off + FLAGS_OFFSET, df ? flags | FLAG_DF : flags & ~FLAG_DF);
    }

    public static void setTtl(byte[] buf, int off, int ttl) {
        Bytes.put8(buf, off + TTL_OFFSET, ttl);
    }

    public static void setProtocol(byte[] buf, int off, int protocol) {
        Bytes.put8(buf, off + PROTOCOL_OFFSET, protocol);
    }

    public static void setHeaderChecksum(byte[] buf, int off, int checksum) {
        Bytes.put16(buf, off + CHECKSUM_OFFSET, checksum);
    }

    /** Raw: neither the header nor the TCP/UDP checksum is touched (see {@link Nat} for that). */
    public static void setSrc(byte[] buf, int off, int address) {
        Bytes.put32(buf, off + SRC_OFFSET, address);
    }

    /** Raw: neither the header nor the TCP/UDP checksum is touched (see {@link Nat} for that). */
    public static void setDst(byte[] buf, int off, int address) {
        Bytes.put32(buf, off + DST_OFFSET, address);
    }

    /** The correct header checksum for the header at off (whatever its checksum field holds): the value to store. */
    public static int computeHeaderChecksum(byte[] buf, int off) {
        int headerLength = headerLength(buf, off);
        long s = Checksums.sum(buf, off, CHECKSUM_OFFSET, 0);
        s = Checksums.sum(buf, off + CHECKSUM_OFFSET + 2, headerLength - CHECKSUM_OFFSET - 2, s);
        return Checksums.finish(s);
    }

    /** Recomputes and stores the header checksum. */
    public static void updateHeaderChecksum(byte[] buf, int off) {
        setHeaderChecksum(buf, off, computeHeaderChecksum(buf, off));
    }

    /** Whether the header (IHL * 4 bytes, which must be available) sums correctly. */
    public static boolean headerChecksumValid(byte[] buf, int off) {
        return Checksums.fold(Checksums.sum(buf, off, headerLength(buf, off), 0)) == 0xffff;
    }

    /**
     * Decrements the TTL as a router does, updating the header checksum incrementally.
     *
     * @return the new TTL; when the old TTL was 0 or 1 the packet is left unchanged and 0 is returned (the
     *     caller drops it, or answers ICMP time exceeded)
     */
    public static int decrementTtl(byte[] buf, int off) {
        int ttl = ttl(buf, off);
        if (ttl <= 1) return 0;
        // TTL is the high byte of the 16-bit word it shares with the protocol.
        int word = Bytes.u16(buf, off + TTL_OFFSET);
        setTtl(buf, off, ttl - 1);
        setHeaderChecksum(buf, off, Checksums.update16(headerChecksum(buf, off), word, word - 0x100));
        return ttl - 1;
    }

    /**
     * Writes a 20-byte header without options (version 4, fragment offset 0, MF clear) and its checksum.
     *
     * @param totalLength header plus payload
     */
    public static void writeHeader(byte[] buf, int off, int tos, int totalLength, int id, boolean df, int ttl,
            int protocol, int src, int dst) {
        buf[off] = 0x45;
        setTos(buf, off, tos);
        setTotalLength(buf, off, totalLength);
        setId(buf, off, id);
        Bytes.put16(buf, off + FLAGS_OFFSET, df ? FLAG_DF : 0);
        setTtl(buf, off, ttl);
        setProtocol(buf, off, protocol);
        setSrc(buf, off, src);
        setDst(buf, off, dst);
        updateHeaderChecksum(buf, off);
    }
}
