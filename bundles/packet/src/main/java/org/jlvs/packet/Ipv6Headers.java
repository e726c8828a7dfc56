package org.jlvs.packet;

/**
 * The walk over an IPv6 packet's extension headers (RFC 8200 §4) to its upper-layer header, bounded, and the
 * accessors of the Fragment and Routing headers.
 *
 * <p>{@link #walk} returns its findings packed in one long (no object per packet); read it with the static
 * decoders. Layout, from the low bits:
 * <pre>
 *  0-15  chain length: the upper-layer header's offset from the IPv6 header (on an error: the offset of the
 *        offending octet, the pointer of an ICMPv6 Parameter Problem)
 * 16-23  upper-layer protocol: the last Next Header (on an error: the header being read)
 * 24-31  reason: {@link FrameCheck6#OK} or a FrameCheck6 code
 * 32-47  offset of the Fragment header from the IPv6 header, 0 when there is none
 * 48-55  flags: which headers were seen (HOP_BY_HOP ... LATER_FRAGMENT)
 * 56-63  the number of extension headers walked
 * </pre>
 * The chain is at most {@link #MAX_HEADERS} headers of at most 2,048 bytes each, so the offsets fit 16 bits.
 *
 * <p>The walk stops at the first header that is not Hop-by-Hop, Routing, Fragment, Destination Options or AH:
 * the upper layer (TCP, UDP, ICMPv6, IPv6 or IPv4 in IPv6, anything unknown), ESP (opaque) or No Next Header.
 * A fragment with a non-zero offset ends the walk at its Fragment header: what follows is the middle of the
 * original packet, and the protocol reported is the Fragment header's Next Header. Nothing is reassembled. An
 * atomic fragment (offset 0, M clear, RFC 6946) is a whole packet with a Fragment header.
 *
 * <p>Headers may come in any order and repeat (RFC 8200 §4.1 asks receivers to accept that), within
 * MAX_HEADERS. Rejected as malformed: a Hop-by-Hop header not first; a second Fragment header (without
 * reassembly it cannot be read); options that overrun their header; a fragment whose data is not a
 * multiple of 8 bytes while M is set, or that would end beyond 65,535 bytes (RFC 8200 §4.5); a first fragment
 * without the whole header chain (RFC 7112, reason INCOMPLETE_CHAIN); more than MAX_HEADERS headers; a header
 * beyond the packet. Option types are not interpreted (an unknown option's action is the caller's affair).
 * Jumbograms (RFC 2675: payload length 0 and a Jumbo Payload option) do not exist on Ethernet and come out
 * EXTENSION_TRUNCATED. A Routing header still in transit (ROUTING_TRANSIT) is only reported: RFC 5095 has
 * type 0 refused, and a destination that is not the final one is no VIP's packet.
 */
public final class Ipv6Headers {
    /** More extension headers than any sensible packet has (a full RFC 8200 chain has six). */
    public static final int MAX_HEADERS = 8;
    public static final int FRAGMENT_HEADER_LENGTH = 8;

    public static final int HOP_BY_HOP = 1;
    public static final int DEST_OPTIONS = 2;
    public static final int ROUTING = 4;
    /** A Routing header with Segments Left not 0: the destination address is not the final one. */
    public static final int ROUTING_TRANSIT = 8;
    public static final int FRAGMENT_HEADER = 16;
    /** A real fragment: M set or a non-zero offset (not an atomic fragment). */
    public static final int FRAGMENT = 32;
    public static final int AH = 64;
    /** A fragment with a non-zero offset: no upper-layer header in it. */
    public static final int LATER_FRAGMENT = 128;

    private static final int MORE_FRAGMENTS = 1;
    private static final int OFFSET_MASK = 0xfff8;

    private Ipv6Headers() {}

    /**
     * Walks the packet at ipOff, of which {@code available} bytes were received (bytes after the payload
     * length, Ethernet padding, are ignored). Never throws. Reasons: OK, TRUNCATED (under 40 bytes),
     * BAD_VERSION, PAYLOAD_BEYOND_FRAME, and the extension header reasons of FrameCheck6. OK says nothing about
     * the upper-layer header: {@link FrameCheck6#inspectIpv6} checks that too.
     */
    public static long walk(byte[] buf, int ipOff, int available) {
        int bytes = bytes(buf, ipOff, available);
        if (bytes < Ipv6.HEADER_LENGTH) return failure(FrameCheck6.TRUNCATED, 0, 0);
        if (Ipv6.version(buf, ipOff) != Ipv6.VERSION) return failure(FrameCheck6.BAD_VERSION, 0, 0);
        int length = Ipv6.HEADER_LENGTH + Ipv6.payloadLength(buf, ipOff);
        if (length > bytes) return failure(FrameCheck6.PAYLOAD_BEYOND_FRAME, Ipv6.PAYLOAD_LENGTH_OFFSET, 0);
        return walkChain(buf, ipOff, ipOff + length, false);
    }

