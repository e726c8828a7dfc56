package org.jlvs.packet;

/** ARP for IPv4 over Ethernet (RFC 826). Accessors take the offset of the ARP header (after Ethernet). */
public final class Arp {
    /** The ARP message for Ethernet/IPv4. */
    public static final int LENGTH = 28;
    /**
     * Frame length written by {@link #writeFrame}: 42, not padded to 60. libpcap and veth send short frames
     * as they are, and real NIC drivers pad to the Ethernet minimum themselves.
     */
    public static final int FRAME_LENGTH = Ethernet.HEADER_LENGTH + LENGTH;

    public static final int REQUEST = 1;
    public static final int REPLY = 2;

    private static final int HTYPE_ETHERNET = 1;
    private static final int OP = 6;
    private static final int SENDER_MAC = 8;
    private static final int SENDER_IP = 14;
    private static final int TARGET_MAC = 18;
    private static final int TARGET_IP = 24;

    private Arp() {}

    /** Hardware type Ethernet with 6-byte addresses, protocol type IPv4 with 4-byte addresses. */
    public static boolean isEthernetIpv4(byte[] buf, int off) {
        return Bytes.u16(buf, off) == HTYPE_ETHERNET && Bytes.u16(buf, off + 2) == Ethernet.TYPE_IPV4
                && buf[off + 4] == 6 && buf[off + 5] == 4;
    }

    public static int op(byte[] buf, int off) {
        return Bytes.u16(buf, off + OP);
    }

    public static long senderMac(byte[] buf, int off) {
        return Bytes.u48(buf, off + SENDER_MAC);
    }

    public static int senderIp(byte[] buf, int off) {
        return Bytes.i32(buf, off + SENDER_IP);
    }

    public static long targetMac(byte[] buf, int off) {
        return Bytes.u48(buf, off + TARGET_MAC);
    }

    public static int targetIp(byte[] buf, int off) {
        return Bytes.i32(buf, off + TARGET_IP);
    }

    /** Gratuitous: sender and target IP are the same (an announcement, not a question). */
    public static boolean isGratuitous(byte[] buf, int off) {
        return senderIp(buf, off) == targetIp(buf, off);
    }

    /** Writes the 28-byte Ethernet/IPv4 ARP message. */
    public static void write(byte[] buf, int off, int op, long senderMac, int senderIp, long targetMac,
            int targetIp) {
        Bytes.put16(buf, off, HTYPE_ETHERNET);
        Bytes.put16(buf, off + 2, Ethernet.TYPE_IPV4);
        buf[off + 4] = 6;
        buf[off + 5] = 4;
        Bytes.put16(buf, off + OP, op);
        Bytes.put48(buf, off + SENDER_MAC, senderMac);
        Bytes.put32(buf, off + SENDER_IP, senderIp);
        Bytes.put48(buf, off + TARGET_MAC, targetMac);
        Bytes.put32(buf, off + TARGET_IP, targetIp);
    }

    /**
     * Writes a whole ARP frame (Ethernet header + message) at off.
     *
     * @return {@link #FRAME_LENGTH} (42; see there why there is no padding)
     */
    public static int writeFrame(byte[] buf, int off, long ethDst, long ethSrc, int op, long senderMac,
            int senderIp, long targetMac, int targetIp) {
        Ethernet.writeHeader(buf, off, ethDst, ethSrc, Ethernet.TYPE_ARP);
        write(buf, off + Ethernet.HEADER_LENGTH, op, senderMac, senderIp, targetMac, targetIp);
        return FRAME_LENGTH;
    }

    /**
     * Turns the ARP request frame at ethOff (checked with {@link FrameCheck#checkArp}) into the reply that
     * {@code mac} owns the requested address, sent back to the requester.
     *
     * @return {@link #FRAME_LENGTH}
     */
    public static int toReplyFrame(byte[] buf, int ethOff, long mac) {
        int arp = ethOff + Ethernet.HEADER_LENGTH;
        long requesterMac = senderMac(buf, arp);
        int requesterIp = senderIp(buf, arp);
        int requestedIp = targetIp(buf, arp);
        return writeFrame(buf, ethOff, requesterMac, mac, REPLY, mac, requestedIp, requesterMac, requesterIp);
    }
}
