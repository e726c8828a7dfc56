package org.jlvs.core.internal;

/**
 * How to reach an address: the interface to send on (its MAC and the director's own address there are the
 * link's), the neighbour (the address itself when on-link, else the gateway) whose MAC the frame is sent to, and
 * the interface's MTU.
 */
final class NextHop {
    /** The interface; its channel is read at each send, so that a change of PacketIo reaches every hop. */
    final Link link;
    final Neighbours.Entry neighbour;
    /** The MTU of the interface (0 if unknown): what forwarders may send without fragmenting. */
    final int mtu;

    NextHop(Link link, Neighbours.Entry neighbour, int mtu) {
        this.link = link;
        this.neighbour = neighbour;
        this.mtu = mtu;
    }
}
