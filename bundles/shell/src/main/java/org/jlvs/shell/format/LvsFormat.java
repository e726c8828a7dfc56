package org.jlvs.shell.format;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceInfo;

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
     * What is installed and what waits for it: the schedulers and forwarding methods present now, the services
     * whose scheduler is missing (they refuse new connections) and the real servers whose forwarder is missing.
     */
    public static String schedulers(Set<String> schedulers, Set<ForwardMethod> methods, List<ServiceInfo> services) {
        StringBuilder out = new StringBuilder();
        out.append("Installed schedulers: ").append(joinOrNone(new TreeSet<>(schedulers))).append('\n');
        List<String> fwd = new ArrayList<>();
        for (ForwardMethod m : ForwardMethod.values()) {
            if (methods.contains(m)) fwd.add(m.label() + " (" + m.ipvsadmFlag() + ")");
        }
        out.append("Installed forwarding methods: ").append(joinOrNone(fwd)).append('\n');

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

    private static String joinOrNone(Iterable<String> names) {
        String joined = String.join(", ", names);
        return joined.isEmpty() ? "none" : joined;
    }
}
