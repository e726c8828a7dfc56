package org.jlvs.core.internal;

/**
 * A packet's 5-tuple as the connection table looks it up: (protocol, source address and port, destination
 * address and port). From the client side it is (client, VIP); from the real-server side (server, client).
 * A receive thread keeps one {@link Probe} and sets it for every packet, so a lookup allocates nothing.
 */
class ConnKey {
    int protocol;
    int address1;
    int port1;
    int address2;
    int port2;

    final void set(int protocol, int address1, int port1, int address2, int port2) {
        this.protocol = protocol;
        this.address1 = address1;
        this.port1 = port1;
        this.address2 = address2;
        this.port2 = port2;
    }

    /** The mutable key a thread reuses for lookups. */
    static final class Probe extends ConnKey {
    }

    // ---- hashing (seeded per table, so that crafted flows cannot aim at one chain) ----

    /** Where a 5-tuple sits in an index: low bits give the cell, the top 7 bits the tag kept in the cell. */
    static int hash(int protocol, int address1, int port1, int address2, int port2, long seed) {
        long a = ((address1 & 0xffffffffL) << 32) | (address2 & 0xffffffffL);
        long b = ((long) (port1 & 0xffff) << 24) | ((long) (port2 & 0xffff) << 8) | (protocol & 0xff);
        return (int) mix(a * 0x9E3779B97F4A7C15L + (b ^ seed));
    }

    /**
     * The segment of a connection: from its client address and port only, which a request (source) and a
     * NAT reply (destination) both carry, so that both lookups of one connection take the same lock.
     */
    static int segmentHash(int protocol, int clientAddress, int clientPort, long seed) {
        long a = ((clientAddress & 0xffffffffL) << 24) | ((long) (clientPort & 0xffff) << 8) | (protocol & 0xff);
        return (int) (mix(a ^ seed * 0xC2B2AE3D27D4EB4FL) >>> 32);
    }

    /** The murmur3 64-bit finaliser. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
