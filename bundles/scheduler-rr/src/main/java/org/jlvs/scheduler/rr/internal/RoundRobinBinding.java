package org.jlvs.scheduler.rr.internal;

import java.util.List;

import org.jlvs.api.spi.Flow;
import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.spi.VirtualService;
import org.jlvs.scheduler.support.ServerKey;

/**
 * ip_vs_rr.c: a cursor on the last server picked; the next pick is the first server after it with weight
 * above 0 and not overloaded, wrapping once to the list head and ending at the cursor itself.
 * When the server list changes the cursor stays on its server, or moves to the server before it if that one
 * was deleted (ip_vs_rr_del_dest), so the rotation carries on where it was.
 */
final class RoundRobinBinding implements Scheduler.Binding {
    private final VirtualService service;
    private List<? extends RealServer> servers = List.of();
    /** Index in {@link #servers} of the last server picked; -1 is the list head. */
    private int cursor = -1;

    RoundRobinBinding(VirtualService service) {
        this.service = service;
    }

    @Override
    public synchronized RealServer schedule(Flow flow) {
        List<? extends RealServer> list = current();
        int n = list.size();
        int last = cursor;
        int i = cursor;
        // At most two passes: from after the cursor to the end, then from the head up to the cursor.
        for (int pass = 0; pass < 2; pass++) {
            for (i++; i < n; i++) {
                RealServer d = list.get(i);
                if (d.available()) {
                    cursor = i;
                    return d;
                }
                if (i == last) return null;
            }
            if (last < 0) break; // started at the head: one pass saw every server
            i = -1;
        }
        return null;
    }

    @Override
    public synchronized void update() {
        current();
    }

    private List<? extends RealServer> current() {
        List<? extends RealServer> now = service.realServers();
        if (now != servers) {
            cursor = ServerKey.remapCursor(servers, cursor, now);
            servers = now;
        }
        return now;
    }
}
