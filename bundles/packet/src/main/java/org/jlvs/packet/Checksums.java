package org.jlvs.packet;

/**
 * The Internet checksum (RFC 1071): full computation, the TCP/UDP pseudo header, incremental updates
 * (RFC 1624) and completion of the partial checksums that Linux leaves in frames captured on a veth with
 * TX checksum offload.
 *
 * <p>Vocabulary: a <em>sum</em> is an unfolded one's-complement accumulator (a long); {@link #fold} reduces it
 * to 16 bits <em>without</em> complementing; {@link #finish} folds and complements, giving the value stored in
 * a checksum field.
 */
public final class Checksums {
    private Checksums() {}

    /**
     * Adds {@code len} bytes at {@code off}, read as big-endian 16-bit words (an odd trailing byte is padded
     * with a zero byte), to {@code initial} (zero or an earlier sum). The result is unfolded.
     */
    public static long sum(byte[] buf, int off, int len, long initial) {
        long s = initial;
        int i = off;
        int end = off + len;
        // 8 bytes per step; the two 32-bit halves are added apart so the long cannot overflow (2^16 = 1 mod 0xffff,
        // so 32-bit words sum to the same folded value as their 16-bit halves).
        while (end - i >= 8) {
            long v = Bytes.i64(buf, i);
            s += (v >>> 32) + (v & 0xffff_ffffL);
            i += 8;
        }
        if (end - i >= 4) {
            s += Bytes.u32(buf, i);
            i += 4;
        }
        if (end - i >= 2) {
            s += Bytes.u16(buf, i);
            i += 2;
        }
        if (end - i == 1) {
            s += (buf[i] & 0xff) << 8;
        }
        return s;
    }

