package org.jlvs.healthcheck.internal;

import java.io.File;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.jlvs.api.CheckSpec;
import org.jlvs.api.CheckStatus;
import org.jlvs.api.HealthIntervals;
import org.jlvs.api.HealthMonitor;
import org.jlvs.api.HealthStatus;
import org.jlvs.api.QuorumConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.VirtualServerListener;
import org.jlvs.api.VirtualServerTable;
import org.jlvs.api.spi.HealthChecker;
import org.jlvs.check.support.ScriptPolicy;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * The health monitor as an OSGi service. The monitor is built in the constructor, so it exists before any
 * checker is bound. Checkers are tracked dynamically (whiteboard, lvs.check=type): one that leaves suspends its
 * checks with their last state, one that arrives resumes them; neither restarts this component. EventAdmin is
 * optional: without it, state changes are only logged. The checks and quorum settings are kept in
 * etc/org.jlvs.health.cfg ({@link HealthPersistence}); as a {@link VirtualServerListener} it learns when the
 * services that stored checks wait for arrive.
 */
@Component(service = {HealthMonitor.class, HealthStatus.class, HealthIntervals.class}, immediate = true,
        configurationPid = ScriptPolicy.PID)
public final class MonitorComponent implements HealthMonitor, HealthIntervals, VirtualServerListener {
    private final NotifyScripts notifyScripts;
    private final ExecutorTimers timers;
    private final Monitor monitor;
    private final HealthPersistence persistence;
    private final ServiceRegistration<VirtualServerListener> listener;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin eventAdmin;

    /** @param scripts etc/org.jlvs.scripts.cfg: how notify scripts run */
    @Activate
    public MonitorComponent(BundleContext context, @Reference(name = "table") VirtualServerTable table,
                            @Reference(name = "configAdmin") ConfigurationAdmin configAdmin,
                            Map<String, Object> scripts) {
        notifyScripts = new NotifyScripts(scripts);
        timers = new ExecutorTimers("jlvs-healthcheck");
        monitor = new Monitor(table, timers, new Effects(),
                bound -> bound <= 0 ? 0 : ThreadLocalRandom.current().nextLong(bound + 1));
        String etc = System.getProperty("karaf.etc");
        persistence = new HealthPersistence(configAdmin, etc == null ? null : new File(etc), table, monitor);
        // Registered by hand, not as a DS service: the director (whose table this component needs) binds its
        // listeners while it activates, and SCR would resolve that cycle by leaving this one out for good.
        listener = context.registerService(VirtualServerListener.class, this, null);
    }

    /** A new etc/org.jlvs.scripts.cfg; one that is refused leaves the running settings (SCR logs why). */
    @Modified
    void modified(Map<String, Object> scripts) {
        notifyScripts.reconfigure(scripts);
    }

    @Deactivate
    void close() throws InterruptedException {
        try {
            listener.unregister();
        } catch (IllegalStateException e) {
            // the bundle is stopping and the framework unregistered it already
        }
        persistence.close();
        monitor.close();
        timers.close();
        notifyScripts.close();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addChecker(HealthChecker checker, Map<String, Object> properties) {
        for (String type : types(properties)) monitor.checkerAdded(type, checker);
        persistence.changed(); // stored checks of these types can be restored now
    }

    void removeChecker(HealthChecker checker, Map<String, Object> properties) {
        for (String type : types(properties)) monitor.checkerRemoved(type, checker);
    }

    /** lvs.check as a String, String[] or collection (a service may run several types, e.g. http and ssl). */
    static List<String> types(Map<String, Object> properties) {
        Object value = properties.get(HealthChecker.PROPERTY);
        List<String> out = new ArrayList<>();
        if (value instanceof String s) out.add(Settings.normalType(s));
        else if (value instanceof String[] a) for (String s : a) out.add(Settings.normalType(s));
        else if (value instanceof Collection<?> c) for (Object o : c) out.add(Settings.normalType(String.valueOf(o)));
        return out;
    }

    /** Events on EventAdmin (asynchronously), notify scripts through {@link NotifyScripts}, persistence. */
    private final class Effects implements Monitor.Effects {
        @Override
        public void post(String topic, Map<String, Object> properties) {
            EventAdmin admin = eventAdmin;
            if (admin != null) admin.postEvent(new Event(topic, properties));
        }

        @Override
        public void runScript(String commandLine, Map<String, String> environment) {
            notifyScripts.run(commandLine, environment);
        }

        @Override
        public void checksChanged() {
            HealthPersistence p = persistence;
            if (p != null) p.changed(); // null until the constructor is done: the first tick writes what it restored
        }
    }

    /** A service changed in the table: stored checks waiting for it can be restored now. */
    @Override
    public void changed(ServiceKey key) {
        persistence.changed();
    }

    /** The monitor's schedule regularity (lvs:checks --intervals). */
    @Override
    public String intervalSummary(boolean reset) {
        return monitor.intervalSummary(reset);
    }

    @Override public void addCheck(CheckSpec spec) { monitor.addCheck(spec); }
    @Override public int removeChecks(ServiceKey s, int a, int p, String t) { return monitor.removeChecks(s, a, p, t); }
    @Override public List<CheckStatus> checks(ServiceKey service) { return monitor.checks(service); }
    @Override public void setQuorum(ServiceKey service, QuorumConfig config) { monitor.setQuorum(service, config); }
    @Override public QuorumConfig quorum(ServiceKey service) { return monitor.quorum(service); }
    @Override public Set<String> checkerTypes() { return monitor.checkerTypes(); }
    @Override public ServiceHealth service(ServiceKey key) { return monitor.service(key); }
}
