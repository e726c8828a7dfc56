package org.jlvs.ha.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jlvs.api.Ip4;
import org.jlvs.api.ha.DirectorRole;
import org.jlvs.api.ha.PreemptCondition;
import org.jlvs.api.spi.PacketIo;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The DirectorRole service: the VRRP thread with its instances, which the configuration components
 * ({@link VrrpInstanceComponent}, {@link TrackScriptComponent}) add and remove. Each transition is told to the
 * listeners and posted on EventAdmin (when present) as {@code org/jlvs/vrrp/<STATE>} with the instance's name,
 * group, interface, VRID, the state it left and its priority.
 */
@Component(service = {DirectorRole.class, VrrpService.class}, immediate = true)
public final class VrrpService implements DirectorRole {
    private static final Logger LOG = LoggerFactory.getLogger(VrrpService.class);
    static final String TOPIC_PREFIX = "org/jlvs/vrrp/";

    private final Engine engine;
    private final Scripts scripts;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile EventAdmin eventAdmin;

    /** The sync bundle's condition for preempting (its full resync); none: preempt at once. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile PreemptCondition preemptCondition;

    /** While the sync bundle is started but its condition is not registered yet: hold (bounded by the hold). */
    static final PreemptCondition SYNC_NOT_REGISTERED =
            () -> "connection sync (its bundle is started, its service not registered yet)";
    private static final String SYNC_BUNDLE = "org.jlvs.sync";

    private volatile BundleContext context;

    @Activate
    public VrrpService(@Reference PacketIo packetIo, BundleContext context) {
        this(new HostNetwork(packetIo, Path.of("/sys/class/net")), System::nanoTime, new ScriptRunner(), true);
        this.context = context;
    }

    /** For tests: a fake network and clock; {@code thread}: whether the VRRP thread runs (else tests drive it). */
    VrrpService(Network network, Engine.Clock clock, Scripts scripts, boolean thread) {
        this.scripts = scripts;
        this.engine = new Engine(clock, network, scripts, this::transitioned);
        engine.preemptHold(new PreemptHold(() -> condition(preemptCondition, syncStarted()),
                PreemptHold.maxNanosFromSystem()));
        if (thread) engine.start("jlvs-vrrp");
    }

    @Deactivate
    public void close() {
        engine.close();
        if (scripts instanceof ScriptRunner runner) runner.close();
    }

    Engine engine() {
        return engine;
    }

    /**
     * The condition to consult. SCR activates components asynchronously, so at a restart the VRRP instances can
     * hear the lower-priority master before the sync bundle's component is registered; preempting then would
     * take the role before the resync. So a started sync bundle without its service yet means: wait.
     */
    static PreemptCondition condition(PreemptCondition registered, boolean syncStarted) {
        if (registered != null) return registered;
        return syncStarted ? SYNC_NOT_REGISTERED : null;
    }

    private boolean syncStarted() {
        BundleContext c = context;
        if (c == null) return false;
        try {
            for (Bundle b : c.getBundles()) {
                // started or starting (its start level, 75, is below ha's); a stopped sync bundle holds nothing
                if (SYNC_BUNDLE.equals(b.getSymbolicName()) && (b.getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0) {
                    return true;
                }
            }
        } catch (IllegalStateException e) { // this bundle is stopping
            return false;
        }
        return false;
    }

    void setPreemptCondition(PreemptCondition condition) {
        this.preemptCondition = condition;
    }

    void setEventAdmin(EventAdmin admin) {
        this.eventAdmin = admin;
    }

    private void transitioned(VrrpInstance instance, State from, State to) {
        DirectorRole.Instance snapshot = instance.snapshot();
        for (Listener l : listeners) {
            try {
                l.stateChanged(snapshot, from, to);
            } catch (RuntimeException e) {
                LOG.warn("a DirectorRole listener failed on {} {} -> {}", snapshot.name(), from, to, e);
            }
        }
        EventAdmin admin = eventAdmin;
        if (admin != null) {
            Map<String, Object> p = new HashMap<>();
            p.put("instance", snapshot.name());
            if (snapshot.group() != null) p.put("group", snapshot.group());
            p.put("interface", snapshot.interfaceName());
            p.put("vrid", snapshot.vrid());
            p.put("from", from.name());
            p.put("state", to.name());
            p.put("priority", snapshot.effectivePriority());
            p.put("master", snapshot.masterAddress6() != null ? snapshot.masterAddress6().toString()
                    : Ip4.toString(snapshot.masterAddress()));
            admin.postEvent(new Event(TOPIC_PREFIX + to.name(), p));
        }
    }

    @Override
    public boolean mayServe(int address) {
        return engine.mayServe(address);
    }

    @Override
    public boolean mayServe6(long hi, long lo) {
        return engine.mayServe6(hi, lo);
    }

    @Override
    public List<DirectorRole.Instance> instances() {
        List<DirectorRole.Instance> out = new ArrayList<>();
        for (VrrpInstance i : engine.instances()) out.add(i.snapshot());
        return out;
    }

    @Override
    public void addListener(Listener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeListener(Listener listener) {
        listeners.remove(listener);
    }
}
