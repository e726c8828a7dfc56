package org.jlvs.shell.internal.commands.service;

import java.util.List;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Option;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.ipvsadm.IpvsadmOptions;
import org.jlvs.shell.internal.commands.ServiceAction;

/** The options of ipvsadm -A/-E: -p [TIMEOUT], -M, -b; each command declares its own -s. */
abstract class ServiceConfigAction extends ServiceAction {
    @Option(name = "-p", aliases = "--persistent", description = "persistent service; a timeout in seconds may follow"
            + " as the command's last word (-p 600), default 360")
    boolean persistent;

    // Karaf options cannot take an optional value, so the -p timeout is the trailing argument; a list so that
    // words after it (options Karaf no longer reads once an argument came) get a clear error.
    @Argument(index = 0, name = "timeout", multiValued = true,
            description = "persistence timeout in seconds for -p (1..2678400); must be the last word")
    List<String> trailing;

    @Option(name = "-M", aliases = "--netmask", description = "persistence granularity: netmask (255.255.255.0) or prefix length (24; 1..128 for IPv6)")
    String netmask;

    @Option(name = "-b", aliases = "--sched-flags", description = "scheduler flags, comma separated: flag-1, flag-2,"
            + " flag-3, sh-fallback, sh-port (sh only), mh-fallback, mh-port (mh only)")
    String flags;

    /** The whole service configuration from the options, checked (scheduler installed, flags valid). */
    ServiceConfig serviceConfig() {
        // Checked first: Karaf reads every word after the timeout as an argument, -t included, and this names
        // the real mistake rather than a missing -t.
        int persistence = IpvsadmOptions.persistence(persistent, trailing);
        ServiceKey key = serviceKey(true);
        String sched = scheduler() != null ? scheduler() : ServiceConfig.DEFAULT_SCHEDULER;
        int schedFlags = IpvsadmOptions.schedulerFlags(sched, flags);
        int mask = netmask != null ? IpvsadmOptions.netmask(key, netmask) : key.isIpv6() ? 128 : 0xffffffff;
        IpvsadmOptions.requireScheduler(table.schedulers(), sched);
        return new ServiceConfig(key, sched, schedFlags, persistence, mask);
    }

    /** The -s value, or null for the default. */
    abstract String scheduler();
}
