package org.jlvs.sync.internal;

import java.net.InetAddress;
import java.util.List;

/**
 * The full resync between jlvs directors (beyond IPVS): a backup that starts, or that hears a master it has not
 * resynced from, connects to the master's TCP {@code port} and reads its whole table.
 *
 * @param enabled    master: serve resyncs; backup: ask for them
 * @param port       TCP port of the master's resync server
 * @param peer       backup: the master to ask at start (null: the source of the first valid sync datagram)
 * @param allow      networks a resync peer must be in (empty: the sync interface's own network)
 * @param maxEntries the most entries a backup takes from one resync (what a peer can make it install)
 * @param timeoutMillis the longest a resync may take, either side
 */
record ResyncSettings(boolean enabled, int port, InetAddress peer, List<Cidr> allow, long maxEntries, long timeoutMillis) {
    static final int DEFAULT_PORT = 8848;
    /** Sessions a master serves at once; more are refused (counted). */
    static final int MAX_SESSIONS = 2;

    ResyncSettings {
        if (port < 1 || port > 65535) throw new IllegalArgumentException("resync.port: must be 1..65535: " + port);
        if (maxEntries < 1) throw new IllegalArgumentException("resync.max.entries: must be at least 1: " + maxEntries);
        if (timeoutMillis < 1000) throw new IllegalArgumentException("resync.timeout: must be at least 1 s");
        allow = List.copyOf(allow);
    }

    static ResyncSettings off() {
        return new ResyncSettings(false, DEFAULT_PORT, null, List.of(), 1, 1000);
    }

    /** Whether {@code a} may take part in a resync with a daemon on {@code local}. */
    boolean allowed(InetAddress a, LocalInterface local) {
        if (allow.isEmpty()) return local.network().contains(a) || a.equals(peer);
        for (Cidr c : allow) if (c.contains(a)) return true;
        return a.equals(peer);
    }
}
