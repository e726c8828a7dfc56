package org.jlvs.core.internal;

import org.jlvs.api.Ip6Address;
import org.jlvs.packet.Bytes;
import org.jlvs.packet.Checksums6;
import org.jlvs.packet.Ethernet;
import org.jlvs.packet.Icmpv6;
import org.jlvs.packet.Ipv6;
import org.jlvs.packet.Ndp;
import org.jlvs.packet.Tcp;
import org.jlvs.packet.Udp;

/** Builders of the IPv6 frames the core's tests feed (Ethernet at 0, IPv6 at 14, the upper layer at 54). */
final class Frames6 {
    static final int IP = 14, L4 = 54;

    private Frames6() {}

    private static byte[] packet(long srcMac, long dstMac, Ip6Address src, Ip6Address dst, int next, int hopLimit,
                                 int l4Length) {
        byte[] f = new byte[L4 + l4Length];
        Ethernet.writeHeader(f, 0, dstMac, srcMac, Ethernet.TYPE_IPV6);
        Ipv6.writeHeader(f, IP, 0, 0, l4Length, next, hopLimit, src.hi(), src.lo(), dst.hi(), dst.lo());
        return f;
    }

    /** A TCP segment with {@code payload} bytes of data and a correct checksum (or, if partial, the pseudo-header sum). */
    static byte[] tcp(long srcMac, long dstMac, Ip6Address src, int sport, Ip6Address dst, int dport, int flags,
                      int payload, boolean partial) {
        byte[] f = packet(srcMac, dstMac, src, dst, Ipv6.NEXT_TCP, 64, Tcp.MIN_HEADER_LENGTH + payload);
        Tcp.setSrcPort(f, L4, sport);
        Tcp.setDstPort(f, L4, dport);
        Tcp.setSeq(f, L4, 1000);
        Tcp.setDataOffset(f, L4, 5);
        Tcp.setFlags(f, L4, flags);
        Tcp.setWindow(f, L4, 65535);
        for (int i = 0; i < payload; i++) f[L4 + Tcp.MIN_HEADER_LENGTH + i] = (byte) i;
        checksum(f, Ipv6.NEXT_TCP, partial);
        return f;
    }

    static byte[] udp(long srcMac, long dstMac, Ip6Address src, int sport, Ip6Address dst, int dport, int payload) {
        byte[] f = packet(srcMac, dstMac, src, dst, Ipv6.NEXT_UDP, 64, Udp.HEADER_LENGTH + payload);
        Udp.writeHeader(f, L4, sport, dport, Udp.HEADER_LENGTH + payload);
        for (int i = 0; i < payload; i++) f[L4 + Udp.HEADER_LENGTH + i] = (byte) (7 * i);
        checksum(f, Ipv6.NEXT_UDP, false);
        return f;
    }

    static byte[] echoRequest(long srcMac, long dstMac, Ip6Address src, Ip6Address dst) {
        byte[] f = packet(srcMac, dstMac, src, dst, Ipv6.NEXT_ICMPV6, 64, Icmpv6.HEADER_LENGTH + 16);
        Icmpv6.setType(f, L4, Icmpv6.ECHO_REQUEST);
        Bytes.put16(f, L4 + 4, 0x1234);
        Bytes.put16(f, L4 + 6, 1);
        checksum(f, Ipv6.NEXT_ICMPV6, false);
        return f;
    }

    /** A Neighbour Solicitation for {@code target} to its solicited-node address, with a source LLA option. */
    static byte[] solicitation(long srcMac, Ip6Address src, Ip6Address target) {
        long groupLo = Ipv6.solicitedNodeLo(target.lo());
        byte[] f = packet(srcMac, Ipv6.multicastMac(groupLo), src, new Ip6Address(Ipv6.SOLICITED_NODE_HI, groupLo),
                Ipv6.NEXT_ICMPV6, Ndp.HOP_LIMIT, Ndp.MESSAGE_LENGTH + Ndp.LLA_OPTION_LENGTH);
        Icmpv6.setType(f, L4, Icmpv6.NEIGHBOUR_SOLICITATION);
        Ipv6.putAddress(f, L4 + 8, target.hi(), target.lo());
        f[L4 + Ndp.MESSAGE_LENGTH] = Ndp.OPTION_SOURCE_LLA;
        f[L4 + Ndp.MESSAGE_LENGTH + 1] = 1;
        Bytes.put48(f, L4 + Ndp.MESSAGE_LENGTH + 2, srcMac);
        checksum(f, Ipv6.NEXT_ICMPV6, false);
        return f;
    }

    /** A solicited Neighbour Advertisement of {@code target} at {@code srcMac}, to {@code dst}. */
    static byte[] advertisement(long srcMac, long dstMac, Ip6Address target, Ip6Address dst) {
        byte[] f = new byte[Ndp.ADVERTISEMENT_FRAME_LENGTH];
        Ndp.writeAdvertisementFrame(f, 0, dstMac, srcMac, target.hi(), target.lo(), dst.hi(), dst.lo(),
                Ndp.FLAG_SOLICITED | Ndp.FLAG_OVERRIDE, target.hi(), target.lo(), srcMac);
        return f;
    }

    /**
     * An ICMPv6 error from {@code src} (at {@code srcMac}) about the IPv6 packet of {@code about}, sent to that
     * packet's source as a router or host sends it: the quote as RFC 4443 allows, checksum set.
     */
    static byte[] icmpv6Error(long srcMac, long dstMac, Ip6Address src, int type, int code, int rest, byte[] about) {
        byte[] f = new byte[L4 + Icmpv6.HEADER_LENGTH + Math.min(about.length - IP, Icmpv6.MAX_QUOTE_LENGTH)];
        Ethernet.writeHeader(f, 0, dstMac, srcMac, Ethernet.TYPE_IPV6);
        int n = Icmpv6.writeError(about, IP, about.length - IP, f, IP, type, code, rest, src.hi(), src.lo());
        return java.util.Arrays.copyOf(f, IP + n);
    }

    private static void checksum(byte[] f, int protocol, boolean partial) {
        if (partial) {
            int field = L4 + Checksums6.l4ChecksumOffset(protocol);
            Bytes.put16(f, field, org.jlvs.packet.Checksums.fold(
                    Checksums6.pseudoHeaderSum(f, IP, protocol, f.length - L4)));
        } else {
            Checksums6.completeL4Checksum(f, IP, L4, protocol);
        }
    }

    static Ip6Address src(byte[] f) {
        return new Ip6Address(Ipv6.srcHi(f, IP), Ipv6.srcLo(f, IP));
    }

    static Ip6Address dst(byte[] f) {
        return new Ip6Address(Ipv6.dstHi(f, IP), Ipv6.dstLo(f, IP));
    }

    static boolean checksumValid(byte[] f) {
        return Checksums6.l4ChecksumValid(f, IP, L4, Ipv6.nextHeader(f, IP));
    }
}
