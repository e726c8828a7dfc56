package org.jlvs.packet;

/**
 * ICMP (RFC 792). Accessors take the offset of the ICMP header; the builders take IPv4 packet offsets and
 * write complete IPv4 packets (without an Ethernet header).
 */
public final class Icmp {
    public static final int HEADER_LENGTH = 8;
    public static final int CHECKSUM_OFFSET = 2;

    public static final int ECHO_REPLY = 0;
    public static final int DEST_UNREACH = 3;
    public static final int SOURCE_QUENCH = 4;
    public static final int REDIRECT = 5;
    public static final int ECHO_REQUEST = 8;
    public static final int TIME_EXCEEDED = 11;
    public static final int PARAMETER_PROBLEM = 12;

    public static final int CODE_NET_UNREACH = 0;
    public static final int CODE_HOST_UNREACH = 1;
    public static final int CODE_PROTO_UNREACH = 2;
    public static final int CODE_PORT_UNREACH = 3;
    public static final int CODE_FRAG_NEEDED = 4;
    /** Time exceeded: TTL reached 0 in transit. */
    public static final int CODE_TTL_EXCEEDED = 0;

    /** Largest ICMP error packet, as Linux limits it (RFC 1812 4.3.2.3): 576 bytes in all. */
    public static final int MAX_ERROR_PACKET_LENGTH = 576;
    /** The most bytes of the offending packet an error quotes: 576 - 20 (IP) - 8 (ICMP). */
    public static final int MAX_QUOTE_LENGTH = MAX_ERROR_PACKET_LENGTH - Ipv4.MIN_HEADER_LENGTH - HEADER_LENGTH;
    /** TTL of the packets built here (Linux's default). */
    public static final int TTL = 64;
    /** Precedence "internetwork control", which Linux sets on ICMP errors. */
    private static final int TOS_INTERNETWORK_CONTROL = 0xc0;
    /** The TOS bits (without precedence and ECN) that Linux copies from the offending packet. */
    private static final int TOS_MASK = 0x1e;

    private Icmp() {}

    public static int type(byte[] buf, int off) {
        return Bytes.u8(buf, off);
    }

    public static int code(byte[] buf, int off) {
        return Bytes.u8(buf, off + 1);
    }

    public static int checksum(byte[] buf, int off) {
        return Bytes.u16(buf, off + CHECKSUM_OFFSET);
    }

    /** Echo identifier. */
    public static int identifier(byte[] buf, int off) {
        return Bytes.u16(buf, off + 4);
    }

    /** Echo sequence number. */
    public static int sequence(byte[] buf, int off) {
        return Bytes.u16(buf, off + 6);
    }

    /** The four bytes after the checksum ("rest of header"). */
    public static int restOfHeader(byte[] buf, int off) {
        return Bytes.i32(buf, off + 4);
    }

    /** Next-hop MTU of a "fragmentation needed" message (RFC 1191). */
    public static int nextHopMtu(byte[] buf, int off) {
        return Bytes.u16(buf, off + 6);
    }

    /** Offset of the quoted IPv4 header in an error message. */
    public static int quotedOffset(int off) {
        return off + HEADER_LENGTH;
    }

    public static void setType(byte[] buf, int off, int type) {
        Bytes.put8(buf, off, type);
    }

    public static void setCode(byte[] buf, int off, int code) {
        Bytes.put8(buf, off + 1, code);
    }

    public static void setChecksum(byte[] buf, int off, int checksum) {
        Bytes.put16(buf, off + CHECKSUM_OFFSET, checksum);
    }

    public static void setRestOfHeader(byte[] buf, int off, int rest) {
        Bytes.put32(buf, off + 4, rest);
    }

    /** Error messages, which must never be answered with another error. */
    public static boolean isError(int type) {
        return type == DEST_UNREACH || type == SOURCE_QUENCH || type == REDIRECT || type == TIME_EXCEEDED
                || type == PARAMETER_PROBLEM;
    }

    /**
     * Whether RFC 1122 (3.2.2) allows sending an ICMP error about the (validated) IPv4 packet at ipOff: not about
     * an ICMP error, a non-initial fragment, a packet sent to a multicast or the limited broadcast address, or
     * one whose source is not a single host (0.0.0.0, loopback, multicast, class E, broadcast).
     */
    public static boolean errorAllowed(byte[] buf, int ipOff) {
        if (Ipv4.fragmentOffset(buf, ipOff) != 0) return false;
        int src = Ipv4.src(buf, ipOff);
        int dst = Ipv4.dst(buf, ipOff);
        int srcFirst = src >>> 24;
        if (src == 0 || srcFirst == 127 || srcFirst >= 224) return false;
        if ((dst >>> 28) == 0xe || dst == -1) return false;
        return Ipv4.protocol(buf, ipOff) != Ipv4.PROTO_ICMP
                || !isError(type(buf, Ipv4.payloadOffset(buf, ipOff)));
    }

