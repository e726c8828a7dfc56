package org.jlvs.shell.internal.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceInfo;
import org.jlvs.ipvsadm.IpvsadmFormat;
import org.jlvs.ipvsadm.JlvsJson;
import org.jlvs.ipvsadm.SchedulerBundle;

/** Layouts of the jlvs commands that have no ipvsadm equivalent. */
public final class LvsFormat {
    private LvsFormat() {}

    /** Width of the name column of {@link #counters}; longer names still get one space before the value. */
    public static final int COUNTER_NAME_WIDTH = 32;

    /** One "name value" line per counter, in the map's order, names left-aligned (scripts split on spaces). */
    public static String counters(Map<String, Long> counters) {
        StringBuilder out = new StringBuilder();
        counters.forEach((name, value) -> out.append(String.format("%-" + COUNTER_NAME_WIDTH + "s %d\n", name, value)));
        return out.toString();
    }

    /**
     * One line per interface the packet path does not use, with the reason ("data path down on eth0: libpcap
     * cannot be loaded: ..."); nothing when every interface is in use. The listings print it after their own
     * lines (bin/client shows no error stream), so their head stays what scripts parse.
     */
    public static String dataPathDown(Map<String, String> down) {
        StringBuilder out = new StringBuilder();
        down.forEach((name, why) -> out.append("data path down on ").append(name).append(": ").append(why).append('\n'));
        return out.toString();
    }

    /**
     * One row per registered scheduler: its name, the id and version of its bundle (what {@code bundle:update}
     * and {@code feature:uninstall} act on) and the services bound to it ("TCP 10.0.0.1:80", comma-separated,
     * "-" for none); Karaf's table, or with --no-format one tab-separated line per scheduler and no title.
     *
     * <p>When two bundles register one name, the services are shown on the one registered first (lower
     * service id): the core keeps the scheduler it bound and the other takes over only if that one leaves.
     */
    public static Listing schedulerTable(List<SchedulerBundle> schedulers, List<ServiceInfo> services) {
        Listing table = new Listing().column("Scheduler").numberColumn("Bundle").column("Version").column("Services");
        List<SchedulerBundle> sorted = new ArrayList<>(schedulers);
        sorted.sort(JlvsJson.SCHEDULER_ORDER);
        String previous = null;
        for (SchedulerBundle s : sorted) {
            boolean first = !s.name().equals(previous);
            previous = s.name();
            String users = first ? joinOr(JlvsJson.boundTo(s.name(), services), "-") : "- (standby)";
            table.row(s.name(), s.bundleId(), s.version(), users);
        }
        return table;
    }

    /**
     * What lvs:schedulers prints after its table: the forwarding methods present, the services whose scheduler
     * is missing (they refuse new connections) and the real servers whose forwarder is missing.
     */
    public static String schedulerNotes(Set<ForwardMethod> methods, List<ServiceInfo> services) {
        StringBuilder out = new StringBuilder();
        List<String> fwd = new ArrayList<>();
        for (ForwardMethod m : ForwardMethod.values()) {
            if (methods.contains(m)) fwd.add(m.label() + " (" + m.ipvsadmFlag() + ")");
        }
        out.append("Installed forwarding methods: ").append(joinOr(fwd, "none")).append('\n');

        StringBuilder unbound = new StringBuilder();
        StringBuilder unforwarded = new StringBuilder();
        for (ServiceInfo service : services) {
            String name = IpvsadmFormat.serviceName(service.config());
            if (!service.schedulerBound()) unbound.append(name).append(' ').append(service.config().scheduler()).append('\n');
            for (ServerInfo server : service.servers()) {
                ForwardMethod m = server.config().method();
                if (!methods.contains(m)) {
                    unforwarded.append(name).append(" -> ").append(server.config().endpoint()).append(' ')
                            .append(m.label()).append('\n');
                }
            }
        }
        if (unbound.length() > 0) {
            out.append("Services whose scheduler is not installed (new connections are refused):\n").append(unbound);
        }
        if (unforwarded.length() > 0) {
            out.append("Real servers whose forwarding method is not installed:\n").append(unforwarded);
        }
        return out.toString();
    }

    private static String joinOr(List<String> names, String empty) {
        return names.isEmpty() ? empty : String.join(", ", names);
    }
}
