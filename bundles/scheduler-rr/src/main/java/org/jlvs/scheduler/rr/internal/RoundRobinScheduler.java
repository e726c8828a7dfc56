package org.jlvs.scheduler.rr.internal;

import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.spi.VirtualService;
import org.osgi.service.component.annotations.Component;

/** IPVS rr: each new connection goes to the next available real server in list order. */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=rr")
public final class RoundRobinScheduler implements Scheduler {
    @Override
    public Binding bind(VirtualService service) {
        return new RoundRobinBinding(service);
    }
}