    /**
     * Turns the echo request at ipOff into the echo reply in place: addresses swapped, type 0, TTL 64, ICMP
     * checksum updated incrementally, IP header checksum recomputed. IP options are dropped (the ICMP message
     * moves up to a 20-byte header); identification, TOS and DF stay as the request had them. The packet must
     * have passed {@link FrameCheck#checkIpv4}.
     *
     * @return the reply's IP packet length, or -1 (packet untouched) when it is not an echo request
     */
    public static int toEchoReply(byte[] buf, int ipOff) {
        if (Ipv4.protocol(buf, ipOff) != Ipv4.PROTO_ICMP) return -1;
        int headerLength = Ipv4.headerLength(buf, ipOff);
        int icmp = ipOff + headerLength;
        if (type(buf, icmp) != ECHO_REQUEST) return -1;
        int icmpLength = Ipv4.totalLength(buf, ipOff) - headerLength;
        if (headerLength > Ipv4.MIN_HEADER_LENGTH) {
            // Options such as record-route describe the request's path, not the reply's.
            System.arraycopy(buf, icmp, buf, ipOff + Ipv4.MIN_HEADER_LENGTH, icmpLength);
            icmp = ipOff + Ipv4.MIN_HEADER_LENGTH;
            buf[ipOff] = 0x45;
        }
        int totalLength = Ipv4.MIN_HEADER_LENGTH + icmpLength;
        int src = Ipv4.src(buf, ipOff);
        Ipv4.setSrc(buf, ipOff, Ipv4.dst(buf, ipOff));
        Ipv4.setDst(buf, ipOff, src);
        Ipv4.setTotalLength(buf, ipOff, totalLength);
        Ipv4.setTtl(buf, ipOff, TTL);
        Ipv4.updateHeaderChecksum(buf, ipOff);
        int oldWord = Bytes.u16(buf, icmp);
        setType(buf, icmp, ECHO_REPLY);
        setChecksum(buf, icmp, Checksums.update16(checksum(buf, icmp), oldWord, Bytes.u16(buf, icmp)));
        return totalLength;
    }

    /**
     * Builds "destination unreachable" about the packet in {@code in} (IP identification 0, no DF, TTL 64).
     *
     * @param mtuForFragNeeded the next-hop MTU written for {@link #CODE_FRAG_NEEDED}, ignored otherwise
     * @return the IP packet length
     * @see #writeError
     */
    public static int writeDestUnreachable(byte[] in, int inIpOff, int inIpLength, byte[] out, int outIpOff,
            int code, int srcAddress, int mtuForFragNeeded) {
        int rest = code == CODE_FRAG_NEEDED ? mtuForFragNeeded & 0xffff : 0;
        return writeError(in, inIpOff, inIpLength, out, outIpOff, DEST_UNREACH, code, rest, srcAddress, 0);
    }

    /** Builds "time exceeded in transit" about the packet in {@code in}; see {@link #writeError}. */
    public static int writeTimeExceeded(byte[] in, int inIpOff, int inIpLength, byte[] out, int outIpOff,
            int srcAddress) {
        return writeError(in, inIpOff, inIpLength, out, outIpOff, TIME_EXCEEDED, CODE_TTL_EXCEEDED, 0,
                srcAddress, 0);
    }

    /**
     * Builds a complete IPv4 + ICMP error packet at {@code outIpOff}, sent from {@code srcAddress} to the
     * offending packet's source. Like Linux it quotes the offending packet from its IP header on, as much as
     * fits in 576 bytes (at least the header and 8 bytes of payload that RFC 792 asks for, when the packet has
     * them), without Ethernet padding beyond its total length; TOS is precedence 0xc0 plus the packet's TOS bits;
     * TTL 64, no DF; both checksums set. {@code in} and {@code out} may be the same array and may overlap: with
     * {@code outIpOff = inIpOff - 28} the quote stays where it is.
     *
     * @param inIpLength bytes of the offending packet available at inIpOff (at least its 20-byte header)
     * @param rest the ICMP header's last four bytes (e.g. the next-hop MTU in the low 16 bits)
     * @param id the IP identification to use
     * @return the IP packet length
     */
    public static int writeError(byte[] in, int inIpOff, int inIpLength, byte[] out, int outIpOff, int type,
            int code, int rest, int srcAddress, int id) {
        int quote = Math.min(inIpLength, MAX_QUOTE_LENGTH);
        int inTotal = Ipv4.totalLength(in, inIpOff);
        if (inTotal >= Ipv4.MIN_HEADER_LENGTH && inTotal < quote) quote = inTotal;
        int dst = Ipv4.src(in, inIpOff);
        int tos = (Ipv4.tos(in, inIpOff) & TOS_MASK) | TOS_INTERNETWORK_CONTROL;
        int icmp = outIpOff + Ipv4.MIN_HEADER_LENGTH;
        // Quote first: the headers may overwrite the input when the arrays overlap.
        System.arraycopy(in, inIpOff, out, icmp + HEADER_LENGTH, quote);
        int totalLength = Ipv4.MIN_HEADER_LENGTH + HEADER_LENGTH + quote;
        Ipv4.writeHeader(out, outIpOff, tos, totalLength, id, false, TTL, Ipv4.PROTO_ICMP, srcAddress, dst);
        setType(out, icmp, type);
        setCode(out, icmp, code);
        setChecksum(out, icmp, 0);
        setRestOfHeader(out, icmp, rest);
        setChecksum(out, icmp, Checksums.finish(Checksums.sum(out, icmp, HEADER_LENGTH + quote, 0)));
        return totalLength;
    }
}
