package org.jlvs.packet;

/**
 * VRRP version 3 for IPv6 (RFC 5798 §5.1.2): the header is {@link Vrrp}'s (same accessors), the addresses are
 * 16 bytes each, and the message travels in an IPv6 packet from the interface's link-local address to ff02::12
 * with hop limit 255 and next header 112. The checksum always covers the IPv6 pseudo-header (RFC 5798 §5.2.8,
 * RFC 8200 §8.1: addresses, 32-bit upper-layer length, next header); there is no message-only form for IPv6.
 */
public final class Vrrp6 {
    /** The IPv6 multicast group of VRRP, ff02::12 (high and low halves). */
    public static final long GROUP_HI = 0xff02_0000_0000_0000L;
    public static final long GROUP_LO = 0x12L;
    /** The Ethernet address of that group, 33:33:00:00:00:12. */
    public static final long GROUP_MAC = 0x3333_0000_0012L;
    /** A VRRP packet is only accepted with this hop limit (it was not routed). */
    public static final int HOP_LIMIT = 255;
    /** The virtual router MAC of a VRID for IPv6: 00:00:5e:00:02:VRID (RFC 5798 §7.3). */
    public static final long VIRTUAL_MAC_BASE = 0x0000_5e00_0200L;
    public static final int ADDRESS_LENGTH = 16;

    private static final int CHECKSUM = 6;
    private static final int ADDRESSES = 8;

    private Vrrp6() {}

    /** The high half of the i-th advertised address. */
    public static long addressHi(byte[] buf, int off, int i) {
        return Bytes.i64(buf, off + ADDRESSES + ADDRESS_LENGTH * i);
    }

    /** The low half of the i-th advertised address. */
    public static long addressLo(byte[] buf, int off, int i) {
        return Bytes.i64(buf, off + ADDRESSES + ADDRESS_LENGTH * i + 8);
    }

    /** The length of a message with n addresses. */
    public static int length(int addressCount) {
        return Vrrp.HEADER_LENGTH + ADDRESS_LENGTH * addressCount;
    }

    public static long virtualMac(int vrid) {
        return VIRTUAL_MAC_BASE | (vrid & 0xff);
    }

    /** The checksum of the {@code length}-byte message at off over the pseudo-header of src/dst, the field read as zero. */
    public static int computeChecksum(byte[] buf, int off, int length, long srcHi, long srcLo, long dstHi, long dstLo) {
        long s = Checksums6.pseudoHeaderSum(srcHi, srcLo, dstHi, dstLo, Vrrp.PROTO_VRRP, length);
        s = Checksums.sum(buf, off, CHECKSUM, s);
        s = Checksums.sum(buf, off + CHECKSUM + 2, length - CHECKSUM - 2, s);
        return Checksums.finish(s);
    }

    /** Whether the checksum of the message at off verifies over the pseudo-header of the IPv6 packet at ipOff. */
    public static boolean checksumValid(byte[] buf, int ipOff, int off, int length) {
        long s = Checksums6.pseudoHeaderSum(buf, ipOff, Vrrp.PROTO_VRRP, length);
        return Checksums.fold(Checksums.sum(buf, off, length, s)) == 0xffff;
    }

    /**
     * Writes an advertisement with the addresses {@code hi[i], lo[i]} for i in [0, count) and its checksum.
     *
     * @return its length, {@code 8 + 16 * count}
     */
    public static int writeAdvertisement(byte[] buf, int off, int vrid, int priority, int maxAdverInt, long[] hi,
            long[] lo, int count, long srcHi, long srcLo, long dstHi, long dstLo) {
        buf[off] = (byte) (Vrrp.VERSION << 4 | Vrrp.TYPE_ADVERTISEMENT);
        buf[off + 1] = (byte) vrid;
        buf[off + 2] = (byte) priority;
        buf[off + 3] = (byte) count;
        Bytes.put16(buf, off + 4, maxAdverInt & Vrrp.MAX_ADVER_INT_MASK);
        Bytes.put16(buf, off + CHECKSUM, 0);
        for (int i = 0; i < count; i++) {
            Bytes.put64(buf, off + ADDRESSES + ADDRESS_LENGTH * i, hi[i]);
            Bytes.put64(buf, off + ADDRESSES + ADDRESS_LENGTH * i + 8, lo[i]);
        }
        int length = length(count);
        Bytes.put16(buf, off + CHECKSUM, computeChecksum(buf, off, length, srcHi, srcLo, dstHi, dstLo));
        return length;
    }

    /** Sets the priority and the checksum anew (in place, for the next advert of a prepared frame). */
    public static void setPriority(byte[] buf, int off, int priority, long srcHi, long srcLo, long dstHi, long dstLo) {
        buf[off + 2] = (byte) priority;
        int length = length(Vrrp.addressCount(buf, off));
        Bytes.put16(buf, off + CHECKSUM, computeChecksum(buf, off, length, srcHi, srcLo, dstHi, dstLo));
    }
}
