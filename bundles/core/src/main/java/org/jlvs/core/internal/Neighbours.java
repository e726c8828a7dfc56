package org.jlvs.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.jlvs.api.Ip4;
import org.jlvs.packet.Ethernet;

/**
 * The MAC addresses of the next hops on one interface. Entries are created when a route needs them, filled
 * from the host's neighbour table (/proc/net/arp) or by our own ARP requests, and refreshed from every ARP
 * packet their owner sends. Unknown senders are not learnt, so an ARP flood cannot grow the table.
 *
 * <p>Two kinds of entry. Route entries (real servers, gateways) stay. Client entries are primed: a backup learns
 * a client from a synced connection and resolves it ahead of a takeover. Those are bounded ({@link #MAX_PRIMED},
 * the least recently used one makes room), dropped after {@link #PRIMED_IDLE_NANOS} without a sync message or a
 * reply naming them, and dropped when {@link #MAX_UNANSWERED} ARP requests in a row went unanswered (the client
 * left): a departed client costs a few ARP requests, not one a second for ever.
 */
final class Neighbours {
    static final long UNKNOWN = -1;
    /** Up to how many client entries {@link #prime} keeps: sync messages name clients, the table must stay bounded. */
    static final int MAX_PRIMED = 1024;
    /** IPVS's established-TCP timeout: a synced connection can live that long on the backup without news. */
    static final long PRIMED_IDLE_NANOS = 900_000_000_000L;
    static final int MAX_UNANSWERED = 3;

    /** One neighbour; the data path reads {@link #mac} without locks. */
    static final class Entry {
        final int address;
        volatile long mac = UNKNOWN;
        volatile long confirmedAtNanos;
        /** A client entry (see the class comment); a route's need makes it a route entry for good. */
        volatile boolean primed;
        /** Client entries: the last sync message or reply that named it. */
        volatile long usedAtNanos;
        /** Client entries: ARP requests since the last answer (counted by the tick, reset by an answer). */
        int unanswered;

        Entry(int address) {
            this.address = address;
        }
    }

    private final String interfaceName;
    private final LongSupplier nanos;
    private final ConcurrentHashMap<Integer, Entry> entries = new ConcurrentHashMap<>();
    /**
     * The entries again, for the receive thread's lookup by a primitive key (the map's get boxes the address:
     * 16 bytes per ARP frame). Replaced, never changed, when an entry is added or dropped (a new server or
     * gateway, a client primed: rare next to frames).
     */
    private volatile Entry[] snapshot = new Entry[0];
    private final Path procArp;
    private int primedCount; // under entries' lock

    Neighbours(String interfaceName, Path procArp) {
        this(interfaceName, procArp, System::nanoTime);
    }

    Neighbours(String interfaceName, Path procArp, LongSupplier nanos) {
        this.interfaceName = interfaceName;
        this.procArp = procArp;
        this.nanos = nanos;
    }

    /** The route entry for {@code address}, created (and looked up in the host's table) if new. */
    Entry entry(int address) {
        Entry known = entries.get(address);
        if (known == null) known = add(address, false);
        if (known.primed) {
            synchronized (entries) {
                if (known.primed) {
                    known.primed = false;
                    primedCount--;
                }
            }
        }
        return known;
    }

    /**
     * A client entry for {@code address}, for a reply toward it: the existing entry (a client one is marked
     * used), else a new client entry.
     */
    Entry forClient(int address) {
        Entry known = entries.get(address);
        if (known == null) return add(address, true);
        if (known.primed) known.usedAtNanos = nanos.getAsLong();
        return known;
    }

    /** As {@link #forClient}, but returns the entry only when it is new (its MAC is then to be asked for). */
    Entry prime(int address) {
        Entry known = entries.get(address);
        if (known != null) {
            if (known.primed) known.usedAtNanos = nanos.getAsLong();
            return null;
        }
        return add(address, true);
    }

    private Entry add(int address, boolean primed) {
        long mac = fromHostTable(address); // a file read: not under the lock
        synchronized (entries) {
            Entry known = entries.get(address);
            if (known != null) return known;
            if (primed && primedCount >= MAX_PRIMED) evictLeastRecentlyUsedClient();
            Entry n = new Entry(address);
            long now = nanos.getAsLong();
            if (mac != UNKNOWN) {
                n.mac = mac;
                n.confirmedAtNanos = now;
            }
            n.primed = primed;
            n.usedAtNanos = now;
            if (primed) primedCount++;
            entries.put(address, n);
            snapshot = entries.values().toArray(new Entry[0]);
            return n;
        }
    }

    private void evictLeastRecentlyUsedClient() {
        Entry oldest = null;
        for (Entry e : entries.values()) {
            if (e.primed && (oldest == null || e.usedAtNanos - oldest.usedAtNanos < 0)) oldest = e;
        }
        if (oldest != null) drop(oldest);
    }

    private void drop(Entry e) {
        if (entries.remove(e.address, e)) {
            if (e.primed) primedCount--;
            snapshot = entries.values().toArray(new Entry[0]);
        }
    }

    /**
     * The tick's upkeep: drops idle and unanswered client entries; returns the entries to ask for again (unknown,
     * or confirmed longer than {@code refreshNanos} ago), counting the attempt of each client entry.
     */
    List<Entry> upkeep(long refreshNanos) {
        long now = nanos.getAsLong();
        List<Entry> ask = new java.util.ArrayList<>();
        synchronized (entries) {
            for (Entry e : snapshot) {
                boolean stale = e.mac == UNKNOWN || now - e.confirmedAtNanos > refreshNanos;
                if (e.primed && (now - e.usedAtNanos > PRIMED_IDLE_NANOS || (stale && e.unanswered >= MAX_UNANSWERED))) {
                    drop(e);
                    continue;
                }
                if (!stale) continue;
                if (e.primed) e.unanswered++;
                ask.add(e);
            }
        }
        return ask;
    }

    /** An ARP packet from {@code address}: refresh its entry if we track it. */
    void learn(int address, long mac) {
        Entry e = null;
        for (Entry candidate : snapshot) {
            if (candidate.address == address) {
                e = candidate;
                break;
            }
        }
        if (e != null && mac != 0 && mac != Ethernet.BROADCAST) {
            e.mac = mac;
            e.confirmedAtNanos = nanos.getAsLong();
            e.unanswered = 0;
        }
    }

    int clients() {
        synchronized (entries) {
            return primedCount;
        }
    }

    private long fromHostTable(int address) {
        try {
            List<String> lines = Files.readAllLines(procArp);
            String ip = Ip4.toString(address);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                // IP address  HW type  Flags  HW address  Mask  Device
                String[] f = line.trim().split("\\s+");
                if (f.length >= 6 && f[0].equals(ip) && f[5].equals(interfaceName) && !"0x0".equals(f[2])) {
                    long mac = Ethernet.parseMac(f[3]);
                    if (mac != 0) return mac;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no host table (or unreadable): our own ARP request will resolve it
        }
        return UNKNOWN;
    }
}
