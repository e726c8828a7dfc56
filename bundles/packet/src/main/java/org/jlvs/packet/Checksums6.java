package org.jlvs.packet;

/**
 * TCP, UDP and ICMPv6 checksums over IPv6 (RFC 8200 §8.1): the pseudo-header of source address, destination
 * address, upper-layer length (32 bits) and Next Header; ICMPv6 has it too (RFC 4443 §2.3), unlike ICMP.
 * A UDP checksum of 0 is invalid over IPv6. The sums and the RFC 1624 helpers are those of {@link Checksums}
 * (same vocabulary: a sum is unfolded, {@code finish} complements).
 *
 * <p>The methods taking a packet need the offset and protocol of the upper-layer header that the walk
 * ({@link FrameCheck6#inspectIpv6}) found; the upper-layer length runs from there to the end of the payload.
 * The destination in the pseudo-header is the packet's: a packet with a Routing header still in transit would
 * need the final one, which the data path does not handle.
 */
public final class Checksums6 {
    private Checksums6() {}

    /** Sum of the pseudo-header of the addresses hi/lo, the upper-layer protocol and length. */
    public static long pseudoHeaderSum(long srcHi, long srcLo, long dstHi, long dstLo, int protocol, int length) {
        return halves(srcHi) + halves(srcLo) + halves(dstHi) + halves(dstLo) + (length & 0xffff_ffffL) + protocol;
    }

    /** Sum of the pseudo-header of the packet at ipOff (its two addresses), for protocol and length. */
    public static long pseudoHeaderSum(byte[] buf, int ipOff, int protocol, int length) {
        return Checksums.sum(buf, ipOff + Ipv6.SRC_OFFSET, 32, 0) + (length & 0xffff_ffffL) + protocol;
    }

    // The two 32-bit halves: they fold to the same value as the four 16-bit words (2^16 = 1 mod 0xffff).
    private static long halves(long v) {
        return (v >>> 32) + (v & 0xffff_ffffL);
    }

    /** Offset of the checksum field in a TCP (16), UDP (6) or ICMPv6 (2) header; -1 for other protocols. */
    public static int l4ChecksumOffset(int protocol) {
        return switch (protocol) {
            case Ipv6.NEXT_TCP -> Tcp.CHECKSUM_OFFSET;
            case Ipv6.NEXT_UDP -> Udp.CHECKSUM_OFFSET;
            case Ipv6.NEXT_ICMPV6 -> Icmpv6.CHECKSUM_OFFSET;
            default -> -1;
        };
    }

    /** The upper-layer length: from l4Off to the end of the payload. */
    public static int l4Length(byte[] buf, int ipOff, int l4Off) {
        return ipOff + Ipv6.HEADER_LENGTH + Ipv6.payloadLength(buf, ipOff) - l4Off;
    }

    /**
     * The correct checksum of the TCP, UDP or ICMPv6 message at l4Off, whatever its checksum field holds; a UDP
     * checksum that computes to 0 is returned as 0xffff. -1 for other protocols. The packet must have passed
     * {@link FrameCheck6#inspectIpv6} (OK: a fragment's checksum covers bytes it does not hold).
     */
    public static int l4Checksum(byte[] buf, int ipOff, int l4Off, int protocol) {
        int field = l4ChecksumOffset(protocol);
        if (field < 0) return -1;
        int len = l4Length(buf, ipOff, l4Off);
        long s = pseudoHeaderSum(buf, ipOff, protocol, len);
        s = Checksums.sum(buf, l4Off, field, s);
        s = Checksums.sum(buf, l4Off + field + 2, len - field - 2, s);
        int checksum = Checksums.finish(s);
        return protocol == Ipv6.NEXT_UDP && checksum == 0 ? 0xffff : checksum;
    }

    /**
     * Whether the TCP, UDP or ICMPv6 checksum verifies. A UDP checksum of 0 does not (RFC 8200 §8.1). False for
     * other protocols and for a partial checksum.
     */
    public static boolean l4ChecksumValid(byte[] buf, int ipOff, int l4Off, int protocol) {
        int field = l4ChecksumOffset(protocol);
        if (field < 0) return false;
        if (protocol == Ipv6.NEXT_UDP && Bytes.u16(buf, l4Off + field) == 0) return false;
        int len = l4Length(buf, ipOff, l4Off);
        return Checksums.fold(Checksums.sum(buf, l4Off, len, pseudoHeaderSum(buf, ipOff, protocol, len))) == 0xffff;
    }

    /**
     * Whether a TCP or UDP checksum holds Linux's CHECKSUM_PARTIAL value, the folded pseudo-header sum, as in
     * frames from a veth whose sender has TX checksum offload on (see {@link Checksums#l4ChecksumPartial}).
     */
    public static boolean l4ChecksumPartial(byte[] buf, int ipOff, int l4Off, int protocol) {
        if (protocol != Ipv6.NEXT_TCP && protocol != Ipv6.NEXT_UDP) return false;
        int field = Bytes.u16(buf, l4Off + l4ChecksumOffset(protocol));
        return field == Checksums.fold(pseudoHeaderSum(buf, ipOff, protocol, l4Length(buf, ipOff, l4Off)));
    }

    /** Writes the correct TCP, UDP or ICMPv6 checksum; does nothing for other protocols. */
    public static void completeL4Checksum(byte[] buf, int ipOff, int l4Off, int protocol) {
        int checksum = l4Checksum(buf, ipOff, l4Off, protocol);
        if (checksum >= 0) Bytes.put16(buf, l4Off + l4ChecksumOffset(protocol), checksum);
    }

    /** The part of an incremental update (RFC 1624) for a 64-bit field changing from oldValue to newValue. */
    public static long delta64(long oldValue, long newValue) {
        return halves(~oldValue) + halves(newValue);
    }

    /** The part of an incremental update for an address changing from oldHi/oldLo to newHi/newLo. */
    public static long addressDelta(long oldHi, long oldLo, long newHi, long newLo) {
        return delta64(oldHi, newHi) + delta64(oldLo, newLo);
    }

    /**
     * Rewrites the source ({@link Ipv6#SRC_OFFSET}) or destination ({@link Ipv6#DST_OFFSET}) address of the packet
     * that {@link FrameCheck6#inspectIpv6} passed with {@code walk} (OK or FRAGMENT), updating the TCP, UDP or
     * ICMPv6 checksum incrementally when the packet holds it (a later fragment holds none; a first fragment's
     * covers the whole datagram, and the update keeps it right). A UDP checksum of 0 stays 0 (it was invalid
     * and stays so); an updated one that comes out 0 is stored as 0xffff. The checksum must be complete.
     */
    public static void rewriteAddress(byte[] buf, int ipOff, long walk, int addressField, long hi, long lo) {
        int at = ipOff + addressField;
        long delta = addressDelta(Bytes.i64(buf, at), Bytes.i64(buf, at + 8), hi, lo);
        Ipv6.putAddress(buf, at, hi, lo);
        if (!Ipv6Headers.hasUpperLayerHeader(walk)) return;
        int protocol = Ipv6Headers.protocol(walk);
        int field = l4ChecksumOffset(protocol);
        if (field < 0) return;
        int checksumAt = Ipv6Headers.l4Offset(walk, ipOff) + field;
        int old = Bytes.u16(buf, checksumAt);
        if (protocol == Ipv6.NEXT_UDP && old == 0) return;
        int checksum = Checksums.apply(old, delta);
        Bytes.put16(buf, checksumAt, protocol == Ipv6.NEXT_UDP && checksum == 0 ? 0xffff : checksum);
    }
}
