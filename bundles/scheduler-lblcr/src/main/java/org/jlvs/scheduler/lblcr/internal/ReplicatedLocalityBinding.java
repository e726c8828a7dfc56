package org.jlvs.scheduler.lblcr.internal;

import java.util.ArrayList;
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
 * ip_vs_lblcr.c: a cache from the packet's destination address (the virtual address here, as in IPVS) to a
 * <em>set</em> of servers. A flow goes to the least loaded member (overhead / weight, skipping quiesced and
 * overloaded ones); if there is none, or it has more active connections than its weight while some server of
 * the service has fewer than half its weight, wlc picks a server and it joins the set. When a set of more
 * than one server has not changed for the expiration time (24 h), its most loaded member is dropped. Idle
 * entries are collected as for lblc, see {@link LocalityTable} (60 s period, full check every 30 periods,
 * 6 min idle above 16384 entries). Members are kept newest first, as the kernel's list.
 * A server deleted from the service leaves every set at once (the kernel keeps it until the set is trimmed,
 * but never uses it).
 */
final class ReplicatedLocalityBinding implements Scheduler.Binding {
    static final class Entry extends LocalityTable.Entry {
        final List<RealServer> set = new ArrayList<>(2);
        long lastMod;

        Entry(int address, long now) {
            super(address, now);
        }
    }

    private final VirtualService service;
    private final LongSupplier clock;
    private final long expirationMs;
    private final LocalityTable<Entry> cache;
    private List<? extends RealServer> servers;

    ReplicatedLocalityBinding(VirtualService service, LongSupplier clock, long expirationMs) {
        this.service = service;
        this.clock = clock;
        this.expirationMs = expirationMs;
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
            RealServer dest = setMin(en.set);
            // More than one member and no change for the expiration time: drop the most loaded one.
            if (en.set.size() > 1 && now - en.lastMod > expirationMs) {
                RealServer most = setMax(en.set);
                if (most != null) {
                    en.set.remove(most);
                    en.lastMod = now;
                }
            }
            if (dest != null && !LeastLoad.localityOverloaded(dest, list)) return dest;
            dest = LeastLoad.weightedLeastConnection(list);
            if (dest == null) return null;
            if (!en.set.contains(dest)) {
                en.set.add(0, dest);
                en.lastMod = now;
            }
            return dest;
        }
        RealServer dest = LeastLoad.weightedLeastConnection(list);
        if (dest == null) return null;
        en = new Entry(daddr, now);
        en.set.add(dest);
        en.lastMod = now;
        cache.put(en);
        return dest;
    }

    @Override
    public synchronized void update() {
        current();
    }

    @Override
    public synchronized void unbind() {
        cache.removeIf(e -> true);
    }

    /** The set for a destination address, newest first (for tests). */
    synchronized List<RealServer> members(int daddr) {
        Entry en = cache.get(daddr);
        return en == null ? List.of() : List.copyOf(en.set);
    }

    /** ip_vs_dest_set_min: the first usable member, replaced by any later one strictly less loaded. */
    static RealServer setMin(List<RealServer> set) {
        RealServer least = null;
        long loh = 0;
        int lw = 0;
        for (int i = 0, n = set.size(); i < n; i++) {
            RealServer d = set.get(i);
            if (d.overloaded()) continue;
            int dw = d.weight();
            if (least == null) {
                if (dw > 0) {
                    least = d;
                    loh = d.overhead();
                    lw = dw;
                }
                continue;
            }
            long doh = d.overhead();
            if (LeastLoad.lessLoaded(doh, dw, loh, lw)) {
                least = d;
                loh = doh;
                lw = dw;
            }
        }
        return least;
    }

    /** ip_vs_dest_set_max: the first member with a weight, replaced by any later one strictly more loaded. */
    static RealServer setMax(List<RealServer> set) {
        RealServer most = null;
        long moh = 0;
        int mw = 0;
        for (int i = 0, n = set.size(); i < n; i++) {
            RealServer d = set.get(i);
            int dw = d.weight();
            if (dw <= 0) continue;
            long doh = d.overhead();
            if (most == null || moh * dw < doh * mw) {
                most = d;
                moh = doh;
                mw = dw;
            }
        }
        return most;
    }

    /** The current list; after a change, set members follow their server's new object or leave the set. */
    private List<? extends RealServer> current() {
        List<? extends RealServer> now = service.realServers();
        if (now != servers) {
            Map<Object, RealServer> byKey = new HashMap<>();
            for (RealServer s : now) byKey.put(ServerKey.identity(s), s);
            cache.removeIf(e -> {
                e.set.replaceAll(s -> byKey.get(ServerKey.identity(s)));
                e.set.removeIf(s -> s == null);
                return e.set.isEmpty();
            });
            servers = now;
        }
        return now;
    }
}
