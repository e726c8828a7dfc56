package org.jlvs.core.internal;

/** How to reach an IPv6 real server: the interface, the neighbour entry whose MAC frames go to, the MTU. */
final class NextHop6 {
    final Link link;
    final Neighbours6.Entry neighbour;
    /** The MTU of the interface (0 if unknown). */
    final int mtu;

    NextHop6(Link link, Neighbours6.Entry neighbour, int mtu) {
        this.link = link;
        this.neighbour = neighbour;
        this.mtu = mtu;
    }
}
