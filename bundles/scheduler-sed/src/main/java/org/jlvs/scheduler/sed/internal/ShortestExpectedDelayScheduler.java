package org.jlvs.scheduler.sed.internal;

import java.util.List;

import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.spi.VirtualService;
import org.jlvs.scheduler.support.LeastLoad;
import org.osgi.service.component.annotations.Component;

/**
 * IPVS sed: the available server with the least {@code (active + 1) / weight}, the expected delay of the
 * new connection; inactive connections are ignored. Ties keep the earlier server.
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=sed")
public final class ShortestExpectedDelayScheduler implements Scheduler {
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
            if (d.overloaded()) continue;
            int dw = d.weight();
            if (least == null) {
                // The first server with a weight starts; later ones with weight 0 can never win below.
                if (dw > 0) {
                    least = d;
                    loh = d.activeConns() + 1L;
                    lw = dw;
                }
                continue;
            }
            long doh = d.activeConns() + 1L;
            if (LeastLoad.lessLoaded(doh, dw, loh, lw)) {
                least = d;
                loh = doh;
                lw = dw;
            }
        }
        return least;
    }
}
