package org.jlvs.ipvsadm;

/**
 * One registered {@code Scheduler} service as {@code lvs:schedulers} lists it.
 *
 * @param name      its {@code lvs.scheduler} property (ipvsadm's -s name)
 * @param bundleId  the id of the bundle that registered it (what {@code bundle:update} takes)
 * @param version   that bundle's version
 * @param serviceId its service.id, which orders two registrations of one name (the lower registered first)
 */
public record SchedulerBundle(String name, long bundleId, String version, long serviceId) {
}
