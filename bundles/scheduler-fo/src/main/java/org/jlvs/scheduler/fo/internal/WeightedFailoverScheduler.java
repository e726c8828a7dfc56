package org.jlvs.scheduler.fo.internal;

import java.util.List;

import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.spi.VirtualService;
import org.osgi.service.component.annotations.Component;

/**
 * IPVS fo (weighted failover): every new connection goes to the available server with the highest weight;
 * the first one wins a tie. Lower weights are the failover order.
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=fo")
public final class WeightedFailoverScheduler implements Scheduler {
    @Override
    public Binding bind(VirtualService service) {
        return flow -> pick(service.realServers());
    }

    static RealServer pick(List<? extends RealServer> servers) {
        RealServer highest = null;
        int hw = 0;
        for (int i = 0, n = servers.size(); i < n; i++) {
            RealServer d = servers.get(i);
            if (d.overloaded()) continue;
            int w = d.weight();
            if (w > hw) {
                highest = d;
                hw = w;
            }
        }
        return highest;
    }
}
