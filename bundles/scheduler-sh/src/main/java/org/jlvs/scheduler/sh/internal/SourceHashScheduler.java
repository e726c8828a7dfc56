package org.jlvs.scheduler.sh.internal;

import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.spi.VirtualService;
import org.osgi.service.component.annotations.Component;

/** IPVS sh: a static weighted 256-bucket hash of the client's address (and port with sh-port). */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=sh")
public final class SourceHashScheduler implements Scheduler {
    @Override
    public Binding bind(VirtualService service) {
        return new SourceHashBinding(service);
    }
}
