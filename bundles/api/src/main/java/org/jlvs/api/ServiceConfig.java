package org.jlvs.api;

/**
 * The configuration of a virtual service as ipvsadm -A/-E sets it.
 *
 * @param scheduler        scheduler name (-s), "wlc" by default
 * @param schedulerFlags   -b flags, {@link SchedulerFlags}
 * @param persistence      persistence timeout in seconds (-p), 0 = not persistent
 * @param persistenceMask  -M netmask as an int (0xffffffff = /32); for an IPv6 service the prefix length
 *                         (1..128, 128 by default), as IPVS keeps it
 */
public record ServiceConfig(ServiceKey key, String scheduler, int schedulerFlags, int persistence,
                            int persistenceMask) {
    public static final String DEFAULT_SCHEDULER = "wlc";

    public ServiceConfig {
        if (key == null) throw new IllegalArgumentException("missing service address");
        if (scheduler == null || scheduler.isEmpty()) scheduler = DEFAULT_SCHEDULER;
        if (persistence < 0) throw new IllegalArgumentException("bad persistence timeout: " + persistence);
        if (key.isIpv6()) {
            if (persistenceMask == 0xffffffff) persistenceMask = 128; // the IPv4 default given for an IPv6 key
            if (persistenceMask < 1 || persistenceMask > 128) {
                throw new IllegalArgumentException("bad IPv6 persistence prefix length " + persistenceMask
                        + ": must be 1..128");
            }
        }
        if (!key.isFwmark() && key.port() == 0 && persistence == 0) {
            throw new IllegalArgumentException("Zero port specified for non-persistent service");
        }
    }

    public static ServiceConfig of(ServiceKey key, String scheduler) {
        return new ServiceConfig(key, scheduler, 0, 0, 0xffffffff);
    }
}
