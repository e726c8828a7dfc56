package org.jlvs.api.spi;

/**
 * A frame under processing, handed to forwarders. The bytes of the IPv4 or IPv6 packet are
 * {@code data[ipOffset, ipOffset + ipLength)}; the bytes before {@code ipOffset} are headroom in which the
 * core writes the Ethernet header after forwarding, and in which a tunnel may prepend an outer header
 * (moving {@code ipOffset} back). One Frame is reused for every packet of a receive thread.
 */
public final class Frame {
    /** Bytes reserved before the Ethernet header for encapsulation (outer IPv4 + UDP + GUE, with room). */
    public static final int HEADROOM = 64;

    public final byte[] data;
    public int ipOffset;
    public int ipLength;

    /**
     * The MTU of the interface the rewritten packet leaves on, set by the core before
     * {@link Forwarder#toRealServer}; 0 when unknown (no limit). The core fragments a larger result whose DF
     * bit is clear and drops one whose DF bit is set.
     */
    public int mtu;

    /**
     * Set by a forwarder that refuses a packet because, with DF set, it would exceed {@link #mtu} after the
     * rewrite (IPVS's {@code ensure_mtu_is_adequate}): the forwarder leaves the packet unchanged and returns 0,
     * and the core answers the client with ICMP "fragmentation needed" advertising this MTU. The core sets it
     * to 0 before each call.
     */
    public int tooBigMtu;

    /**
     * For an IPv6 packet handed to {@link Forwarder#toClient}: the virtual IPv6 address the reply must come
     * from (the int argument is then 0), set by the core before the call.
     */
    public long virtualHi, virtualLo;

    /**
     * For an IPv6 packet handed to {@link Forwarder#toRealServer}: the director's own IPv6 address on the
     * interface toward the server (an IPv6 tunnel's outer source; the int argument is then 0), set by the core.
     */
    public long localHi, localLo;

    public Frame(int capacity) {
        this.data = new byte[capacity];
    }
}
