package org.jlvs.api;

/**
 * A frame under processing, handed to forwarders. The bytes of the IPv4 packet are
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

    public Frame(int capacity) {
        this.data = new byte[capacity];
    }
}
