package org.jlvs.core.internal;

import org.jlvs.api.PacketIo;

/**
 * How to reach an address: the interface to send on, the director's own address there, and the neighbour
 * (the address itself when on-link, else the gateway) whose MAC the frame is sent to.
 */
final class NextHop {
    final PacketIo.Channel channel;
    final long channelMac;
    final int localAddress;
    final Neighbours.Entry neighbour;

    NextHop(PacketIo.Channel channel, long channelMac, int localAddress, Neighbours.Entry neighbour) {
        this.channel = channel;
        this.channelMac = channelMac;
        this.localAddress = localAddress;
        this.neighbour = neighbour;
    }
}
