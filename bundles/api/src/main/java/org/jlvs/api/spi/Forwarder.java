package org.jlvs.api.spi;

import org.jlvs.api.ForwardMethod;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One forwarding method (ipvsadm -m, -g, -i), registered with {@code lvs.forward=masq|route|tunnel}.
 * It rewrites the IPv4 or IPv6 packet in place (the version nibble says which; an IPv6 server's address is
 * {@link RealServer#address6()}); the core chooses the interface and writes the Ethernet header.
 * The core hands over packets whose transport checksum is complete, so incremental updates are correct.
 */
@ConsumerType
public interface Forwarder {
    String PROPERTY = "lvs.forward";

    ForwardMethod method();

    /**
     * Rewrites a client's packet to the virtual service for delivery to {@code server}.
     *
     * @param localAddress the director's own address on the interface toward the server (a tunnel's source)
     * @return the next-hop IPv4 address to deliver to (normally the server; for an IPv6 packet any value but 0
     *     delivers to the server's own IPv6 address), or 0 to drop the packet (with
     *     {@link Frame#tooBigMtu} set: to answer "fragmentation needed")
     */
    int toRealServer(Frame frame, RealServer server, int localAddress);

    /**
     * Rewrites a real server's reply that passes back through the director (NAT only) so that it comes from
     * the virtual address and port. For an IPv6 reply {@code virtualAddress} is 0 and the virtual address is in
     * {@link Frame#virtualHi} and {@link Frame#virtualLo}.
     *
     * @return false to drop the packet
     */
    default boolean toClient(Frame frame, int virtualAddress, int virtualPort) {
        return false;
    }
}
