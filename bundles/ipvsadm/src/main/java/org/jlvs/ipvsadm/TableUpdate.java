package org.jlvs.ipvsadm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.VirtualServerTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings some services of the table to a target state with the fewest changes, so that what did not change is
 * not touched: an unchanged service is left alone, a changed one is edited in place (never deleted and added
 * again, which would drop its connections), a real server whose weight changed is edited, not replaced.
 *
 * <p>All or nothing: the whole plan is checked before the first change (schedulers and forwarders installed,
 * ports valid), and if the table still refuses a change (another session changed it meanwhile), the changes
 * already made are undone in reverse order. (A real server deleted and then put back by an undo comes back
 * last in its service's list: the table cannot insert in the middle.)
 */
public final class TableUpdate {
    private static final Logger LOG = LoggerFactory.getLogger(TableUpdate.class);

    private TableUpdate() {}

    /** One change of the table and what undoes it. */
    public interface Op {
        ServiceKey service();

        void apply(VirtualServerTable table);

        void undo(VirtualServerTable table);

        /** "add real server 10.0.0.2:80 (Masq, weight 1) to TCP 10.0.0.1:80" */
        String describe();
    }

    /** The changes, and how many services they add, change and delete, and how many stay as they are. */
    public record Plan(List<Op> ops, int added, int changed, int deleted, int unchanged) {
        public boolean isEmpty() { return ops.isEmpty(); }

        /** "1 added, 2 changed, 0 deleted, 3 unchanged" */
        public String summary() {
            return added + " added, " + changed + " changed, " + deleted + " deleted, " + unchanged + " unchanged";
        }
    }

    /**
     * The changes that make every service of {@code scope} look as in {@code target} (a service of the scope
     * absent from the target is deleted). Services outside the scope are not looked at.
     */
    public static Plan plan(VirtualServerTable table, Map<ServiceKey, ServiceDef> target, Collection<ServiceKey> scope) {
        List<Op> ops = new ArrayList<>();
        int added = 0, changed = 0, deleted = 0, unchanged = 0;
        for (ServiceKey key : new TreeSet<>(scope)) {
            ServiceInfo info = table.get(key);
            ServiceDef current = info == null ? null : ServiceDef.of(info);
            ServiceDef wanted = target.get(key);
            if (current == null && wanted == null) continue;
            if (wanted == null) {
                ops.add(new DeleteService(current));
                deleted++;
            } else if (current == null) {
                ops.add(new AddService(wanted.config()));
                for (ServerConfig s : wanted.servers()) ops.add(new AddServer(key, s));
                added++;
            } else if (current.sameAs(wanted)) {
                unchanged++;
            } else {
                changed++;
                for (ServerConfig s : current.servers()) {
                    if (wanted.server(s) == null) ops.add(new DeleteServer(key, s));
                }
                for (ServerConfig s : wanted.servers()) {
                    ServerConfig old = current.server(s);
                    if (old != null && !ServiceDef.sameServer(old, s)) ops.add(new EditServer(key, old, s));
                }
                if (!current.config().equals(wanted.config())) ops.add(new EditService(current.config(), wanted.config()));
                for (ServerConfig s : wanted.servers()) {
                    if (current.server(s) == null) ops.add(new AddServer(key, s));
                }
            }
        }
        return new Plan(List.copyOf(ops), added, changed, deleted, unchanged);
    }

    /** Plans, checks and applies; returns what was done. Nothing is changed when it throws. */
    public static Plan apply(VirtualServerTable table, Map<ServiceKey, ServiceDef> target, Collection<ServiceKey> scope) {
        Plan plan = plan(table, target, scope);
        check(plan, table.schedulers(), table.forwardMethods());
        run(table, plan.ops());
        return plan;
    }

    /** Checks and applies a plan made before ({@link #plan}); nothing is changed when it throws. */
    public static void execute(VirtualServerTable table, Plan plan) {
        check(plan, table.schedulers(), table.forwardMethods());
        run(table, plan.ops());
    }

    /**
     * Refuses a plan that the table would refuse half-way: a scheduler or forwarding method that is not
     * installed ({@link NotInstalledException}), a direct-routing or tunnelled server on another port than
     * its service's.
     */
    public static void check(Plan plan, Set<String> schedulers, Set<ForwardMethod> methods) {
        for (Op op : plan.ops()) {
            try {
                if (op instanceof AddService a) {
                    requireScheduler(schedulers, a.config.scheduler());
                } else if (op instanceof EditService e && !e.before.scheduler().equals(e.after.scheduler())) {
                    requireScheduler(schedulers, e.after.scheduler());
                } else if (op instanceof AddServer a) {
                    checkServer(op.service(), a.server, methods);
                } else if (op instanceof EditServer e) {
                    // the table checks the forwarder on every edit, even of a weight alone
                    checkServer(op.service(), e.after, methods);
                }
            } catch (NotInstalledException e) {
                throw new NotInstalledException(op.service() + ": " + e.getMessage());
            }
        }
    }

    private static void requireScheduler(Set<String> installed, String name) {
        try {
            IpvsadmOptions.requireScheduler(installed, name);
        } catch (IllegalArgumentException e) {
            throw new NotInstalledException(e.getMessage());
        }
    }

    static void checkServer(ServiceKey service, ServerConfig server, Set<ForwardMethod> methods) {
        requirePort(service, server);
        try {
            IpvsadmOptions.requireForwarder(methods, server.method());
        } catch (IllegalArgumentException e) {
            throw new NotInstalledException(e.getMessage());
        }
    }

    /** Direct routing and tunnelling leave the packet's port alone: the real server must use the service's. */
    public static void requirePort(ServiceKey service, ServerConfig server) {
        if (server.method() != ForwardMethod.MASQ && server.port() != service.port()) {
            throw new IllegalArgumentException(service + ": real server " + server.endpoint() + " with "
                    + server.method().label() + " (" + server.method().ipvsadmFlag() + ") must use the service's port "
                    + service.port());
        }
    }

    /** Applies the changes in order; on a refusal undoes those already made, then rethrows. */
    static void run(VirtualServerTable table, List<Op> ops) {
        for (int i = 0; i < ops.size(); i++) {
            try {
                ops.get(i).apply(table);
            } catch (RuntimeException e) {
                for (int j = i - 1; j >= 0; j--) {
                    try {
                        ops.get(j).undo(table);
                    } catch (RuntimeException undo) {
                        LOG.error("could not undo '{}' after '{}' was refused: {}", ops.get(j).describe(),
                                ops.get(i).describe(), undo.getMessage());
                    }
                }
                throw e;
            }
        }
    }

    // ---- the changes ----

    record AddService(ServiceConfig config) implements Op {
        public ServiceKey service() { return config.key(); }
        public void apply(VirtualServerTable t) { t.addService(config); }
        public void undo(VirtualServerTable t) { t.deleteService(config.key()); }
        public String describe() { return "add service " + config.key() + " (" + config.scheduler() + ")"; }
    }

    record DeleteService(ServiceDef current) implements Op {
        public ServiceKey service() { return current.key(); }
        public void apply(VirtualServerTable t) { t.deleteService(current.key()); }

        public void undo(VirtualServerTable t) {
            t.addService(current.config());
            for (ServerConfig s : current.servers()) t.addServer(current.key(), s);
        }

        public String describe() { return "delete service " + current.key(); }
    }

    record EditService(ServiceConfig before, ServiceConfig after) implements Op {
        public ServiceKey service() { return after.key(); }
        public void apply(VirtualServerTable t) { t.editService(after); }
        public void undo(VirtualServerTable t) { t.editService(before); }
        public String describe() { return "edit service " + after.key() + " (" + after.scheduler() + ")"; }
    }

    record AddServer(ServiceKey service, ServerConfig server) implements Op {
        public void apply(VirtualServerTable t) { t.addServer(service, server); }
        public void undo(VirtualServerTable t) { Endpoints.deleteServer(t, service, server); }

        public String describe() {
            return "add real server " + server.endpoint() + " (" + server.method().label() + ", weight "
                    + server.weight() + ") to " + service;
        }
    }

    record DeleteServer(ServiceKey service, ServerConfig server) implements Op {
        public void apply(VirtualServerTable t) { Endpoints.deleteServer(t, service, server); }
        public void undo(VirtualServerTable t) { t.addServer(service, server); }
        public String describe() { return "delete real server " + server.endpoint() + " from " + service; }
    }

    record EditServer(ServiceKey service, ServerConfig before, ServerConfig after) implements Op {
        public void apply(VirtualServerTable t) { t.editServer(service, after); }
        public void undo(VirtualServerTable t) { t.editServer(service, before); }

        public String describe() {
            return "edit real server " + after.endpoint() + " of " + service + " (" + after.method().label()
                    + ", weight " + after.weight() + ")";
        }
    }
}
