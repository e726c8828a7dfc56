package org.jlvs.forward.tun.internal;

import java.util.concurrent.atomic.AtomicInteger;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.spi.Forwarder;
import org.jlvs.api.spi.Frame;
import org.jlvs.api.spi.RealServer;
import org.jlvs.api.TunnelType;
import org.jlvs.packet.Bytes;
import org.jlvs.packet.Ethernet;
import org.jlvs.packet.Ipv4;
import org.jlvs.packet.Ipv6;
import org.jlvs.packet.Tcp;
import org.jlvs.packet.Udp;
import org.osgi.service.component.annotations.Component;

/**
 * VS/TUN ("Tunnel", ipvsadm -i): the client's packet, unchanged, is wrapped in an outer IPv4 header from the
 * director's address toward the real server to the real server, as IPVS's {@code ip_vs_tunnel_xmit} does:
 * TOS and TTL copied from the inner header, DF copied (path MTU discovery), identification 0 when DF is set.
 * <ul>
 *   <li>IPIP (IP protocol 4): outer IPv4 + inner packet.</li>
 *   <li>GUE (--tun-type gue --tun-port P): outer IPv4 + UDP to port P (checksum 0, IPVS's --tun-nocsum
 *   default; source port a hash of the inner flow, as {@code udp_flow_src_port}) + a 4-byte GUE version 0
 *   header whose next protocol is IPIP + inner packet.</li>
 * </ul>
 * The real server decapsulates (a kernel tunl0/fou device, or jlvs's tools/tunnel-endpoint) and replies to
 * the client directly. An inner packet with DF set that would exceed the MTU once wrapped is refused with
 * {@link Frame#tooBigMtu} = MTU - overhead, so the client gets ICMP "fragmentation needed" as from IPVS.
 *
 * <p>An IPv6 packet (version nibble 6) for an IPv6 server is wrapped in IPv6 ({@link Ipv6Tunnel}, IPIP or GUE):
 * above the MTU once wrapped it is always refused with {@link Frame#tooBigMtu}, for IPv6 routers never fragment.
 * IPv4-in-IPv6 and IPv6-in-IPv4 (which IPVS allows) are refused: the real server must be of the client's family.
 */
@Component(service = Forwarder.class, property = Forwarder.PROPERTY + "=tunnel")
public class TunForwarder implements Forwarder {
    private static final int PROTO_IPIP = Ipv4.PROTO_IPIP;
    static final int GUE_HEADER_LENGTH = 4;
    /** Linux's default ip_local_port_range, which udp_flow_src_port draws GUE source ports from. */
    private static final int SOURCE_PORT_MIN = 32768, SOURCE_PORT_MAX = 60999;

    /** Outer identification of packets that may be fragmented (DF clear); shared by the receive threads. */
    private final AtomicInteger ids = new AtomicInteger();

    @Override
    public ForwardMethod method() {
        return ForwardMethod.TUNNEL;
    }

    @Override
    public int toRealServer(Frame frame, RealServer server, int localAddress) {
        Ip6Address address6 = server.address6();
        if (Ipv6.version(frame.data, frame.ipOffset) == Ipv6.VERSION) {
            if (address6 == null) return 0; // IPv6-in-IPv4: not done
            if (!Ipv6Tunnel.wrap(frame, server.tunnelType(), server.tunnelPort(), address6.hi(), address6.lo())) {
                return 0;
            }
            // Any value but 0 delivers to the server's own IPv6 address: its fold, unless that is 0.
            return server.address() != 0 ? server.address() : 1;
        }
        if (address6 != null) return 0; // IPv4-in-IPv6: not done
        if (localAddress == 0) return 0; // no address of ours toward the server: the outer header has no source
        byte[] b = frame.data;
        int inner = frame.ipOffset;
        int length = frame.ipLength;
        TunnelType type = server.tunnelType();
        int overhead = type.overhead();
        boolean df = Ipv4.dontFragment(b, inner);
        if (df && frame.mtu > 0 && length + overhead > frame.mtu) {
            frame.tooBigMtu = frame.mtu - overhead;
            return 0;
        }
        int outer = inner - overhead;
        if (outer < Ethernet.HEADER_LENGTH || length + overhead > Ipv4.MAX_TOTAL_LENGTH) return 0;
        int protocol = PROTO_IPIP;
        if (type == TunnelType.GUE) {
            int udp = outer + Ipv4.MIN_HEADER_LENGTH;
            Udp.writeHeader(b, udp, sourcePort(b, inner), server.tunnelPort(),
                    Udp.HEADER_LENGTH + GUE_HEADER_LENGTH + length);
            // GUE: version 0, C = 0, hlen 0 (no options) | proto/ctype = IPIP | flags 0
            Bytes.put32(b, udp + Udp.HEADER_LENGTH, PROTO_IPIP << 16);
            protocol = Ipv4.PROTO_UDP;
        }
        int id = df ? 0 : ids.getAndIncrement() & 0xffff;
        Ipv4.writeHeader(b, outer, Ipv4.tos(b, inner), length + overhead, id, df, Ipv4.ttl(b, inner), protocol,
                localAddress, server.address());
        frame.ipOffset = outer;
        frame.ipLength = length + overhead;
        return server.address();
    }

    /**
     * A GUE source port that is the same for every packet of a flow (so that the server's receive-side
     * scaling and any ECMP keep a flow on one path) and spreads flows over the ephemeral range.
     */
    static int sourcePort(byte[] b, int ip) {
        int h = Ipv4.src(b, ip) * 0x9E3779B1 ^ Ipv4.dst(b, ip);
        int protocol = Ipv4.protocol(b, ip);
        h = h * 0x85EBCA6B ^ protocol;
        if ((protocol == Ipv4.PROTO_TCP || protocol == Ipv4.PROTO_UDP) && !Ipv4.isFragment(b, ip)) {
            int l4 = Ipv4.payloadOffset(b, ip);
            h = h * 0xC2B2AE35 ^ (Tcp.srcPort(b, l4) << 16 | Tcp.dstPort(b, l4));
        }
        return ephemeralPort(h);
    }

    /** A flow's hash finished and mapped onto the ephemeral port range. */
    static int ephemeralPort(int hash) {
        int h = hash;
        h ^= h >>> 16;
        h *= 0x7FEB352D;
        h ^= h >>> 15;
        return SOURCE_PORT_MIN + (int) (((h & 0xffffffffL) * (SOURCE_PORT_MAX - SOURCE_PORT_MIN)) >>> 32);
    }
}