    /**
     * Walks a packet quoted in an ICMPv6 error: as {@link #walk}, except that the quote may end before the
     * payload length says (the walk is bounded by the smaller); a header cut by the end of the quote is
     * EXTENSION_TRUNCATED, and a quoted fragment's length is not checked (the quote holds part of it).
     */
    public static long walkQuoted(byte[] buf, int ipOff, int available) {
        int bytes = bytes(buf, ipOff, available);
        if (bytes < Ipv6.HEADER_LENGTH) return failure(FrameCheck6.TRUNCATED, 0, 0);
        if (Ipv6.version(buf, ipOff) != Ipv6.VERSION) return failure(FrameCheck6.BAD_VERSION, 0, 0);
        int length = Math.min(bytes, Ipv6.HEADER_LENGTH + Ipv6.payloadLength(buf, ipOff));
        return walkChain(buf, ipOff, ipOff + length, true);
    }

    /** The bytes usable at ipOff: at most available, at most what the array holds; -1 for nonsense arguments. */
    static int bytes(byte[] buf, int ipOff, int available) {
        if (buf == null || ipOff < 0 || ipOff > buf.length) return -1;
        return Math.min(available, buf.length - ipOff);
    }

    private static long walkChain(byte[] buf, int ipOff, int end, boolean quoted) {
        int next = Ipv6.nextHeader(buf, ipOff);
        int at = ipOff + Ipv6.HEADER_LENGTH;
        int nextField = ipOff + Ipv6.NEXT_HEADER_OFFSET; // where the current Next Header value was read
        int flags = 0;
        int count = 0;
        int fh = 0; // offset of the Fragment header from ipOff
        while (true) {
            int length;
            switch (next) {
                case Ipv6.NEXT_HOP_BY_HOP, Ipv6.NEXT_DEST_OPTIONS, Ipv6.NEXT_ROUTING -> {
                    if (next == Ipv6.NEXT_HOP_BY_HOP && count > 0) {
                        return result(FrameCheck6.HOP_BY_HOP_NOT_FIRST, nextField - ipOff, next, fh, flags, count);
                    }
                    if (end - at < 8) return truncated(quoted, at - ipOff, next, fh, flags, count);
                    length = ((buf[at + 1] & 0xff) + 1) << 3;
                    if (end - at < length) return truncated(quoted, at + 1 - ipOff, next, fh, flags, count);
                    if (next == Ipv6.NEXT_ROUTING) {
                        flags |= ROUTING;
                        if (segmentsLeft(buf, at) != 0) flags |= ROUTING_TRANSIT;
                    } else {
                        int bad = badOption(buf, at + 2, at + length);
                        if (bad >= 0) return result(FrameCheck6.BAD_OPTIONS, bad - ipOff, next, fh, flags, count);
                        flags |= next == Ipv6.NEXT_HOP_BY_HOP ? HOP_BY_HOP : DEST_OPTIONS;
                    }
                }
                case Ipv6.NEXT_FRAGMENT -> {
                    if ((flags & FRAGMENT_HEADER) != 0) {
                        return result(FrameCheck6.REPEATED_HEADER, nextField - ipOff, next, fh, flags, count);
                    }
                    if (end - at < FRAGMENT_HEADER_LENGTH) return truncated(quoted, at - ipOff, next, fh, flags, count);
                    length = FRAGMENT_HEADER_LENGTH;
                    fh = at - ipOff;
                    flags |= FRAGMENT_HEADER;
                    int offset = fragmentOffset(buf, at);
                    boolean more = moreFragments(buf, at);
                    int data = end - at - FRAGMENT_HEADER_LENGTH;
                    if (!quoted && (more && (data & 7) != 0 || offset + data > Ipv6.MAX_PAYLOAD_LENGTH)) {
                        return result(FrameCheck6.BAD_FRAGMENT, Ipv6.PAYLOAD_LENGTH_OFFSET, next, fh, flags, count + 1);
                    }
                    if (more || offset != 0) flags |= FRAGMENT;
                    if (offset != 0) {
                        return result(FrameCheck6.OK, at + length - ipOff, buf[at] & 0xff, fh,
                                flags | LATER_FRAGMENT, count + 1);
                    }
                }
                case Ipv6.NEXT_AH -> {
                    if (end - at < 8) return truncated(quoted, at - ipOff, next, fh, flags, count);
                    length = ((buf[at + 1] & 0xff) + 2) << 2;
                    if (end - at < length) return truncated(quoted, at + 1 - ipOff, next, fh, flags, count);
                    flags |= AH;
                }
                default -> {
                    return result(FrameCheck6.OK, at - ipOff, next, fh, flags, count);
                }
            }
            if (++count > MAX_HEADERS) {
                return result(FrameCheck6.TOO_MANY_HEADERS, at - ipOff, next, fh, flags, count);
            }
            nextField = at;
            next = buf[at] & 0xff;
            at += length;
        }
    }

