package org.jlvs.packet;

/**
 * ICMPv6 (RFC 4443). Accessors take the offset of the ICMPv6 header; the builders take IPv6 packet offsets
 * and write complete IPv6 packets (without an Ethernet header). Neighbour Discovery is in {@link Ndp}.
 */
public final class Icmpv6 {
    /** Type, code, checksum and the 4 bytes every message has after them. */
    public static final int HEADER_LENGTH = 8;
    public static final int CHECKSUM_OFFSET = 2;

    public static final int DEST_UNREACH = 1;
    public static final int PACKET_TOO_BIG = 2;
    public static final int TIME_EXCEEDED = 3;
    public static final int PARAMETER_PROBLEM = 4;
    public static final int ECHO_REQUEST = 128;
    public static final int ECHO_REPLY = 129;
    public static final int ROUTER_SOLICITATION = 133;
    public static final int ROUTER_ADVERTISEMENT = 134;
    public static final int NEIGHBOUR_SOLICITATION = 135;
    public static final int NEIGHBOUR_ADVERTISEMENT = 136;
    public static final int REDIRECT = 137;

    public static final int CODE_NO_ROUTE = 0;
    public static final int CODE_ADMIN_PROHIBITED = 1;
    public static final int CODE_BEYOND_SCOPE = 2;
    public static final int CODE_ADDRESS_UNREACH = 3;
    public static final int CODE_PORT_UNREACH = 4;
    public static final int CODE_HOP_LIMIT_EXCEEDED = 0;
    public static final int CODE_REASSEMBLY_TIME_EXCEEDED = 1;
    public static final int CODE_ERRONEOUS_HEADER = 0;
    public static final int CODE_UNRECOGNIZED_NEXT_HEADER = 1;
    public static final int CODE_UNRECOGNIZED_OPTION = 2;
    /** Parameter problem: first fragment without the whole header chain (RFC 7112). */
    public static final int CODE_INCOMPLETE_CHAIN = 3;

    /** The most of the offending packet an error quotes: the error fits in the minimum MTU (RFC 4443 §2.4 c). */
    public static final int MAX_QUOTE_LENGTH = Ipv6.MIN_MTU - Ipv6.HEADER_LENGTH - HEADER_LENGTH;
    /** Hop limit of the packets built here (Linux's default). */
    public static final int HOP_LIMIT = 64;

    private Icmpv6() {}

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

    /** The MTU of a Packet Too Big (32 bits, unsigned). */
    public static long mtu(byte[] buf, int off) {
        return Bytes.u32(buf, off + 4);
    }

    /** The pointer of a Parameter Problem: the offending octet's offset in the quoted packet (unsigned). */
    public static long pointer(byte[] buf, int off) {
        return Bytes.u32(buf, off + 4);
    }

    /** Offset of the quoted IPv6 header in an error message. */
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

    /** Error messages have types 0 to 127, informational ones 128 to 255 (RFC 4443 §2.1). */
    public static boolean isError(int type) {
        return type < 128;
    }

    /**
     * Whether RFC 4443 §2.4 (e) allows sending an error of {@code type}/{@code code} about the packet at ipOff
     * that {@link FrameCheck6#inspectIpv6} passed with {@code walk}: not about an ICMPv6 error or a Redirect,
     * not about a packet to a multicast address (Packet Too Big and Parameter Problem code 2 excepted), not to a
     * source that names no single node (unspecified or multicast). The frame's link-layer destination, which the
     * RFC also asks about (multicast or broadcast: no error), is the caller's to check.
     */
    public static boolean errorAllowed(byte[] buf, int ipOff, long walk, int type, int code) {
        long srcHi = Ipv6.srcHi(buf, ipOff);
        if (Ipv6.isMulticast(srcHi) || Ipv6.isUnspecified(srcHi, Ipv6.srcLo(buf, ipOff))) return false;
        boolean multicastAllowed = type == PACKET_TOO_BIG
                || type == PARAMETER_PROBLEM && code == CODE_UNRECOGNIZED_OPTION;
        if (Ipv6.isMulticast(Ipv6.dstHi(buf, ipOff)) && !multicastAllowed) return false;
        int reason = Ipv6Headers.reason(walk);
        // A packet the check refused may have no ICMPv6 header to read: it cannot be told from an error.
        if (reason != FrameCheck6.OK && reason != FrameCheck6.FRAGMENT) return true;
        if (Ipv6Headers.protocol(walk) != Ipv6.NEXT_ICMPV6 || !Ipv6Headers.hasUpperLayerHeader(walk)) return true;
        int offending = type(buf, Ipv6Headers.l4Offset(walk, ipOff));
        return !isError(offending) && offending != REDIRECT;
    }

