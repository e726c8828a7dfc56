package org.jlvs.packet;

/**
 * VRRP version 3 for IPv4 (RFC 5798 §5.1), accessors at the offset of the VRRP header (IP protocol 112):
 *
 * <pre>
 *  0: version (4 bits, 3) | type (4 bits, 1 = ADVERTISEMENT)    1: VRID    2: priority    3: address count n
 *  4: reserved (4 bits) | Max Adver Int (12 bits, centiseconds)  6: checksum                8: n IPv4 addresses
 * </pre>
 *
 * There is no authentication data in version 3: the message is {@code 8 + 4n} bytes. The checksum exists in
 * two forms that do not interoperate: RFC 5798 §5.2.8 includes an IPv4 pseudo-header (source, destination,
 * zero, protocol 112, VRRP length), which keepalived, and Wireshark by default, use; RFC 9568 (§5.2.8) covers
 * the VRRP message alone, as VRRPv2 did.
 */
public final class Vrrp {
    public static final int PROTO_VRRP = 112;
    public static final int HEADER_LENGTH = 8;
    public static final int VERSION = 3;
    public static final int TYPE_ADVERTISEMENT = 1;
    /** The IPv4 multicast group of VRRP, 224.0.0.18. */
    public static final int GROUP = 0xe0000012;
    /** The Ethernet address of that group, 01:00:5e:00:00:12. */
    public static final long GROUP_MAC = 0x01005e000012L;
    /** A VRRP packet is only accepted with this TTL (it was not routed). */
    public static final int TTL = 255;
    public static final int PRIORITY_OWNER = 255;
    /** The master is stopping: a backup takes over after its skew time. */
    public static final int PRIORITY_STOP = 0;
    public static final int MAX_ADVER_INT_MASK = 0x0fff;
    /** The virtual router MAC of a VRID: 00:00:5e:00:01:VRID. */
    public static final long VIRTUAL_MAC_BASE = 0x00005e000100L;

    private static final int CHECKSUM = 6;
    private static final int ADDRESSES = 8;

    private Vrrp() {}

    public static int version(byte[] buf, int off) {
        return (buf[off] & 0xff) >>> 4;
    }

    public static int type(byte[] buf, int off) {
        return buf[off] & 0x0f;
    }

    public static int vrid(byte[] buf, int off) {
        return buf[off + 1] & 0xff;
    }

    public static int priority(byte[] buf, int off) {
        return buf[off + 2] & 0xff;
    }

    public static int addressCount(byte[] buf, int off) {
        return buf[off + 3] & 0xff;
    }

    /** Max Adver Int in centiseconds (the reserved high 4 bits masked off). */
    public static int maxAdverInt(byte[] buf, int off) {
        return Bytes.u16(buf, off + 4) & MAX_ADVER_INT_MASK;
    }

    public static int checksum(byte[] buf, int off) {
        return Bytes.u16(buf, off + CHECKSUM);
    }

    /** The i-th advertised address. */
    public static int address(byte[] buf, int off, int i) {
        return Bytes.i32(buf, off + ADDRESSES + 4 * i);
    }

    /** The length of a message with n addresses. */
    public static int length(int addressCount) {
        return HEADER_LENGTH + 4 * addressCount;
    }

    public static long virtualMac(int vrid) {
        return VIRTUAL_MAC_BASE | (vrid & 0xff);
    }

    /**
     * The checksum of the {@code length}-byte message at off, the checksum field read as zero: over the IPv4
     * pseudo-header of {@code src}/{@code dst} when {@code pseudoHeader}, else over the message alone.
     */
    public static int computeChecksum(byte[] buf, int off, int length, boolean pseudoHeader, int src, int dst) {
        long s = pseudoHeader ? Checksums.pseudoHeaderSum(src, dst, PROTO_VRRP, length) : 0;
        s = Checksums.sum(buf, off, CHECKSUM, s);
        s = Checksums.sum(buf, off + CHECKSUM + 2, length - CHECKSUM - 2, s);
        return Checksums.finish(s);
    }

    /** Whether the message's checksum verifies in the given form. */
    public static boolean checksumValid(byte[] buf, int off, int length, boolean pseudoHeader, int src, int dst) {
        long s = pseudoHeader ? Checksums.pseudoHeaderSum(src, dst, PROTO_VRRP, length) : 0;
        return Checksums.fold(Checksums.sum(buf, off, length, s)) == 0xffff;
    }

    /**
     * Writes an advertisement with the addresses {@code addresses[0, count)} and its checksum.
     *
     * @return its length, {@code 8 + 4 * count}
     */
    public static int writeAdvertisement(byte[] buf, int off, int vrid, int priority, int maxAdverInt,
            int[] addresses, int count, boolean pseudoHeader, int src, int dst) {
        buf[off] = (byte) (VERSION << 4 | TYPE_ADVERTISEMENT);
        buf[off + 1] = (byte) vrid;
        buf[off + 2] = (byte) priority;
        buf[off + 3] = (byte) count;
        Bytes.put16(buf, off + 4, maxAdverInt & MAX_ADVER_INT_MASK);
        Bytes.put16(buf, off + CHECKSUM, 0);
        for (int i = 0; i < count; i++) {
            Bytes.put32(buf, off + ADDRESSES + 4 * i, addresses[i]);
        }
        int length = length(count);
        Bytes.put16(buf, off + CHECKSUM, computeChecksum(buf, off, length, pseudoHeader, src, dst));
        return length;
    }

    /** Sets the priority and the checksum anew (in place, for the next advert of a prepared frame). */
    public static void setPriority(byte[] buf, int off, int priority, boolean pseudoHeader, int src, int dst) {
        buf[off + 2] = (byte) priority;
        int length = length(addressCount(buf, off));
        Bytes.put16(buf, off + CHECKSUM, computeChecksum(buf, off, length, pseudoHeader, src, dst));
    }
}
