package org.jlvs.scheduler.wlc.internal;

import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.spi.VirtualService;
import org.jlvs.scheduler.support.LeastLoad;
import org.osgi.service.component.annotations.Component;

/**
 * IPVS wlc, the default scheduler: the available server with the least {@code overhead / weight}, where
 * overhead = active * 256 + inactive; ties keep the earlier server. Stateless, so a binding needs no lock.
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=wlc")
public final class WeightedLeastConnectionScheduler implements Scheduler {
    @Override
    public Binding bind(VirtualService service) {
        return flow -> LeastLoad.weightedLeastConnection(service.realServers());
    }
}
