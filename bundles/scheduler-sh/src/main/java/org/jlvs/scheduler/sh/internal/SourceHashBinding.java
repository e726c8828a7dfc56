package org.jlvs.scheduler.sh.internal;

import java.util.List;

import org.jlvs.api.spi.Flow;
import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.SchedulerFlags;
import org.jlvs.api.spi.VirtualService;
import org.jlvs.scheduler.support.Hash32;

/**
 * ip_vs_sh.c: 256 buckets; walking the list, each server fills {@code weight} consecutive buckets before the
 * next one takes over, round after round (a server with weight 0 still takes one bucket per round, so a
 * quiesced server keeps its place). A flow goes to bucket
 * {@code (offset + hash_32(port + client address, 8)) & 255} with offset 0 and port 0, or the client port
 * with sh-port. If that server is quiesced or overloaded the result is null, unless sh-fallback probes the
 * offsets 0..255 after the first bucket (as the kernel does) for an available one.
 * Lookups read an immutable table without locking; it is rebuilt on any change of servers or weights.
 */
final class SourceHashBinding implements Scheduler.Binding {
    static final int TAB_BITS = 8;
    static final int TAB_SIZE = 1 << TAB_BITS;
    static final int TAB_MASK = TAB_SIZE - 1;

    private record Table(List<? extends RealServer> servers, RealServer[] buckets) {}

    private final VirtualService service;
    private volatile Table table;

    SourceHashBinding(VirtualService service) {
        this.service = service;
        this.table = build(service.realServers());
    }

    @Override
    public RealServer schedule(Flow flow) {
        Table t = table;
        if (t.servers != service.realServers()) t = rebuild(false);
        int flags = service.schedulerFlags();
        int port = (flags & SchedulerFlags.SH_PORT) != 0 ? flow.clientPort() : 0;
        int addr = flow.clientAddress();
        RealServer[] buckets = t.buckets;
        int ihash = hashKey(addr, port, 0);
        RealServer d = buckets[ihash];
        if (d == null) return null;
        if (d.available()) return d;
        if ((flags & SchedulerFlags.SH_FALLBACK) == 0) return null;
        for (int offset = 0; offset < TAB_SIZE; offset++) {
            int roffset = (offset + ihash) & TAB_MASK;
            d = buckets[hashKey(addr, port, roffset)];
            if (d.available()) return d;
        }
        return null;
    }

    @Override
    public void update() {
        rebuild(true);
    }

    static int hashKey(int addr, int port, int offset) {
        return (offset + Hash32.hash32(port + addr, TAB_BITS)) & TAB_MASK;
    }

    /** The server of each bucket (for tests). */
    RealServer[] buckets() {
        return table.buckets.clone();
    }

    private synchronized Table rebuild(boolean force) {
        List<? extends RealServer> list = service.realServers();
        Table t = table;
        if (force || t.servers != list) table = t = build(list);
        return t;
    }

    private static Table build(List<? extends RealServer> list) {
        RealServer[] buckets = new RealServer[TAB_SIZE];
        int n = list.size();
        if (n > 0) {
            int p = 0;
            int count = 0;
            for (int i = 0; i < TAB_SIZE; i++) {
                RealServer d = list.get(p);
                buckets[i] = d;
                if (++count >= d.weight()) { // don't move on until the weight is filled
                    p = (p + 1) % n;
                    count = 0;
                }
            }
        }
        return new Table(list, buckets);
    }
}
