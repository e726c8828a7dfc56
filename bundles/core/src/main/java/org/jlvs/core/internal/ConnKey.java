package org.jlvs.core.internal;

/**
 * A 5-tuple as two longs, so that lookups compare two numbers. Instances in the table are immutable; a
 * receive thread probes with its own {@link Probe}, reused for every packet, so a lookup allocates nothing.
 */
class ConnKey {
    long addresses;
    long portsAndProtocol;

    ConnKey() {}

    ConnKey(int protocol, int address1, int port1, int address2, int port2) {
        set(protocol, address1, port1, address2, port2);
    }

    final void set(int protocol, int address1, int port1, int address2, int port2) {
        addresses = ((address1 & 0xffffffffL) << 32) | (address2 & 0xffffffffL);
        portsAndProtocol = ((long) (port1 & 0xffff) << 24) | ((long) (port2 & 0xffff) << 8) | (protocol & 0xff);
    }

    int port1() {
        return (int) (portsAndProtocol >>> 24) & 0xffff;
    }

    @Override
    public final boolean equals(Object o) {
        if (!(o instanceof ConnKey)) return false;
        ConnKey k = (ConnKey) o;
        return addresses == k.addresses && portsAndProtocol == k.portsAndProtocol;
    }

    @Override
    public final int hashCode() {
        long h = addresses * 0x9E3779B97F4A7C15L ^ portsAndProtocol * 0xC2B2AE3D27D4EB4FL;
        return (int) (h ^ (h >>> 32));
    }

    /** The mutable key a thread reuses for lookups. */
    static final class Probe extends ConnKey {
    }
}
