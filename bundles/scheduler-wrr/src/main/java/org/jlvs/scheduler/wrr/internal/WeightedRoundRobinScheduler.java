package org.jlvs.scheduler.wrr.internal;

import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.spi.VirtualService;
import org.osgi.service.component.annotations.Component;

/** IPVS wrr: interleaved weighted round robin. */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=wrr")
public final class WeightedRoundRobinScheduler implements Scheduler {
    @Override
    public Binding bind(VirtualService service) {
        return new WeightedRoundRobinBinding(service);
    }
}
