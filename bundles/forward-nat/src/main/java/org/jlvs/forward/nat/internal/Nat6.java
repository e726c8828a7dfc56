package org.jlvs.forward.nat.internal;

import org.jlvs.packet.Bytes;
import org.jlvs.packet.Checksums;
import org.jlvs.packet.Checksums6;
import org.jlvs.packet.FrameCheck6;
import org.jlvs.packet.Ipv6;
import org.jlvs.packet.Ipv6Headers;
import org.jlvs.packet.Tcp;

/**
 * In-place NAT of an IPv6 TCP or UDP packet: one address and one port rewritten, the transport checksum updated
 * incrementally (RFC 1624) with the address and port deltas together. IPv6 has no header checksum; the
 * extension headers are walked ({@link FrameCheck6#inspectIpv6}) to find the TCP or UDP header.
 *
 * <p>Refused, the packet untouched: anything but a well-formed TCP or UDP packet, a fragment (its ports are
 * only in the first one, as the IPv4 path refuses fragments), and a UDP checksum of 0, which is invalid over
 * IPv6 (RFC 8200 §8.1: the receiver drops it). An updated UDP checksum that comes out 0 is stored as 0xffff.
 */
final class Nat6 {
    private Nat6() {}

    /** The packet at ipOff (available bytes of it) gets destination hi/lo and destination port. */
    static boolean rewriteDestination(byte[] b, int ipOff, int available, long hi, long lo, int port) {
        return rewrite(b, ipOff, available, Ipv6.DST_OFFSET, hi, lo, Tcp.DST_PORT_OFFSET, port);
    }

    /** The packet at ipOff (available bytes of it) gets source hi/lo and source port. */
    static boolean rewriteSource(byte[] b, int ipOff, int available, long hi, long lo, int port) {
        return rewrite(b, ipOff, available, Ipv6.SRC_OFFSET, hi, lo, Tcp.SRC_PORT_OFFSET, port);
    }

    /** The destination port of a well-formed TCP or UDP packet that is no fragment; -1 otherwise. */
    static int dstPort(byte[] b, int ipOff, int available) {
        long walk = FrameCheck6.inspectIpv6(b, ipOff, available);
        if (!rewritable(walk)) return -1;
        return Tcp.dstPort(b, Ipv6Headers.l4Offset(walk, ipOff));
    }

    private static boolean rewritable(long walk) {
        int protocol = Ipv6Headers.protocol(walk);
        return Ipv6Headers.reason(walk) == FrameCheck6.OK
                && (protocol == Ipv6.NEXT_TCP || protocol == Ipv6.NEXT_UDP);
    }

    private static boolean rewrite(byte[] b, int ipOff, int available, int addressField, long hi, long lo,
            int portField, int port) {
        long walk = FrameCheck6.inspectIpv6(b, ipOff, available);
        if (!rewritable(walk)) return false;
        int protocol = Ipv6Headers.protocol(walk);
        int l4 = Ipv6Headers.l4Offset(walk, ipOff);
        int checksumAt = l4 + Checksums6.l4ChecksumOffset(protocol);
        int old = Bytes.u16(b, checksumAt);
        if (protocol == Ipv6.NEXT_UDP && old == 0) return false;
        int at = ipOff + addressField;
        long delta = Checksums6.addressDelta(Bytes.i64(b, at), Bytes.i64(b, at + 8), hi, lo)
                + Checksums.delta16(Bytes.u16(b, l4 + portField), port);
        Ipv6.putAddress(b, at, hi, lo);
        Bytes.put16(b, l4 + portField, port);
        int checksum = Checksums.apply(old, delta);
        Bytes.put16(b, checksumAt, protocol == Ipv6.NEXT_UDP && checksum == 0 ? 0xffff : checksum);
        return true;
    }
}
