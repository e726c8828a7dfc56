package org.jlvs.scheduler.mh.internal;

import java.util.List;

import org.jlvs.api.spi.Flow;
import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.SchedulerFlags;
import org.jlvs.api.spi.VirtualService;
import org.jlvs.scheduler.support.Weights;

/**
 * ip_vs_mh.c. Each server has a permutation of the M table slots, from {@code offset = hash1(addr, port) % M}
 * and {@code skip = hash2(addr, port) % (M - 1) + 1}; in list order the servers take turns claiming their
 * next free slot, {@code turns = ((last_weight / gcd) >> rshift) ?: (last_weight != 0)} slots per turn, until
 * the table is full. The table is built from the <em>last</em> weight, so a server quiesced to weight 0 keeps
 * its slots (its flows get null, or the next probe's server with mh-fallback) and a server added with weight
 * 0 gets none. A flow's slot is {@code hash1(client address, client port or 0) % M}.
 * The hash is the kernel's hsiphash with its fixed keys, so slots match a Linux director's.
 * Lookups read an immutable table without locking; it is rebuilt when servers or weights change.
 */
final class MaglevBinding implements Scheduler.Binding {
    // generate_hash_secret(): both key words are the same constant.
    private static final long HASH1 = 2654435761L;
    private static final long HASH2 = 2654446892L;

    private record Table(List<? extends RealServer> servers, RealServer[] lookup) {}

    private final VirtualService service;
    private final int size;
    private final int tabBits; // IP_VS_MH_TAB_BITS = CONFIG_IP_VS_MH_TAB_INDEX / 2
    private volatile Table table;

    MaglevBinding(VirtualService service, int size) {
        int index = MaglevScheduler.tabIndex(size);
        if (index < 0) throw new IllegalArgumentException("bad mh table size " + size);
        this.service = service;
        this.size = size;
        this.tabBits = (index + 8) / 2;
        this.table = new Table(service.realServers(), populate(service.realServers()));
    }

    @Override
    public RealServer schedule(Flow flow) {
        Table t = table;
        if (t.servers != service.realServers()) t = rebuild(false);
        int flags = service.schedulerFlags();
        int port = (flags & SchedulerFlags.MH_PORT) != 0 ? flow.clientPort() : 0;
        int addr = flow.clientAddress();
        RealServer[] lookup = t.lookup;
        int ihash = slot(addr, port, 0);
        RealServer d = lookup[ihash];
        if (d == null) return null;
        if (d.available()) return d;
        if ((flags & SchedulerFlags.MH_FALLBACK) == 0) return null;
        // ip_vs_mh_get_fallback: rehash with offsets ihash, ihash + 1, ... until an available server.
        for (int offset = 0; offset < size; offset++) {
            int roffset = (int) (((long) offset + ihash) % size);
            d = lookup[slot(addr, port, roffset)];
            if (d == null) break;
            if (d.available()) return d;
        }
        return null;
    }

    @Override
    public void update() {
        rebuild(true);
    }

    /** The table size M. */
    int size() {
        return size;
    }

    /** The server of each slot (for tests). */
    RealServer[] lookup() {
        return table.lookup.clone();
    }

    /** {@code hash1(offset + port + addr) % M}, the slot of a flow or a fallback probe. */
    int slot(int addr, int port, int offset) {
        return Integer.remainderUnsigned(HalfSipHash.hash(offset + port + addr, HASH1, HASH1), size);
    }

    private synchronized Table rebuild(boolean force) {
        List<? extends RealServer> list = service.realServers();
        Table t = table;
        if (force || t.servers != list) table = t = new Table(list, populate(list));
        return t;
    }

    private RealServer[] populate(List<? extends RealServer> list) {
        RealServer[] lookup = new RealServer[size];
        int gcd = Weights.gcdOfLastWeights(list);
        if (gcd < 1) return lookup; // no server, or none ever had a weight: every lookup gives null
        int rshift = Math.max(0, fls(Weights.maxLastWeight(list) / gcd) - tabBits);
        int n = list.size();
        int[] skip = new int[n];
        int[] next = new int[n];
        int[] turns = new int[n];
        for (int i = 0; i < n; i++) {
            RealServer d = list.get(i);
            next[i] = Integer.remainderUnsigned(HalfSipHash.hash(d.port() + d.address(), HASH1, HASH1), size);
            skip[i] = Integer.remainderUnsigned(HalfSipHash.hash(d.port() + d.address(), HASH2, HASH2), size - 1) + 1;
            int lw = d.lastWeight();
            int t = (lw / gcd) >> rshift;
            turns[i] = t != 0 ? t : (lw != 0 ? 1 : 0);
        }
        boolean[] taken = new boolean[size];
        int filled = 0;
        int turnCount = 0;
        while (true) {
            for (int i = 0; i < n; ) {
                if (turns[i] < 1) { // added with weight 0: no slots
                    i++;
                    continue;
                }
                int c = next[i];
                while (taken[c]) {
                    c += skip[i];
                    if (c >= size) c -= size;
                }
                next[i] = c;
                taken[c] = true;
                lookup[c] = list.get(i);
                if (++filled == size) return lookup;
                if (++turnCount >= turns[i]) {
                    turnCount = 0;
                    i++;
                }
            }
        }
    }

    /** Linux fls(): position of the highest set bit, 1-based; 0 for 0. */
    private static int fls(int x) {
        return 32 - Integer.numberOfLeadingZeros(x);
    }
}
