package org.jlvs.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

import org.jlvs.api.Ip4;
import org.jlvs.packet.Ethernet;

/**
 * The MAC addresses of the next hops on one interface. Entries are created when a route needs them, filled
 * from the host's neighbour table (/proc/net/arp) or by our own ARP requests, and refreshed from every ARP
 * packet their owner sends. Unknown senders are not learnt, so an ARP flood cannot grow the table.
 */
final class Neighbours {
    static final long UNKNOWN = -1;

    /** One neighbour; the data path reads {@link #mac} without locks. */
    static final class Entry {
        final int address;
        volatile long mac = UNKNOWN;
        volatile long confirmedAtNanos;

        Entry(int address) {
            this.address = address;
        }
    }

    private final String interfaceName;
    private final ConcurrentHashMap<Integer, Entry> entries = new ConcurrentHashMap<>();
    /**
     * The entries again, for the receive thread's lookup by a primitive key (the map's get boxes the address:
     * 16 bytes per ARP frame). Replaced, never changed, when an entry is added (rare: a new server or gateway).
     */
    private volatile Entry[] snapshot = new Entry[0];
    private final Path procArp;

    Neighbours(String interfaceName, Path procArp) {
        this.interfaceName = interfaceName;
        this.procArp = procArp;
    }

    /** The entry for {@code address}, created (and looked up in the host's table) if new. */
    Entry entry(int address) {
        Entry known = entries.get(address);
        if (known != null) return known;
        synchronized (entries) {
            Entry e = entries.computeIfAbsent(address, a -> {
                Entry n = new Entry(a);
                long mac = fromHostTable(a);
                if (mac != UNKNOWN) {
                    n.mac = mac;
                    n.confirmedAtNanos = System.nanoTime();
                }
                return n;
            });
            snapshot = entries.values().toArray(new Entry[0]);
            return e;
        }
    }

    /** Up to how many entries {@link #prime} creates: sync messages name clients, the table must stay bounded. */
    static final int MAX_PRIMED = 1024;

    /**
     * The entry for {@code address} if it is new (created as by {@link #entry}), null when it existed or the
     * table holds {@link #MAX_PRIMED} entries already.
     */
    Entry prime(int address) {
        if (entries.containsKey(address) || entries.size() >= MAX_PRIMED) return null;
        return entry(address);
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
            e.confirmedAtNanos = System.nanoTime();
        }
    }

    Iterable<Entry> entries() {
        return entries.values();
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
