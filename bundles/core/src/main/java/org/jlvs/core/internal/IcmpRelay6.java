package org.jlvs.core.internal;

import org.jlvs.packet.Bytes;
import org.jlvs.packet.Checksums;
import org.jlvs.packet.Checksums6;
import org.jlvs.packet.Icmpv6;
import org.jlvs.packet.Ipv6;
import org.jlvs.packet.Ipv6Headers;
import org.jlvs.packet.Tcp;

/**
 * NAT of ICMPv6 errors that concern a balanced IPv6 connection (IPVS's ip_vs_in_icmp_v6 / ip_vs_out_icmp_v6
 * with ip_vs_nat_icmp_v6): destination unreachable, packet too big (whose MTU is kept), time exceeded and
 * parameter problem. Both the outer address and the quoted packet's address and port are rewritten, the quoted
 * TCP/UDP checksum incrementally when the quote holds it; the ICMPv6 checksum is then computed again over the
 * whole message (its pseudo-header has changed too). In place, without allocation.
 */
final class IcmpRelay6 {
    private IcmpRelay6() {}

    /** The ICMPv6 error types IPVS relays: 1 to 4, the ones that quote a packet of a connection. */
    static boolean relayed(int type) {
        return type >= Icmpv6.DEST_UNREACH && type <= Icmpv6.PARAMETER_PROBLEM;
    }

    /**
     * An error from the server side about a packet the real server received (quoted: client -&gt; server) goes
     * to the client as if about a packet to the VIP6: outer source and quoted destination become VIP6 and vport.
     *
     * @param icmp the ICMPv6 header's offset; {@code inner} the quote's walk (FrameCheck6.inspectIcmpv6Error)
     */
    static void toClient(byte[] b, int ip, int icmp, long inner, long vipHi, long vipLo, int vport) {
        Ipv6.putAddress(b, ip + Ipv6.SRC_OFFSET, vipHi, vipLo);
        rewriteQuote(b, ip, icmp, inner, Ipv6.DST_OFFSET, vipHi, vipLo, Tcp.DST_PORT_OFFSET, vport);
        finishChecksum(b, ip, icmp);
    }

    /**
     * An error from the client side about a packet the director sent for a NAT real server (quoted: VIP6 -&gt;
     * client) goes to the server: outer destination and quoted source become the server's address and port.
     */
    static void toServer(byte[] b, int ip, int icmp, long inner, long ripHi, long ripLo, int rport) {
        Ipv6.putAddress(b, ip + Ipv6.DST_OFFSET, ripHi, ripLo);
        rewriteQuote(b, ip, icmp, inner, Ipv6.SRC_OFFSET, ripHi, ripLo, Tcp.SRC_PORT_OFFSET, rport);
        finishChecksum(b, ip, icmp);
    }

    private static void rewriteQuote(byte[] b, int ip, int icmp, long inner, int addrField, long hi, long lo,
                                     int portField, int port) {
        int q = Icmpv6.quotedOffset(icmp);
        int end = ip + Ipv6.HEADER_LENGTH + Ipv6.payloadLength(b, ip); // the quote may stop after 8 upper bytes
        int at = q + addrField;
        long delta = Checksums6.addressDelta(Bytes.i64(b, at), Bytes.i64(b, at + 8), hi, lo);
        Ipv6.putAddress(b, at, hi, lo);
        int l4 = Ipv6Headers.l4Offset(inner, q);
        int oldPort = Bytes.u16(b, l4 + portField);
        Bytes.put16(b, l4 + portField, port);
        int protocol = Ipv6Headers.protocol(inner);
        int field = Checksums6.l4ChecksumOffset(protocol);
        if (field < 0 || l4 + field + 2 > end) return; // not quoted: nothing to keep consistent
        int sumAt = l4 + field;
        int sum = Bytes.u16(b, sumAt);
        if (protocol == Ipv6.NEXT_UDP && sum == 0) return; // invalid in IPv6, and stays so
        int updated = Checksums.apply(sum, delta + Checksums.delta16(oldPort, port));
        Bytes.put16(b, sumAt, protocol == Ipv6.NEXT_UDP && updated == 0 ? 0xffff : updated);
    }

    private static void finishChecksum(byte[] b, int ip, int icmp) {
        Icmpv6.setChecksum(b, icmp, Checksums6.l4Checksum(b, ip, icmp, Ipv6.NEXT_ICMPV6));
    }
}
