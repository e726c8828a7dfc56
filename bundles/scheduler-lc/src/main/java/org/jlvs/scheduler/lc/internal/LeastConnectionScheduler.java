package org.jlvs.scheduler.lc.internal;

import java.util.List;

import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.spi.VirtualService;
import org.osgi.service.component.annotations.Component;

/**
 * IPVS lc: the available server with the least overhead (active * 256 + inactive); weights only matter as
 * 0 = quiesced. Ties keep the earlier server. (The kernel's comment says {@code << 5}; its code uses
 * ip_vs_dest_conn_overhead, {@code << 8}.)
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=lc")
public final class LeastConnectionScheduler implements Scheduler {
    @Override
    public Binding bind(VirtualService service) {
        return flow -> pick(service.realServers());
    }

    static RealServer pick(List<? extends RealServer> servers) {
        RealServer least = null;
        long loh = 0;
        for (int i = 0, n = servers.size(); i < n; i++) {
            RealServer d = servers.get(i);
            if (d.overloaded() || d.weight() == 0) continue;
            long doh = d.overhead();
            if (least == null || doh < loh) {
                least = d;
                loh = doh;
            }
        }
        return least;
    }
}
