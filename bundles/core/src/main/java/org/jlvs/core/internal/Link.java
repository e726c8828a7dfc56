package org.jlvs.core.internal;

import org.jlvs.api.spi.PacketIo;

/**
 * An interface the director uses: its channel, MAC, own IPv4 address and prefix, its first global IPv6 address,
 * prefix and link-local address, and its neighbour caches (ARP and IPv6 Neighbour Discovery).
 */
final class Link {
    final String name;
    /** Replaced, never null, when the director changes to another PacketIo (the rest of the link stays). */
    volatile PacketIo.Channel channel;
    final long mac;
    /** The director's own IPv4 address on this interface (0 if none): source of ARP requests and tunnels. */
    final int address;
    final int prefixLength;
    final Neighbours neighbours;
    /** The first global IPv6 address (both halves 0 if none): the source of Neighbour Solicitations. */
    final long address6Hi, address6Lo;
    /** Its prefix length (0 if none): real servers within it are on this link. */
    final int prefix6;
    /** The link-local address (fe80::/10; both 0 if none). */
    final long linkLocalHi, linkLocalLo;
    final Neighbours6 neighbours6;

    Link(String name, PacketIo.Channel channel, long mac, int address, int prefixLength, Neighbours neighbours) {
        this(name, channel, mac, address, prefixLength, neighbours, 0, 0, 0, 0, 0);
    }

    Link(String name, PacketIo.Channel channel, long mac, int address, int prefixLength, Neighbours neighbours,
         long address6Hi, long address6Lo, int prefix6, long linkLocalHi, long linkLocalLo) {
        this.address6Hi = address6Hi;
        this.address6Lo = address6Lo;
        this.prefix6 = prefix6;
        this.linkLocalHi = linkLocalHi;
        this.linkLocalLo = linkLocalLo;
        this.neighbours6 = new Neighbours6(name);
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

    boolean hasAddress6() {
        return address6Hi != 0 || address6Lo != 0;
    }

    /** Whether the IPv6 address hi/lo is within this link's global prefix. */
    boolean onLink6(long hi, long lo) {
        if (!hasAddress6() || prefix6 == 0) return false;
        return org.jlvs.api.Ip6Address.maskHi(hi, prefix6) == org.jlvs.api.Ip6Address.maskHi(address6Hi, prefix6)
                && org.jlvs.api.Ip6Address.maskLo(lo, prefix6) == org.jlvs.api.Ip6Address.maskLo(address6Lo, prefix6);
    }
}
