package org.jlvs.scheduler.dh.internal;

import java.util.List;

import org.jlvs.api.spi.Flow;
import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.spi.VirtualService;
import org.jlvs.scheduler.support.Hash32;

/**
 * ip_vs_dh.c: 256 buckets filled with the servers in turn (weights ignored); a flow goes to bucket
 * {@code hash_32(destination address, 8)}. The destination is the packet's, i.e. the virtual address here
 * as in IPVS (dh is meant for cache clusters in front of many destinations, e.g. with fwmark services).
 * No server (null) when the bucket's server is quiesced or overloaded: there is no fallback.
 * Lookups read an immutable table without locking; it is rebuilt when the server list changes.
 */
final class DestinationHashBinding implements Scheduler.Binding {
    static final int TAB_BITS = 8;
    static final int TAB_SIZE = 1 << TAB_BITS;

    private record Table(List<? extends RealServer> servers, RealServer[] buckets) {}

    private final VirtualService service;
    private volatile Table table;

    DestinationHashBinding(VirtualService service) {
        this.service = service;
        this.table = build(service.realServers());
    }

    @Override
    public RealServer schedule(Flow flow) {
        Table t = table;
        if (t.servers != service.realServers()) t = rebuild();
        RealServer d = t.buckets[Hash32.hash32(flow.virtualAddress(), TAB_BITS)];
        return d != null && d.available() ? d : null;
    }

    @Override
    public void update() {
        rebuild();
    }

    /** The server of each bucket (for tests). */
    RealServer[] buckets() {
        return table.buckets.clone();
    }

    private synchronized Table rebuild() {
        List<? extends RealServer> list = service.realServers();
        Table t = table;
        if (t.servers != list) table = t = build(list);
        return t;
    }

    private static Table build(List<? extends RealServer> list) {
        RealServer[] buckets = new RealServer[TAB_SIZE];
        int n = list.size();
        if (n > 0) {
            for (int i = 0; i < TAB_SIZE; i++) buckets[i] = list.get(i % n);
        }
        return new Table(list, buckets);
    }
}
