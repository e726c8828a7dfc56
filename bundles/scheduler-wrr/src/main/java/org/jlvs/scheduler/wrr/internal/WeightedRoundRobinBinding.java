package org.jlvs.scheduler.wrr.internal;

import java.util.List;

import org.jlvs.api.spi.Flow;
import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.spi.VirtualService;
import org.jlvs.scheduler.support.Weights;

/**
 * ip_vs_wrr.c. With di = gcd of the weights and mw = max weight - (di - 1), passes over the list run with
 * a required weight cw = mw, mw - di, ... down to 1; each pick is the next server (after the cursor) that is
 * not overloaded and has weight >= cw. Weights 1:2:3 give C B C A B C, repeated.
 * Any change of the servers or weights puts the cursor back to the list head and keeps cw on the new step
 * grid (ip_vs_wrr_dest_changed).
 */
final class WeightedRoundRobinBinding implements Scheduler.Binding {
    private static final int HEAD = -1;
    private static final int NO_STOP = -2;

    private final VirtualService service;
    private List<? extends RealServer> servers;
    private int cursor = HEAD; // index of the current server, or the list head
    private int cw;            // current required weight
    private int mw;            // max weight - (di - 1); 0 = nothing has a weight
    private int di;            // gcd of the weights: the step of cw

    WeightedRoundRobinBinding(VirtualService service) {
        this.service = service;
        destChanged(service.realServers());
    }

    @Override
    public synchronized RealServer schedule(Flow flow) {
        List<? extends RealServer> list = service.realServers();
        if (list != servers) destChanged(list);
        if (mw == 0) return null;
        int n = list.size();
        int i = cursor;
        int last = cursor;
        int stop = NO_STOP;
        boolean lastPass = false;
        boolean restarted = false;
        while (true) {
            for (i++; i < n; i++) {
                RealServer d = list.get(i);
                if (!d.overloaded() && d.weight() >= cw) {
                    cursor = i;
                    return d;
                }
                if (i == stop) {
                    cursor = i;
                    return null;
                }
            }
            i = HEAD;
            cw -= di;
            if (cw <= 0) {
                cw = mw;
                // Stop when a pass with cw <= di already covered every server: all are overloaded or at 0.
                if (lastPass || last == HEAD) {
                    cursor = HEAD;
                    return null;
                }
                restarted = true;
            }
            lastPass = cw <= di;
            if (lastPass && restarted && last != HEAD) {
                // The first pass with weight >= 1 only saw the servers after 'last': finish at 'last'.
                stop = last;
            }
        }
    }

    @Override
    public synchronized void update() {
        destChanged(service.realServers());
    }

    private void destChanged(List<? extends RealServer> list) {
        servers = list;
        cursor = HEAD;
        int g = Weights.gcdOfWeights(list);
        di = g > 0 ? g : 1;
        mw = Weights.maxWeight(list) - (di - 1);
        if (cw > mw || cw == 0) {
            cw = mw;
        } else if (di > 1) {
            cw = (cw / di) * di + 1;
        }
    }
}
