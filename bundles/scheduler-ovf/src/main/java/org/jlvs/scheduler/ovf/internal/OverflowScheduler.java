package org.jlvs.scheduler.ovf.internal;

import java.util.List;

import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.spi.VirtualService;
import org.osgi.service.component.annotations.Component;

/**
 * IPVS ovf (overflow connection): the server with the highest weight among those whose active connections
 * do not exceed their weight, first on ties; connections overflow to the next weight when it is full.
 * Only active connections count, so it suits TCP better than UDP.
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=ovf")
public final class OverflowScheduler implements Scheduler {
    @Override
    public Binding bind(VirtualService service) {
        return flow -> pick(service.realServers());
    }

    static RealServer pick(List<? extends RealServer> servers) {
        RealServer highest = null;
        int hw = 0;
        for (int i = 0, n = servers.size(); i < n; i++) {
            RealServer d = servers.get(i);
            int w = d.weight();
            if (d.overloaded() || d.activeConns() > w || w == 0) continue;
            if (highest == null || w > hw) {
                highest = d;
                hw = w;
            }
        }
        return highest;
    }
}
