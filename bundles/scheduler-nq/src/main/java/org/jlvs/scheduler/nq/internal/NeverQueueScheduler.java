package org.jlvs.scheduler.nq.internal;

import java.util.List;

import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.spi.VirtualService;
import org.jlvs.scheduler.support.LeastLoad;
import org.osgi.service.component.annotations.Component;

/**
 * IPVS nq: the first available server without active connections, in list order; when every server is
 * busy, the sed rule (least {@code (active + 1) / weight}, ties keep the earlier server).
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=nq")
public final class NeverQueueScheduler implements Scheduler {
    @Override
    public Binding bind(VirtualService service) {
        return flow -> pick(service.realServers());
    }

    static RealServer pick(List<? extends RealServer> servers) {
        RealServer least = null;
        long loh = 0;
        int lw = 0;
        for (int i = 0, n = servers.size(); i < n; i++) {
            RealServer d = servers.get(i);
            int dw = d.weight();
            if (d.overloaded() || dw == 0) continue;
            int active = d.activeConns();
            if (active == 0) return d; // idle: no queue at all
            long doh = active + 1L;
            if (least == null || LeastLoad.lessLoaded(doh, dw, loh, lw)) {
                least = d;
                loh = doh;
                lw = dw;
            }
        }
        return least;
    }
}