    /**
     * Turns the echo request at ipOff (passed by {@link FrameCheck6#inspectIpv6} with {@code walk}, its checksum
     * verified) into the echo reply in place: addresses swapped, type 129, hop limit 64, checksum updated
     * incrementally (the swap leaves the pseudo-header sum as it was). Extension headers are dropped (the ICMPv6
     * message moves up behind the fixed header); traffic class and flow label stay as the request had them.
     *
     * @return the reply's IPv6 packet length, or -1 (packet untouched) when it is no echo request, a fragment
     *     (the walk's reason is not OK), or sent to a multicast address (the reply would need a unicast source
     *     of the caller's choice)
     */
    public static int toEchoReply(byte[] buf, int ipOff, long walk) {
        if (Ipv6Headers.reason(walk) != FrameCheck6.OK || Ipv6Headers.protocol(walk) != Ipv6.NEXT_ICMPV6) return -1;
        int icmp = Ipv6Headers.l4Offset(walk, ipOff);
        if (type(buf, icmp) != ECHO_REQUEST || Ipv6.isMulticast(Ipv6.dstHi(buf, ipOff))) return -1;
        int icmpLength = Checksums6.l4Length(buf, ipOff, icmp);
        int moved = ipOff + Ipv6.HEADER_LENGTH;
        if (icmp != moved) {
            System.arraycopy(buf, icmp, buf, moved, icmpLength);
            icmp = moved;
            Ipv6.setNextHeader(buf, ipOff, Ipv6.NEXT_ICMPV6);
            Ipv6.setPayloadLength(buf, ipOff, icmpLength);
        }
        long srcHi = Ipv6.srcHi(buf, ipOff);
        long srcLo = Ipv6.srcLo(buf, ipOff);
        Ipv6.setSrc(buf, ipOff, Ipv6.dstHi(buf, ipOff), Ipv6.dstLo(buf, ipOff));
        Ipv6.setDst(buf, ipOff, srcHi, srcLo);
        Ipv6.setHopLimit(buf, ipOff, HOP_LIMIT);
        int oldWord = Bytes.u16(buf, icmp);
        setType(buf, icmp, ECHO_REPLY);
        setChecksum(buf, icmp, Checksums.update16(checksum(buf, icmp), oldWord, Bytes.u16(buf, icmp)));
        return Ipv6.HEADER_LENGTH + icmpLength;
    }

    /** Packet Too Big about the packet in {@code in}, with the MTU of the next link; see {@link #writeError}. */
    public static int writePacketTooBig(byte[] in, int inIpOff, int inLength, byte[] out, int outIpOff, int mtu,
            long srcHi, long srcLo) {
        return writeError(in, inIpOff, inLength, out, outIpOff, PACKET_TOO_BIG, 0, mtu, srcHi, srcLo);
    }

    /** Destination Unreachable (CODE_PORT_UNREACH, ...); see {@link #writeError}. */
    public static int writeDestUnreachable(byte[] in, int inIpOff, int inLength, byte[] out, int outIpOff, int code,
            long srcHi, long srcLo) {
        return writeError(in, inIpOff, inLength, out, outIpOff, DEST_UNREACH, code, 0, srcHi, srcLo);
    }

    /** Time Exceeded (CODE_HOP_LIMIT_EXCEEDED, ...); see {@link #writeError}. */
    public static int writeTimeExceeded(byte[] in, int inIpOff, int inLength, byte[] out, int outIpOff, int code,
            long srcHi, long srcLo) {
        return writeError(in, inIpOff, inLength, out, outIpOff, TIME_EXCEEDED, code, 0, srcHi, srcLo);
    }

    /** Parameter Problem pointing at the offending octet (e.g. the walk's chainLength on an error). */
    public static int writeParameterProblem(byte[] in, int inIpOff, int inLength, byte[] out, int outIpOff,
            int code, int pointer, long srcHi, long srcLo) {
        return writeError(in, inIpOff, inLength, out, outIpOff, PARAMETER_PROBLEM, code, pointer, srcHi, srcLo);
    }

    /**
     * Builds a complete IPv6 + ICMPv6 error packet at {@code outIpOff}, from {@code srcHi/srcLo} to the offending
     * packet's source: the offending packet quoted from its IPv6 header on, as much as fits in the minimum MTU
     * of 1,280 bytes (RFC 4443 §2.4 c) and no more than its payload length says (no Ethernet padding); traffic
     * class and flow label 0, hop limit 64, checksum set. {@code in} and {@code out} may be the same array and
     * may overlap: with {@code outIpOff = inIpOff - 48} the quote stays where it is.
     *
     * @param inLength bytes of the offending packet available at inIpOff (at least its 40-byte header)
     * @param rest the 32 bits after the checksum: the MTU of Packet Too Big, the pointer of Parameter Problem
     * @return the IPv6 packet length
     */
    public static int writeError(byte[] in, int inIpOff, int inLength, byte[] out, int outIpOff, int type, int code,
            int rest, long srcHi, long srcLo) {
        int inPacket = Ipv6.HEADER_LENGTH + Ipv6.payloadLength(in, inIpOff);
        int quote = Math.min(Math.min(inLength, MAX_QUOTE_LENGTH), inPacket);
        long dstHi = Ipv6.srcHi(in, inIpOff);
        long dstLo = Ipv6.srcLo(in, inIpOff);
        int icmp = outIpOff + Ipv6.HEADER_LENGTH;
        // Quote first: the headers may overwrite the input when the arrays overlap.
        System.arraycopy(in, inIpOff, out, icmp + HEADER_LENGTH, quote);
        int icmpLength = HEADER_LENGTH + quote;
        Ipv6.writeHeader(out, outIpOff, 0, 0, icmpLength, Ipv6.NEXT_ICMPV6, HOP_LIMIT, srcHi, srcLo, dstHi, dstLo);
        setType(out, icmp, type);
        setCode(out, icmp, code);
        setChecksum(out, icmp, 0);
        Bytes.put32(out, icmp + 4, rest);
        long s = Checksums6.pseudoHeaderSum(srcHi, srcLo, dstHi, dstLo, Ipv6.NEXT_ICMPV6, icmpLength);
        setChecksum(out, icmp, Checksums.finish(Checksums.sum(out, icmp, icmpLength, s)));
        return Ipv6.HEADER_LENGTH + icmpLength;
    }
}
