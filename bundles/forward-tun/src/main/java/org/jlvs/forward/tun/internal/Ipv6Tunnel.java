package org.jlvs.forward.tun.internal;

import org.jlvs.api.TunnelType;
import org.jlvs.api.spi.Frame;
import org.jlvs.packet.Bytes;
import org.jlvs.packet.Checksums6;
import org.jlvs.packet.Ethernet;
import org.jlvs.packet.FrameCheck6;
import org.jlvs.packet.Ipv6;
import org.jlvs.packet.Ipv6Headers;
import org.jlvs.packet.Tcp;
import org.jlvs.packet.Udp;

/**
 * IPv6-in-IPv6 encapsulation, as IPVS's {@code ip_vs_tunnel_xmit_v6} writes it: an outer IPv6 header from the
 * director's own IPv6 address toward the server ({@link Frame#localHi}/{@link Frame#localLo}) to the server,
 * traffic class and hop limit copied from the inner header, flow label 0.
 * <ul>
 *   <li>IPIP: outer IPv6 with next header 41 (IPv6) + inner packet: 40 bytes of overhead.</li>
 *   <li>GUE: outer IPv6 with next header 17 + UDP to the server's tunnel port + a 4-byte GUE version 0 header
 *   whose next protocol is 41 + inner packet: 52 bytes. Unlike the IPv4 GUE path (checksum 0, IPVS's
 *   --tun-nocsum default) the UDP checksum is computed: a zero UDP checksum over IPv6 is only accepted by
 *   receivers configured for it (RFC 6936; a fou device without udp6zerocsumrx drops it).</li>
 * </ul>
 *
 * <p>IPv6 routers never fragment (RFC 8200 §5), so a packet that would exceed {@link Frame#mtu} once wrapped is
 * refused whatever its flags, with {@link Frame#tooBigMtu} = MTU - overhead, and the core answers the client with
 * ICMPv6 Packet Too Big. When the MTU left inside the tunnel is below IPv6's minimum of 1,280 bytes the packet is
 * dropped with no such answer (tooBigMtu stays 0), as {@code __ip_vs_get_out_rt_v6} drops it: a Packet Too Big
 * below 1,280 is discarded by its receiver (RFC 8201 §4).
 */
final class Ipv6Tunnel {
    static final int IPIP_OVERHEAD = Ipv6.HEADER_LENGTH;
    static final int GUE_OVERHEAD = Ipv6.HEADER_LENGTH + Udp.HEADER_LENGTH + TunForwarder.GUE_HEADER_LENGTH;

    private Ipv6Tunnel() {}

    static int overhead(TunnelType type) {
        return type == TunnelType.GUE ? GUE_OVERHEAD : IPIP_OVERHEAD;
    }

    /**
     * Wraps the IPv6 packet of the frame for the server at dstHi/dstLo, moving {@link Frame#ipOffset} back.
     *
     * @return false (the packet untouched) to drop it: no local IPv6 address, not a whole IPv6 packet, too big
     *     (with {@link Frame#tooBigMtu} set when the client can be told), or no room in the frame
     */
    static boolean wrap(Frame frame, TunnelType type, int tunnelPort, long dstHi, long dstLo) {
        if (frame.localHi == 0 && frame.localLo == 0) return false; // no source for the outer header
        byte[] b = frame.data;
        int inner = frame.ipOffset;
        if (frame.ipLength < Ipv6.HEADER_LENGTH) return false;
        // The payload length says where the packet ends: Ethernet padding after it is not carried.
        int length = Ipv6.HEADER_LENGTH + Ipv6.payloadLength(b, inner);
        if (length > frame.ipLength) return false;
        int overhead = overhead(type);
        if (frame.mtu > 0 && length + overhead > frame.mtu) {
            if (frame.mtu - overhead >= Ipv6.MIN_MTU) frame.tooBigMtu = frame.mtu - overhead;
            return false;
        }
        int payload = length + overhead - Ipv6.HEADER_LENGTH;
        if (payload > Ipv6.MAX_PAYLOAD_LENGTH) return false;
        int outer = inner - overhead;
        if (outer < Ethernet.HEADER_LENGTH) {
            // Frame.HEADROOM leaves too little room before the packet for the Ethernet header and 52 bytes of GUE:
            // the packet moves forward (a copy within the array, no allocation) when the frame has room after it.
            int shift = Ethernet.HEADER_LENGTH - outer;
            if (inner + length + shift > b.length) return false;
            System.arraycopy(b, inner, b, inner + shift, length);
            inner += shift;
            outer += shift;
        }
        int next = Ipv6.NEXT_IPV6;
        if (type == TunnelType.GUE) {
            int udp = outer + Ipv6.HEADER_LENGTH;
            Udp.writeHeader(b, udp, sourcePort(b, inner, length), tunnelPort, payload);
            // GUE: version 0, C = 0, hlen 0 (no options) | proto/ctype = IPv6 | flags 0
            Bytes.put32(b, udp + Udp.HEADER_LENGTH, Ipv6.NEXT_IPV6 << 16);
            next = Ipv6.NEXT_UDP;
        }
        Ipv6.writeHeader(b, outer, Ipv6.trafficClass(b, inner), 0, payload, next, Ipv6.hopLimit(b, inner),
                frame.localHi, frame.localLo, dstHi, dstLo);
        if (type == TunnelType.GUE) Checksums6.completeL4Checksum(b, outer, outer + Ipv6.HEADER_LENGTH, Ipv6.NEXT_UDP);
        frame.ipOffset = outer;
        frame.ipLength = length + overhead;
        return true;
    }

    /**
     * A GUE source port that is the same for every packet of a flow (addresses, next protocol and, for TCP and
     * UDP that is no fragment, the ports) and spreads flows over the ephemeral range.
     */
    static int sourcePort(byte[] b, int ip, int length) {
        int h = half(Ipv6.srcHi(b, ip)) * 0x9E3779B1 ^ half(Ipv6.srcLo(b, ip));
        h = h * 0x85EBCA6B ^ half(Ipv6.dstHi(b, ip));
        h = h * 0xC2B2AE35 ^ half(Ipv6.dstLo(b, ip));
        long walk = FrameCheck6.inspectIpv6(b, ip, length);
        int protocol = Ipv6Headers.protocol(walk);
        h = h * 0x27D4EB2F ^ protocol;
        if (Ipv6Headers.reason(walk) == FrameCheck6.OK
                && (protocol == Ipv6.NEXT_TCP || protocol == Ipv6.NEXT_UDP)) {
            int l4 = Ipv6Headers.l4Offset(walk, ip);
            h = h * 0x165667B1 ^ (Tcp.srcPort(b, l4) << 16 | Tcp.dstPort(b, l4));
        }
        return TunForwarder.ephemeralPort(h);
    }

    private static int half(long v) {
        return (int) (v >>> 32) ^ (int) v;
    }
}
