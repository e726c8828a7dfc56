package org.jlvs.ha.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.jlvs.api.Ip4;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.ha.DirectorRole.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VRRP thread: every instance, sync group and track script lives on it. One pass ({@link #runOnce}) runs
 * the queued tasks (configuration, script results), hands each instance the adverts its receive thread queued,
 * checks the links once a second, starts due track scripts and fires due timers; then the thread parks until
 * the next deadline or an advert. Time comes from a {@link Clock}, so tests drive passes on a manual clock
 * without the thread. A pass in steady state allocates nothing.
 */
final class Engine implements VrrpInstance.Transitions, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    static final long TRACK_INTERVAL_NANOS = 1_000_000_000L;
    private static final long MAX_PARK_NANOS = 1_000_000_000L;

    interface Clock {
        long nanoTime();
    }

    /** What a transition means outside the bundle: listeners, EventAdmin. Called on the VRRP thread. */
    interface Effects {
        void transitioned(VrrpInstance instance, State from, State to);
    }

    private final Clock clock;
    private final Network network;
    private final Scripts scripts;
    private final Effects effects;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Map<String, VrrpInstance> instances = new LinkedHashMap<>();
    private final Map<VrrpInstance, Network.Binding> bindings = new LinkedHashMap<>();
    private final Map<String, SyncGroup> groups = new LinkedHashMap<>();
    private final Map<String, TrackScript> trackScripts = new LinkedHashMap<>();
    private VrrpInstance[] active = new VrrpInstance[0];
    private TrackScript[] activeScripts = new TrackScript[0];
    private volatile RoleTable roles = RoleTable.EMPTY;
    private volatile List<VrrpInstance> published = List.of();
    private long nextTrack;
    private volatile Thread thread;
    private volatile boolean running;
    private final Runnable wakeup = this::wakeup;
    private PreemptHold hold = PreemptHold.NONE;

    Engine(Clock clock, Network network, Scripts scripts, Effects effects) {
        this.clock = clock;
        this.network = network;
        this.scripts = scripts;
        this.effects = effects;
    }

    /** What preemptions wait for; instances added later get it too. Before the thread starts, or on it. */
    void preemptHold(PreemptHold hold) {
        this.hold = hold;
        for (VrrpInstance i : instances.values()) i.hold = hold;
    }

    // ------------------------------------------------------------------ thread

    void start(String name) {
        running = true;
        Thread t = new Thread(this::loop, name);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    private void loop() {
        while (running) {
            try {
                long next = runOnce();
                long wait = next - clock.nanoTime();
                if (wait > 0 && tasks.isEmpty()) LockSupport.parkNanos(this, Math.min(wait, MAX_PARK_NANOS));
            } catch (RuntimeException | Error e) {
                LOG.error("VRRP pass failed", e);
                LockSupport.parkNanos(this, 10_000_000L); // no hot loop on a persistent failure
            }
        }
    }

    void wakeup() {
        Thread t = thread;
        if (t != null) LockSupport.unpark(t);
    }

    /** Runs {@code task} on the VRRP thread (at once on the caller's when there is no thread: tests). */
    <T> T call(Supplier<T> task) {
        if (thread == null) return task.get();
        CompletableFuture<T> result = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                result.complete(task.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        wakeup();
        try {
            return result.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (TimeoutException e) {
            throw new IllegalStateException("the VRRP thread did not answer within 30 s");
        }
    }

    private void post(Runnable task) {
        tasks.add(task);
        wakeup();
    }

    /** One pass at the clock's current time; returns the next deadline. */
    long runOnce() {
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) task.run();
        long now = clock.nanoTime();
        VrrpInstance[] list = active;
        for (VrrpInstance i : list) i.drain(now);
        if (now >= nextTrack) {
            nextTrack = now + TRACK_INTERVAL_NANOS;
            for (VrrpInstance i : list) evaluate(i, now);
        }
        long next = nextTrack;
        for (TrackScript s : activeScripts) {
            if (!s.running && now >= s.nextRun) runScript(s, now);
            if (!s.running) next = Math.min(next, s.nextRun);
        }
        for (VrrpInstance i : list) {
            i.poll(now);
            next = Math.min(next, i.nextDeadline());
        }
        return next;
    }

    // ------------------------------------------------------------------ configuration (VRRP thread)

    /** Adds an instance; throws IllegalArgumentException naming the key when it conflicts with another. */
    void add(InstanceConfig config) {
        call(() -> {
            addNow(config);
            return null;
        });
    }

    void remove(String name) {
        call(() -> {
            removeNow(name);
            return null;
        });
    }

    void addScript(ScriptConfig config) {
        call(() -> {
            if (trackScripts.containsKey(config.name())) {
                throw ConfigReader.bad("name", "a track script " + config.name() + " exists already");
            }
            trackScripts.put(config.name(), new TrackScript(config, clock.nanoTime()));
            scriptsChanged();
            return null;
        });
    }

    void removeScript(String name) {
        call(() -> {
            if (trackScripts.remove(name) != null) scriptsChanged();
            return null;
        });
    }

    private void scriptsChanged() {
        activeScripts = trackScripts.values().toArray(new TrackScript[0]);
        long now = clock.nanoTime();
        for (VrrpInstance i : active) evaluate(i, now);
    }

    void addNow(InstanceConfig config) {
        if (instances.containsKey(config.name())) {
            throw ConfigReader.bad("name", "an instance " + config.name() + " exists already");
        }
        for (VrrpInstance other : instances.values()) {
            // RFC 5798 §5.2.3: a VRID is unique per address family on a LAN; IPv4 and IPv6 may share it
            if (other.config.vrid() == config.vrid() && other.config.interfaceName().equals(config.interfaceName())
                    && other.config.ipv6() == config.ipv6()) {
                throw ConfigReader.bad("virtual_router_id", config.vrid() + " on " + config.interfaceName()
                        + " is taken by instance " + other.config.name());
            }
        }
        VrrpInstance instance = new VrrpInstance(config, new Counters(), this);
        instance.hold = hold;
        instances.put(config.name(), instance);
        if (config.syncGroup() != null) {
            SyncGroup g = groups.computeIfAbsent(config.syncGroup(), SyncGroup::new);
            g.members.add(instance);
            instance.group = g;
        }
        rebuild();
        long now = clock.nanoTime();
        evaluate(instance, now);
        instance.start(now);
        LOG.info("VRRP instance {} (VRID {} on {}, priority {}) started in {}", config.name(), config.vrid(),
                config.interfaceName(), config.priority(), instance.state());
    }

    void removeNow(String name) {
        VrrpInstance instance = instances.remove(name);
        if (instance == null) return;
        instance.stop(clock.nanoTime());
        if (instance.group != null) {
            instance.group.members.remove(instance);
            if (instance.group.members.isEmpty()) groups.remove(instance.group.name);
            else instance.group.faultChanged(clock.nanoTime()); // a fault of the removed member no longer holds
        }
        unbind(instance);
        rebuild();
    }

    private void rebuild() {
        active = instances.values().toArray(new VrrpInstance[0]);
        published = List.copyOf(instances.values());
        roles = new RoleTable(published);
    }

    // ------------------------------------------------------------------ tracking (VRRP thread)

    /** Binds a detached instance when its link is up, then gives it its fault and weight. */
    private void evaluate(VrrpInstance instance, long now) {
        InstanceConfig c = instance.config;
        boolean up = network.linkUp(c.interfaceName());
        if (up && !bindings.containsKey(instance)) bind(instance);
        boolean fault = !up || !bindings.containsKey(instance);
        // indexed loops: this runs every second for every instance, and an iterator is an allocation
        List<String> interfaces = c.trackInterfaces();
        for (int k = 0; k < interfaces.size(); k++) fault |= !network.linkUp(interfaces.get(k));
        int weight = 0;
        List<String> names = c.trackScripts();
        for (int k = 0; k < names.size(); k++) {
            TrackScript s = trackScripts.get(names.get(k));
            if (s == null) continue; // not configured (yet): tracks nothing
            fault |= s.faults();
            weight += s.weightNow();
        }
        instance.track(now, fault, weight);
    }

    private void bind(VrrpInstance instance) {
        try {
            Network.Binding b = network.bind(instance, instance.counters, wakeup);
            bindings.put(instance, b);
            instance.attach(b, b.source(), b.sourceHi(), b.sourceLo());
            LOG.info("VRRP instance {} sends from {} on {}", instance.config.name(), instance.config.ipv6()
                    ? new Ip6Address(b.sourceHi(), b.sourceLo()).toString() : Ip4.toString(b.source()),
                    instance.config.interfaceName());
        } catch (IOException | RuntimeException e) {
            LOG.warn("VRRP instance {} cannot use {} (retried every second): {}", instance.config.name(),
                    instance.config.interfaceName(), e.getMessage());
        }
    }

    private void unbind(VrrpInstance instance) {
        Network.Binding b = bindings.remove(instance);
        instance.attach(null, instance.source());
        if (b != null) b.close();
    }

    private void runScript(TrackScript s, long now) {
        s.running = true;
        s.nextRun = now + s.config.intervalNanos();
        scripts.run(s.config.command(), List.of(), s.config.timeoutNanos(), status -> post(() -> scriptDone(s, status)));
    }

    void scriptDone(TrackScript s, int status) {
        s.running = false;
        if (trackScripts.get(s.config.name()) != s) return; // removed meanwhile
        if (s.result(status == 0)) {
            LOG.info("VRRP track script {} is now {}", s.config.name(), s.good() ? "good" : "failed");
            long now = clock.nanoTime();
            for (VrrpInstance i : active) {
                if (i.config.trackScripts().contains(s.config.name())) evaluate(i, now);
            }
        }
    }

    // ------------------------------------------------------------------ transitions (VRRP thread)

    /** The master's address as logs show it: IPv4, or an IPv6 instance's link-local ("none" before one is known). */
    static String masterText(VrrpInstance instance) {
        if (!instance.config.ipv6()) return Ip4.toString(instance.masterAddress());
        Ip6Address m = instance.masterAddress6();
        return m == null ? "none" : m.toString();
    }

    @Override
    public void transitioned(VrrpInstance instance, State from, State to) {
        InstanceConfig c = instance.config;
        LOG.info("VRRP instance {} {} -> {} (priority {}, master {})", c.name(), from, to,
                instance.effectivePriority(), masterText(instance));
        String script = switch (to) {
            case MASTER -> c.notifyMaster();
            case BACKUP -> c.notifyBackup();
            case FAULT -> c.notifyFault();
            case INIT -> c.notifyStop();
        };
        if (script != null) scripts.run(script, List.of(), c.notifyTimeoutNanos(), status -> { });
        if (c.notifyAny() != null) {
            // keepalived's generic notify: INSTANCE name state priority
            String word = to == State.INIT ? "STOP" : to.name();
            scripts.run(c.notifyAny(), List.of("INSTANCE", c.name(), word, Integer.toString(instance.effectivePriority())),
                    c.notifyTimeoutNanos(), status -> { });
        }
        effects.transitioned(instance, from, to);
    }

    // ------------------------------------------------------------------ readers (any thread)

    boolean mayServe(int address) {
        return roles.mayServe(address);
    }

    boolean mayServe6(long hi, long lo) {
        return roles.mayServe6(hi, lo);
    }

    List<VrrpInstance> instances() {
        return published;
    }

    VrrpInstance instance(String name) {
        for (VrrpInstance i : published) {
            if (i.config.name().equals(name)) return i;
        }
        return null;
    }

    /** Stops every instance (priority 0 from a master), closes the channels, ends the thread. */
    @Override
    public void close() {
        call(() -> {
            for (String name : new ArrayList<>(instances.keySet())) removeNow(name);
            return null;
        });
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
