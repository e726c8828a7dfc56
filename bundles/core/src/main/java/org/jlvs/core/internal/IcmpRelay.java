package org.jlvs.core.internal;

import org.jlvs.packet.Bytes;
import org.jlvs.packet.Checksums;
import org.jlvs.packet.Icmp;
import org.jlvs.packet.Ipv4;
import org.jlvs.packet.Tcp;
import org.jlvs.packet.Udp;

/**
 * NAT of ICMP errors that concern a balanced connection (IPVS's ip_vs_in_icmp / ip_vs_out_icmp with
 * ip_vs_nat_icmp): destination unreachable (including fragmentation needed, whose MTU is kept), source quench
 * and time exceeded. The error quotes the packet that caused it, so both the outer header and the quoted
 * header (address, port, header checksum and, when quoted, the TCP/UDP checksum) are rewritten; the ICMP
 * checksum is then computed again over the whole message. In place, without allocation.
 */
final class IcmpRelay {
    private IcmpRelay() {}

    /** The ICMP error types IPVS relays; others (redirect, parameter problem) are not about a connection. */
    static boolean relayed(int type) {
        return type == Icmp.DEST_UNREACH || type == Icmp.SOURCE_QUENCH || type == Icmp.TIME_EXCEEDED;
    }

    /** Offset of the quoted IP header of the ICMP error at {@code ip} (checked by FrameCheck.checkIcmpError). */
    static int quote(byte[] b, int ip) {
        return Icmp.quotedOffset(Ipv4.payloadOffset(b, ip));
    }

    /**
     * An error from the server side about a packet the real server received (quoted: client -&gt; real server)
     * goes to the client as if about a packet to the VIP: outer source and quoted destination become the VIP
     * and virtual port.
     */
    static void toClient(byte[] b, int ip, int vip, int vport) {
        rewriteOuter(b, ip, Ipv4.SRC_OFFSET, vip);
        rewriteQuote(b, ip, Ipv4.DST_OFFSET, vip, Tcp.DST_PORT_OFFSET, vport);
        finishIcmpChecksum(b, ip);
    }

    /**
     * An error from the client side about a packet the director sent for a real server (quoted: VIP -&gt;
     * client) goes to the real server (NAT): outer destination and quoted source become the real server's.
     */
    static void toServer(byte[] b, int ip, int rip, int rport) {
        rewriteOuter(b, ip, Ipv4.DST_OFFSET, rip);
        rewriteQuote(b, ip, Ipv4.SRC_OFFSET, rip, Tcp.SRC_PORT_OFFSET, rport);
        finishIcmpChecksum(b, ip);
    }

    private static void rewriteOuter(byte[] b, int ip, int field, int address) {
        int old = Bytes.i32(b, ip + field);
        Bytes.put32(b, ip + field, address);
        Ipv4.setHeaderChecksum(b, ip, Checksums.apply(Ipv4.headerChecksum(b, ip), Checksums.delta32(old, address)));
    }

    private static void rewriteQuote(byte[] b, int ip, int addrField, int address, int portField, int port) {
        int q = quote(b, ip);
        int l4 = Ipv4.payloadOffset(b, q);
        int end = ip + Ipv4.totalLength(b, ip); // the quote may stop anywhere after its first 8 bytes
        int oldAddr = Bytes.i32(b, q + addrField);
        int oldPort = Bytes.u16(b, l4 + portField);
        Bytes.put32(b, q + addrField, address);
        Bytes.put16(b, l4 + portField, port);
        // incrementally, so that a quote that arrived with a wrong header checksum is not made right
        Ipv4.setHeaderChecksum(b, q, Checksums.apply(Ipv4.headerChecksum(b, q), Checksums.delta32(oldAddr, address)));
        int protocol = Ipv4.protocol(b, q);
        int sumAt = protocol == Ipv4.PROTO_TCP ? l4 + Tcp.CHECKSUM_OFFSET
                : protocol == Ipv4.PROTO_UDP ? l4 + Udp.CHECKSUM_OFFSET : -1;
        if (sumAt < 0 || sumAt + 2 > end) return; // not quoted: nothing to keep consistent
        int sum = Bytes.u16(b, sumAt);
        if (protocol == Ipv4.PROTO_UDP && sum == 0) return; // no UDP checksum
        long delta = Checksums.delta32(oldAddr, address) + Checksums.delta16(oldPort, port);
        Bytes.put16(b, sumAt, Checksums.apply(sum, delta));
    }

    private static void finishIcmpChecksum(byte[] b, int ip) {
        int icmp = Ipv4.payloadOffset(b, ip);
        int length = Ipv4.totalLength(b, ip) - (icmp - ip);
        Icmp.setChecksum(b, icmp, 0);
        Icmp.setChecksum(b, icmp, Checksums.finish(Checksums.sum(b, icmp, length, 0)));
    }
}
