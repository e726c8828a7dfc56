package org.jlvs.api.spi;

import java.util.List;

import org.jlvs.api.ServiceKey;

import org.osgi.annotation.versioning.ProviderType;

/** What a scheduler sees of a virtual service. */
@ProviderType
public interface VirtualService {
    ServiceKey key();

    String schedulerName();

    /** Scheduler flags as ipvsadm's -b: {@link org.jlvs.api.SchedulerFlags}. */
    int schedulerFlags();

    /**
     * The real servers in the order they were added (IPVS's list order, which decides ties). The list is an
     * immutable snapshot: a new one is published when servers are added, removed or edited.
     */
    List<? extends RealServer> realServers();
}
