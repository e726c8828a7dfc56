package org.jlvs.forward.nat.internal;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.spi.Forwarder;
import org.jlvs.api.spi.Frame;
import org.jlvs.api.spi.RealServer;
import org.jlvs.packet.Ipv4;
import org.jlvs.packet.Ipv6;
import org.jlvs.packet.Nat;
import org.jlvs.packet.Tcp;
import org.osgi.service.component.annotations.Component;

/**
 * VS/NAT ("Masq"): requests get the real server's address and port as destination, replies get the virtual
 * address and port as source; IP and TCP/UDP checksums are updated incrementally (RFC 1624).
 *
 * <p>IPv6 (version nibble 6) the same way with the server's {@link RealServer#address6()} and, for replies, the
 * virtual address in {@link Frame#virtualHi}/{@link Frame#virtualLo}; there is no IP header checksum, and the
 * TCP/UDP header is found behind any extension headers ({@link Nat6}). A v4 packet for a v6 server or the
 * reverse is refused: jlvs does not translate between families. The hop limit is left alone, as the IPv4 path
 * leaves the TTL (neither forwarder decrements it).
 */
@Component(service = Forwarder.class, property = Forwarder.PROPERTY + "=masq")
public class NatForwarder implements Forwarder {

    @Override
    public ForwardMethod method() {
        return ForwardMethod.MASQ;
    }

    @Override
    public int toRealServer(Frame frame, RealServer server, int localAddress) {
        byte[] b = frame.data;
        int ip = frame.ipOffset;
        Ip6Address address6 = server.address6();
        if (Ipv6.version(b, ip) == Ipv6.VERSION) return address6 == null ? 0 : toRealServer6(frame, server, address6);
        if (address6 != null) return 0;
        // A server without a port (persistent port-0 services) keeps the packet's port.
        int port = server.port() != 0 ? server.port() : Tcp.dstPort(b, ip + Ipv4.headerLength(b, ip));
        return Nat.rewriteDestination(b, ip, server.address(), port) ? server.address() : 0;
    }

    private static int toRealServer6(Frame frame, RealServer server, Ip6Address address6) {
        byte[] b = frame.data;
        int ip = frame.ipOffset;
        int port = server.port() != 0 ? server.port() : Nat6.dstPort(b, ip, frame.ipLength);
        if (port < 0 || !Nat6.rewriteDestination(b, ip, frame.ipLength, address6.hi(), address6.lo(), port)) return 0;
        return nextHop6(server);
    }

    /** Any value but 0 delivers an IPv6 packet to the server's own address: its fold, unless that is 0. */
    static int nextHop6(RealServer server) {
        return server.address() != 0 ? server.address() : 1;
    }

    @Override
    public boolean toClient(Frame frame, int virtualAddress, int virtualPort) {
        byte[] b = frame.data;
        int ip = frame.ipOffset;
        if (Ipv6.version(b, ip) == Ipv6.VERSION) {
            return Nat6.rewriteSource(b, ip, frame.ipLength, frame.virtualHi, frame.virtualLo, virtualPort);
        }
        return Nat.rewriteSource(b, ip, virtualAddress, virtualPort);
    }
}
