package org.jlvs.scheduler.dh.internal;

import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.spi.VirtualService;
import org.osgi.service.component.annotations.Component;

/** IPVS dh: a static 256-bucket hash of the packet's destination address. */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=dh")
public final class DestinationHashScheduler implements Scheduler {
    @Override
    public Binding bind(VirtualService service) {
        return new DestinationHashBinding(service);
    }
}