    /** Folds a sum to 16 bits with end-around carries, NOT complemented (0 only for a zero sum). */
    public static int fold(long sum) {
        long s = (sum & 0xffff_ffffL) + (sum >>> 32);
        s = (s & 0xffff) + (s >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        s = (s & 0xffff) + (s >>> 16);
        return (int) s;
    }

    /** Folds and complements: the value to store in a checksum field. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xffff;
    }

    /** Sum of the IPv4 pseudo header used by TCP and UDP (addresses, protocol, L4 length). */
    public static long pseudoHeaderSum(int src, int dst, int protocol, int l4Length) {
        return (src >>> 16) + (src & 0xffff) + (dst >>> 16) + (dst & 0xffff) + (long) protocol + l4Length;
    }

    /**
     * Offset of the checksum field in the L4 header of an IPv4 protocol: 16 for TCP, 6 for UDP, 2 for ICMP,
     * -1 for any other protocol.
     */
    public static int l4ChecksumOffset(int protocol) {
        return switch (protocol) {
            case Ipv4.PROTO_TCP -> Tcp.CHECKSUM_OFFSET;
            case Ipv4.PROTO_UDP -> Udp.CHECKSUM_OFFSET;
            case Ipv4.PROTO_ICMP -> Icmp.CHECKSUM_OFFSET;
            default -> -1;
        };
    }

    /**
     * The correct checksum of the TCP, UDP or ICMP message of the IPv4 packet at {@code ipOff} (its length from
     * the IP total length; TCP and UDP include the pseudo header), ignoring what the checksum field holds. A UDP
     * checksum that computes to 0 is returned as 0xffff (0 means "no checksum" in UDP). Returns -1 for other
     * protocols. The packet must have passed {@link FrameCheck#checkIpv4}.
     */
    public static int l4Checksum(byte[] buf, int ipOff) {
        int protocol = Ipv4.protocol(buf, ipOff);
        int field = l4ChecksumOffset(protocol);
        if (field < 0) return -1;
        int headerLength = Ipv4.headerLength(buf, ipOff);
        int l4 = ipOff + headerLength;
        int len = Ipv4.totalLength(buf, ipOff) - headerLength;
        long s = protocol == Ipv4.PROTO_ICMP ? 0
                : pseudoHeaderSum(Ipv4.src(buf, ipOff), Ipv4.dst(buf, ipOff), protocol, len);
        // Sum around the checksum field (it sits at an even offset, so the word alignment is kept).
        s = sum(buf, l4, field, s);
        s = sum(buf, l4 + field + 2, len - field - 2, s);
        int checksum = finish(s);
        return protocol == Ipv4.PROTO_UDP && checksum == 0 ? 0xffff : checksum;
    }

    /**
     * Whether the TCP, UDP or ICMP checksum of the packet at {@code ipOff} verifies (the sum over everything
     * folds to 0xffff). A UDP checksum of 0 ("none") counts as valid. False for other protocols, which have no
     * checksum this class knows. A partial checksum is not valid. The packet must have passed FrameCheck.
     */
    public static boolean l4ChecksumValid(byte[] buf, int ipOff) {
        int protocol = Ipv4.protocol(buf, ipOff);
        int field = l4ChecksumOffset(protocol);
        if (field < 0) return false;
        int headerLength = Ipv4.headerLength(buf, ipOff);
        int l4 = ipOff + headerLength;
        int len = Ipv4.totalLength(buf, ipOff) - headerLength;
        if (protocol == Ipv4.PROTO_UDP && Bytes.u16(buf, l4 + field) == 0) return true;
        long s = protocol == Ipv4.PROTO_ICMP ? 0
                : pseudoHeaderSum(Ipv4.src(buf, ipOff), Ipv4.dst(buf, ipOff), protocol, len);
        return fold(sum(buf, l4, len, s)) == 0xffff;
    }

    /**
     * Whether the TCP or UDP checksum field holds a Linux CHECKSUM_PARTIAL value: the folded, not complemented,
     * pseudo-header sum ({@code ~csum_tcpudp_magic(saddr, daddr, len, proto, 0)}) that the sending NIC was
     * meant to complete. Frames captured on a veth whose peer has TX checksum offload on carry these. Cheap (no
     * pass over the payload). About one complete checksum in 65536 looks partial by chance; completing it again
     * is harmless, as {@link #completeL4Checksum} computes the correct value either way. False for other
     * protocols and for UDP without checksum.
     */
    public static boolean l4ChecksumPartial(byte[] buf, int ipOff) {
        int protocol = Ipv4.protocol(buf, ipOff);
        if (protocol != Ipv4.PROTO_TCP && protocol != Ipv4.PROTO_UDP) return false;
        int headerLength = Ipv4.headerLength(buf, ipOff);
        int len = Ipv4.totalLength(buf, ipOff) - headerLength;
        int field = Bytes.u16(buf, ipOff + headerLength + l4ChecksumOffset(protocol));
        return field == fold(pseudoHeaderSum(Ipv4.src(buf, ipOff), Ipv4.dst(buf, ipOff), protocol, len));
    }

    /**
     * Writes the correct TCP, UDP or ICMP checksum into the packet at {@code ipOff} (what the NIC would have done
     * for a partial checksum). Does nothing for other protocols. The packet must have passed FrameCheck.
     */
    public static void completeL4Checksum(byte[] buf, int ipOff) {
        int checksum = l4Checksum(buf, ipOff);
        if (checksum < 0) return;
        int field = ipOff + Ipv4.headerLength(buf, ipOff) + l4ChecksumOffset(Ipv4.protocol(buf, ipOff));
        Bytes.put16(buf, field, checksum);
    }

    /** The part of an incremental update for a 16-bit field that changes from oldValue to newValue. */
    public static long delta16(int oldValue, int newValue) {
        return (~oldValue & 0xffff) + (newValue & 0xffff);
    }

    /** The part of an incremental update for a 32-bit field (e.g. an address) that changes. */
    public static long delta32(int oldValue, int newValue) {
        return (~oldValue >>> 16) + (~oldValue & 0xffff) + (newValue >>> 16) + (newValue & 0xffff);
    }

    /**
     * Applies the summed deltas of changed fields to a stored checksum, RFC 1624 eqn. 3:
     * {@code HC' = ~(~HC + ~m + m')}. Gives the same value as a full recomputation.
     */
    public static int apply(int oldChecksum, long delta) {
        return finish((~oldChecksum & 0xffff) + delta);
    }

    /** New checksum after a 16-bit field changed from oldValue to newValue (RFC 1624 eqn. 3). */
    public static int update16(int oldChecksum, int oldValue, int newValue) {
        return apply(oldChecksum, delta16(oldValue, newValue));
    }

    /** New checksum after a 32-bit field changed from oldValue to newValue (RFC 1624 eqn. 3). */
    public static int update32(int oldChecksum, int oldValue, int newValue) {
        return apply(oldChecksum, delta32(oldValue, newValue));
    }
}
