package org.jlvs.scheduler.lblc.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

import org.jlvs.api.spi.Flow;
import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.spi.VirtualService;
import org.jlvs.scheduler.support.LeastLoad;
import org.jlvs.scheduler.support.LocalityTable;
import org.jlvs.scheduler.support.ServerKey;

/**
 * ip_vs_lblc.c: a cache from the packet's destination address (the virtual address here, as in IPVS) to the
 * server last chosen for it. The cached server is kept unless it is gone, quiesced, overloaded, or has more
 * active connections than its weight while some server has fewer than half its weight; then wlc picks again
 * and the cache follows. Entries idle for the expiration time (24 h) are collected, see {@link LocalityTable}
 * (constants: 60 s check period, full check every 30 periods, 6 min idle for collection above 16384 entries).
 * <p>
 * One deliberate difference: the kernel does not test the threshold flag (IP_VS_DEST_F_OVERLOAD) of a
 * cached server; here a server over its upper threshold gets no new connections from any scheduler.
 */
final class LocalityLeastConnectionBinding implements Scheduler.Binding {
    static final class Entry extends LocalityTable.Entry {
        RealServer dest;

        Entry(int address, long now, RealServer dest) {
            super(address, now);
            this.dest = dest;
        }
    }

    private final VirtualService service;
    private final LongSupplier clock;
    private final LocalityTable<Entry> cache;
    private List<? extends RealServer> servers;

    LocalityLeastConnectionBinding(VirtualService service, LongSupplier clock, long expirationMs) {
        this.service = service;
        this.clock = clock;
        this.cache = new LocalityTable<>(expirationMs, clock.getAsLong());
        this.servers = service.realServers();
    }

    @Override
    public synchronized RealServer schedule(Flow flow) {
        List<? extends RealServer> list = current();
        long now = clock.getAsLong();
        cache.maintain(now);
        int daddr = flow.virtualAddress();
        Entry en = cache.get(daddr);
        if (en != null) {
            en.lastUse = now;
            RealServer d = en.dest;
            if (d.available() && !LeastLoad.localityOverloaded(d, list)) return d;
        }
        RealServer d = LeastLoad.weightedLeastConnection(list);
        if (d == null) return null;
        if (en != null) en.dest = d;
        else cache.put(new Entry(daddr, now, d));
        return d;
    }

    @Override
    public synchronized void update() {
        current();
    }

    @Override
    public synchronized void unbind() {
        cache.removeIf(e -> true);
    }

    synchronized int cacheSize() {
        return cache.size();
    }

    /** The current list; after a change, cache entries follow their server's new object or are dropped. */
    private List<? extends RealServer> current() {
        List<? extends RealServer> now = service.realServers();
        if (now != servers) {
            Map<Object, RealServer> byKey = new HashMap<>();
            for (RealServer s : now) byKey.put(ServerKey.identity(s), s);
            cache.removeIf(e -> (e.dest = byKey.get(ServerKey.identity(e.dest))) == null);
            servers = now;
        }
        return now;
    }
}