    /** An extension header beyond the packet; in a first fragment, the incomplete chain of RFC 7112. */
    private static long truncated(boolean quoted, int pointer, int next, int fh, int flags, int count) {
        boolean firstFragment = !quoted && (flags & FRAGMENT) != 0;
        int reason = firstFragment ? FrameCheck6.INCOMPLETE_CHAIN : FrameCheck6.EXTENSION_TRUNCATED;
        return result(reason, pointer, next, fh, flags, count);
    }

    /** The first option overrunning [from, end), the options of a Hop-by-Hop or Destination Options header, or -1. */
    private static int badOption(byte[] buf, int from, int end) {
        int i = from;
        while (i < end) {
            if (buf[i] == 0) { // Pad1
                i++;
                continue;
            }
            if (end - i < 2 || end - i < 2 + (buf[i + 1] & 0xff)) return i;
            i += 2 + (buf[i + 1] & 0xff);
        }
        return -1;
    }

    private static long failure(int reason, int pointer, int protocol) {
        return result(reason, pointer, protocol, 0, 0, 0);
    }

    private static long result(int reason, int chain, int protocol, int fh, int flags, int count) {
        return (chain & 0xffffL) | (long) (protocol & 0xff) << 16 | (long) (reason & 0xff) << 24
                | (long) (fh & 0xffff) << 32 | (long) (flags & 0xff) << 48 | (long) (count & 0xff) << 56;
    }

    /** With a reason replaced (the frame check's verdict on what follows the chain). */
    static long withReason(long walk, int reason) {
        return (walk & ~(0xffL << 24)) | (long) (reason & 0xff) << 24;
    }

    // ---- decoders of a walk result ----

    /** {@link FrameCheck6#OK} or the reason the walk (or the frame check) stopped. */
    public static int reason(long walk) {
        return (int) (walk >>> 24) & 0xff;
    }

    /** The upper-layer protocol (the last Next Header; for a later fragment, the Fragment header's). */
    public static int protocol(long walk) {
        return (int) (walk >>> 16) & 0xff;
    }

    /** Fixed header plus extension headers, in bytes; on an error, the offset of the offending octet. */
    public static int chainLength(long walk) {
        return (int) walk & 0xffff;
    }

    /** The offset of the upper-layer header in the array. */
    public static int l4Offset(long walk, int ipOff) {
        return ipOff + chainLength(walk);
    }

    /** The offset of the Fragment header in the array, or -1 when there is none. */
    public static int fragmentHeaderOffset(long walk, int ipOff) {
        int relative = (int) (walk >>> 32) & 0xffff;
        return relative == 0 ? -1 : ipOff + relative;
    }

    /** Which headers were seen: HOP_BY_HOP, DEST_OPTIONS, ROUTING (and ROUTING_TRANSIT), FRAGMENT_HEADER, ... */
    public static int flags(long walk) {
        return (int) (walk >>> 48) & 0xff;
    }

    /** A real fragment (M set or a non-zero offset): its upper-layer checksum covers bytes it does not hold. */
    public static boolean isFragment(long walk) {
        return (flags(walk) & FRAGMENT) != 0;
    }

    /** Whether the upper-layer header is in this packet (false for a fragment with a non-zero offset). */
    public static boolean hasUpperLayerHeader(long walk) {
        return (flags(walk) & LATER_FRAGMENT) == 0;
    }

    public static int headerCount(long walk) {
        return (int) (walk >>> 56) & 0xff;
    }

    // ---- accessors of extension headers, at the header's offset ----

    /** The Next Header field of any extension header. */
    public static int nextHeader(byte[] buf, int off) {
        return buf[off] & 0xff;
    }

    /** Fragment offset in bytes (the field counts 8-byte units). */
    public static int fragmentOffset(byte[] buf, int off) {
        return Bytes.u16(buf, off + 2) & OFFSET_MASK;
    }

    /** The M flag: more fragments follow. */
    public static boolean moreFragments(byte[] buf, int off) {
        return (Bytes.u16(buf, off + 2) & MORE_FRAGMENTS) != 0;
    }

    /** The 32-bit identification, which with the addresses names the original packet. */
    public static int fragmentId(byte[] buf, int off) {
        return Bytes.i32(buf, off + 4);
    }

    public static int routingType(byte[] buf, int off) {
        return buf[off + 2] & 0xff;
    }

    public static int segmentsLeft(byte[] buf, int off) {
        return buf[off + 3] & 0xff;
    }

    /** Writes an 8-byte Fragment header (offset in bytes, a multiple of 8). */
    public static void writeFragmentHeader(byte[] buf, int off, int nextHeader, int offset, boolean more, int id) {
        buf[off] = (byte) nextHeader;
        buf[off + 1] = 0;
        Bytes.put16(buf, off + 2, (offset & OFFSET_MASK) | (more ? MORE_FRAGMENTS : 0));
        Bytes.put32(buf, off + 4, id);
    }
}
