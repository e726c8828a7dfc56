package org.jlvs.core.internal;

import org.jlvs.api.spi.PacketIo;

/** An interface the director uses: its channel, MAC, own IPv4 address and prefix, and neighbour cache. */
final class Link {
    final String name;
    /** Replaced, never null, when the director changes to another PacketIo (the rest of the link stays). */
    volatile PacketIo.Channel channel;
    final long mac;
    /** The director's own IPv4 address on this interface (0 if none): source of ARP requests and tunnels. */
    final int address;
    final int prefixLength;
    final Neighbours neighbours;

    Link(String name, PacketIo.Channel channel, long mac, int address, int prefixLength, Neighbours neighbours) {
        this.name = name;
        this.channel = channel;
        this.mac = mac;
        this.address = address;
        this.prefixLength = prefixLength;
        this.neighbours = neighbours;
    }

    boolean onLink(int ip) {
        if (address == 0 || prefixLength == 0) return false;
        int mask = prefixLength == 32 ? -1 : ~(-1 >>> prefixLength);
        return (ip & mask) == (address & mask);
    }
}
