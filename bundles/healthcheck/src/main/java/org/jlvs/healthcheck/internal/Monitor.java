package org.jlvs.healthcheck.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;

import org.jlvs.api.CheckResult;
import org.jlvs.api.CheckSpec;
import org.jlvs.api.CheckStatus;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.spi.HealthChecker;
import org.jlvs.api.HealthMonitor;
import org.jlvs.api.Ip4;
import org.jlvs.api.LvsException;
import org.jlvs.api.QuorumConfig;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.VirtualServerTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's healthcheck daemon over the {@link VirtualServerTable}: it runs each check on its schedule,
 * turns results into a real server's alive state (alive = every check passes), and applies it: the server is
 * removed from the table when it dies and added back when it lives (with inhibit_on_failure its weight goes
 * to 0 and back instead); per service, the live weight decides the quorum (with hysteresis), and while the
 * quorum is lost a sorry server, if set, takes the place of the live real servers.
 *
 * <p>All state is guarded by this object's lock; timers and check results arrive on the one monitor thread
 * of {@link Timers}. Checkers run the attempts on their own I/O threads, so no thread waits for a check.
 * A check whose checker type disappears is suspended with its last state (no flap) until one is back.
 */
public final class Monitor implements HealthMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);
    /** Time a checker gets beyond the check's timeout before the monitor gives up on the attempt. */
    static final long WATCHDOG_GRACE_MILLIS = 1_000;
    /** How often the table is compared with what the monitor believes (operator changes, deleted services). */
    static final long SWEEP_MILLIS = 2_000;

    /** What the monitor tells the world besides the table: OSGi events and notify scripts. */
    public interface Effects {
        void post(String topic, Map<String, Object> properties);

        void runScript(String commandLine, Map<String, String> environment);

        /** The checks or quorum settings changed (to be persisted). Called under the monitor's lock: return quickly. */
        default void checksChanged() {}

        Effects NONE = new Effects() {
            @Override public void post(String topic, Map<String, Object> properties) {}
            @Override public void runScript(String commandLine, Map<String, String> environment) {}
        };
    }

    private final VirtualServerTable table;
    private final Timers timers;
    private final Effects effects;
    /** bound -> a random value in [0, bound]: the warmup spread. */
    private final LongUnaryOperator random;
    private final Map<ServiceKey, Pool> pools = new TreeMap<>();
    /** Checkers by type, in arrival order: the first one runs the checks; the next takes over if it leaves. */
    private final Map<String, List<HealthChecker>> checkers = new HashMap<>();
    private final IntervalStats intervals = new IntervalStats();
    private Timers.Cancellable sweep;
    private boolean closed;

    public Monitor(VirtualServerTable table, Timers timers, Effects effects, LongUnaryOperator random) {
        this.table = table;
        this.timers = timers;
        this.effects = effects;
        this.random = random;
        sweep = timers.schedule(this::sweep, ms(SWEEP_MILLIS));
    }

    public synchronized void close() {
        closed = true;
        if (sweep != null) sweep.cancel();
        for (Pool pool : pools.values()) {
            for (Member m : pool.members.values()) {
                for (Check c : m.checks) {
                    c.removed = true;
                    c.cancelTimers();
                }
            }
        }
        // The table is left as it is: a monitor that stops must not add dead servers nor drop live ones.
    }

    // ------------------------------------------------------------------ checkers come and go

    public synchronized void checkerAdded(String type, HealthChecker checker) {
        List<HealthChecker> list = checkers.computeIfAbsent(type, t -> new ArrayList<>());
        list.add(checker);
        if (list.get(0) != checker) return;
        int resumed = 0;
        for (Check c : allChecks()) {
            if (c.type().equals(type) && c.suspended) {
                c.suspended = false;
                // spread the restart like a warmup, so that a returning checker is not hit by every check at once
                scheduleAttempt(c, random.applyAsLong(Math.min(c.settings.warmupMillis(), c.settings.delayLoopMillis())));
                resumed++;
            }
        }
        if (resumed > 0) LOG.info("checker {} is back: {} suspended checks resume", type, resumed);
    }

    public synchronized void checkerRemoved(String type, HealthChecker checker) {
        List<HealthChecker> list = checkers.get(type);
        if (list == null || !list.remove(checker)) return;
        HealthChecker replacement = list.isEmpty() ? null : list.get(0);
        int suspended = 0;
        for (Check c : allChecks()) {
            if (!c.type().equals(type)) continue;
            if (c.inFlight == checker) {
                abandonAttempt(c);
                if (replacement != null) scheduleAttempt(c, 0);
            }
            if (replacement == null && !c.suspended) {
                suspend(c);
                suspended++;
            }
        }
        if (suspended > 0) {
            LOG.warn("checker {} is gone: {} checks are suspended and their real servers keep their last state"
                    + " until a {} checker is back", type, suspended, type);
        }
    }

    private HealthChecker checker(String type) {
        List<HealthChecker> list = checkers.get(type);
        return list == null || list.isEmpty() ? null : list.get(0);
    }

    @Override
    public synchronized Set<String> checkerTypes() {
        Set<String> types = new TreeSet<>();
        checkers.forEach((t, list) -> {
            if (!list.isEmpty()) types.add(t);
        });
        return types;
    }

    // ------------------------------------------------------------------ configuration

    @Override
    public synchronized void addCheck(CheckSpec given) {
        if (closed) throw new LvsException("the health monitor is stopping");
        Settings settings = Settings.of(given);
        String type = settings.type();
        HealthChecker checker = checker(type);
        if (checker == null) {
            throw new LvsException("no " + type + " checker is installed (installed: "
                    + (checkerTypes().isEmpty() ? "none" : String.join(", ", checkerTypes()))
                    + "): install the jlvs-check-" + (type.equals("ssl") ? "http" : type) + " feature");
        }
        checker.validate(settings.config());
        ServiceKey key = given.service();
        ServiceInfo info = table.get(key);
        if (info == null) throw new LvsException("No such service: " + key);
        Pool pool = pools.get(key);
        Member member = pool == null ? null : pool.member(given.address(), given.port());
        if (member != null) {
            for (Check c : member.checks) {
                if (c.type().equals(type)) {
                    throw new LvsException("real server " + member.endpoint() + " of " + key + " already has a " + type
                            + " check: remove it first (lvs:check-remove ... --type " + type + ")");
                }
            }
        } else {
            ServerInfo server = find(info, given.address(), given.port());
            if (server == null) {
                throw new LvsException("No such real server: " + Ip4.toString(given.address(), given.port()) + " in " + key);
            }
            if (pool != null && pool.sorryIn != null && pool.sorryIn.address() == given.address()
                    && pool.sorryIn.port() == given.port()) {
                throw new LvsException(Ip4.toString(given.address(), given.port()) + " is the sorry server of " + key);
            }
            if (pool == null) {
                pool = new Pool(key, timers.currentTimeMillis());
                pools.put(key, pool);
            }
            member = new Member(pool, server.config(), timers.currentTimeMillis());
            member.appliedWeight = server.config().weight();
            pool.members.put(Pool.id(member.address, member.port), member);
        }
        CheckSpec spec = new CheckSpec(key, given.address(), given.port(), type, given.options());
        if (settings.inhibitOnFailure()) member.inhibitOnFailure = true;
        if (settings.notifyUp() != null) member.notifyUp = settings.notifyUp();
        if (settings.notifyDown() != null) member.notifyDown = settings.notifyDown();
        Check check = new Check(spec, settings, member, timers.currentTimeMillis());
        member.checks.add(check);
        LOG.info("added {} check of real server {} (every {} s{})", type, member, Settings.seconds(settings.delayLoopMillis()),
                settings.alpha() ? ", down until its first success" : "");
        scheduleAttempt(check, settings.warmupMillis() > 0 ? random.applyAsLong(settings.warmupMillis()) : 0);
        update(member, type + ": " + (check.up ? "check added" : "alpha, no success yet"));
        effects.checksChanged();
    }

    @Override
    public synchronized int removeChecks(ServiceKey key, int address, int port, String type) {
        String wanted = type == null ? null : Settings.normalType(type);
        Pool pool = pools.get(key);
        Member member = pool == null ? null : pool.member(address, port);
        if (member == null || member.checks.isEmpty()) {
            throw new LvsException("No checks on real server " + Ip4.toString(address, port) + " of " + key);
        }
        int removed = 0;
        for (Iterator<Check> it = member.checks.iterator(); it.hasNext(); ) {
            Check c = it.next();
            if (wanted == null || c.type().equals(wanted)) {
                c.removed = true;
                c.cancelTimers();
                cancelPending(c);
                it.remove();
                removed++;
            }
        }
        if (removed == 0) throw new LvsException("real server " + member + " has no " + wanted + " check");
        LOG.info("removed {} check(s) of real server {}", removed, member);
        update(member, "checks removed");
        forgetIfIdle(member);
        dropPoolIfIdle(pool);
        effects.checksChanged();
        return removed;
    }

    @Override
    public synchronized List<CheckStatus> checks(ServiceKey key) {
        List<CheckStatus> out = new ArrayList<>();
        for (Pool pool : pools.values()) {
            if (key != null && !pool.key.equals(key)) continue;
            List<Member> members = new ArrayList<>(pool.members.values());
            members.sort(Comparator.comparing((Member m) -> m.address, Integer::compareUnsigned).thenComparingInt(m -> m.port));
            for (Member m : members) {
                for (Check c : m.checks) {
                    out.add(new CheckStatus(c.spec, c.state(), c.lastResult, c.lastLatencyNanos, c.consecutiveFailures,
                            c.stateSinceMillis, c.attempts, c.settings.effective()));
                }
            }
        }
        return out;
    }

    @Override
    public synchronized void setQuorum(ServiceKey key, QuorumConfig config) {
        if (table.get(key) == null) throw new LvsException("No such service: " + key);
        Pool pool = pools.get(key);
        if (pool == null) {
            pool = new Pool(key, timers.currentTimeMillis());
            pools.put(key, pool);
        }
        QuorumConfig old = pool.quorum;
        pool.quorum = config;
        pool.quorumSet = !config.equals(QuorumConfig.DEFAULT);
        LOG.info("service {}: quorum {}, hysteresis {}, sorry server {}", key, config.quorum(), config.hysteresis(),
                config.hasSorryServer() ? Ip4.toString(config.sorryAddress(), config.sorryPort()) : "none");
        if (pool.sorryIn != null && (old.sorryAddress() != config.sorryAddress() || old.sorryPort() != config.sorryPort())) {
            // another sorry server: the new one goes in before the old one leaves
            Pool.SorryServer previous = pool.sorryIn;
            pool.sorryIn = null;
            if (config.hasSorryServer()) addSorry(pool);
            removeSorry(pool, previous);
            placeAll(pool);
        }
        evaluateQuorum(pool, "quorum settings changed");
        dropPoolIfIdle(pool);
        effects.checksChanged();
    }

    @Override
    public synchronized QuorumConfig quorum(ServiceKey key) {
        Pool pool = pools.get(key);
        return pool == null ? QuorumConfig.DEFAULT : pool.quorum;
    }

    @Override
    public synchronized ServiceHealth service(ServiceKey key) {
        Pool pool = pools.get(key);
        if (pool == null) return null;
        List<ServerHealth> servers = new ArrayList<>();
        for (Member m : pool.members.values()) {
            String state = m.suspended() ? "SUSPENDED" : m.alive ? "UP" : "DOWN";
            String detail = switch (m.placement) {
                case IN -> "";
                case INHIBITED -> "weight 0";
                case OUT -> m.alive ? "held out: quorum lost, sorry server serves" : "removed";
            };
            servers.add(new ServerHealth(m.address, m.port, m.alive, m.placement != Member.Placement.OUT, false, state,
                    detail, m.aliveSinceMillis));
        }
        if (pool.sorryIn != null) {
            servers.add(new ServerHealth(pool.sorryIn.address(), pool.sorryIn.port(), true, true, true, "SORRY",
                    "quorum lost", pool.quorumSinceMillis));
        }
        return new ServiceHealth(key, pool.quorum, pool.quorumUp, liveWeight(pool, table.get(key)), List.copyOf(servers));
    }

    /** The schedule's regularity, for lvs:checks --intervals. */
    public synchronized String intervalSummary(boolean reset) {
        String s = intervals.summary();
        if (reset) intervals.reset();
        return s;
    }

    // ------------------------------------------------------------------ running checks

    private void scheduleAttempt(Check c, long delayMillis) {
        if (c.next != null) c.next.cancel();
        c.plannedStartNanos = timers.nanoTime() + ms(delayMillis);
        c.plannedDelayLoop = false;
        c.next = timers.schedule(() -> launch(c), ms(delayMillis));
    }

    private synchronized void launch(Check c) {
        c.next = null;
        if (c.removed || closed) return;
        HealthChecker checker = checker(c.type());
        if (checker == null) {
            suspend(c);
            return;
        }
        c.suspended = false;
        long now = timers.nanoTime();
        intervals.lateness(now - c.plannedStartNanos);
        if (c.plannedDelayLoop && c.lastStartNanos >= 0) intervals.interval(now - c.lastStartNanos);
        c.lastStartNanos = now;
        int attempt = ++c.attemptSeq;
        c.inFlight = checker;
        c.startedNanos = now;
        CompletionStage<CheckResult> stage;
        try {
            stage = checker.check(c.settings.config());
        } catch (RuntimeException e) {
            LOG.warn("{} checker failed to start a check of {}: {}", c.type(), c.member, e.toString());
            stage = java.util.concurrent.CompletableFuture.completedFuture(
                    CheckResult.down("checker error: " + e, timers.nanoTime() - now));
        }
        c.pending = stage;
        c.watchdog = timers.schedule(() -> watchdog(c, attempt), ms(c.settings.timeoutMillis() + WATCHDOG_GRACE_MILLIS));
        // back onto the monitor thread: a checker may complete on its own I/O thread, or right here
        stage.whenComplete((result, error) -> timers.execute(() -> completed(c, attempt, checker, result, error)));
    }

    private synchronized void completed(Check c, int attempt, HealthChecker checker, CheckResult result, Throwable error) {
        if (c.removed || closed || attempt != c.attemptSeq || c.inFlight != checker) return; // stale
        if (error != null) {
            if (checker(c.type()) != checker) {
                // the checker left while the attempt ran: no verdict, the state is kept
                abandonAttempt(c);
                return;
            }
            result = CheckResult.down("checker error: " + rootMessage(error), timers.nanoTime() - c.startedNanos);
        }
        finishAttempt(c, result);
    }

    private synchronized void watchdog(Check c, int attempt) {
        if (c.removed || closed || attempt != c.attemptSeq || c.inFlight == null) return;
        c.watchdog = null;
        cancelPending(c);
        finishAttempt(c, CheckResult.down("no result within " + Settings.seconds(c.settings.timeoutMillis()) + " s",
                timers.nanoTime() - c.startedNanos));
    }

    private void finishAttempt(Check c, CheckResult result) {
        if (c.watchdog != null) c.watchdog.cancel();
        c.watchdog = null;
        c.inFlight = null;
        c.pending = null;
        c.attemptSeq++;
        boolean wasUp = c.up;
        long delay = c.record(result, timers.currentTimeMillis());
        if (!result.up() && wasUp && c.up) {
            if (c.settings.logAllFailures()) {
                LOG.info("{} check of {} failed ({}), retry {} of {} in {} s", c.type(), c.member, result.message(),
                        c.retriesUsed, c.settings.retry(), Settings.seconds(delay));
            } else {
                LOG.debug("{} check of {} failed ({}), retry {} of {}", c.type(), c.member, result.message(),
                        c.retriesUsed, c.settings.retry());
            }
        }
        scheduleAttempt(c, delay);
        c.plannedDelayLoop = !(wasUp && c.up && !result.up()); // not a retry
        if (wasUp != c.up) {
            LOG.info("{} check of {} is {} ({})", c.type(), c.member, c.up ? "UP" : "DOWN", result.message());
        }
        Member m = c.member;
        boolean weightChanged = false;
        if (result.up() && result.weight() != CheckResult.NO_WEIGHT && result.weight() != m.dynamicWeight) {
            m.dynamicWeight = result.weight();
            weightChanged = true;
            LOG.info("real server {}: {} check sets its weight to {}", m, c.type(), result.weight());
            effects.post(TOPIC_WEIGHT, properties(m, m.alive ? "UP" : "DOWN", c.type() + ": " + result.message()));
        }
        if (wasUp != c.up || weightChanged) update(m, c.type() + ": " + result.message());
    }

    private void suspend(Check c) {
        abandonAttempt(c);
        if (c.next != null) c.next.cancel();
        c.next = null;
        c.suspended = true;
    }

    /** Forgets the attempt in flight without a verdict (its checker left). */
    private void abandonAttempt(Check c) {
        if (c.watchdog != null) c.watchdog.cancel();
        c.watchdog = null;
        cancelPending(c);
        c.inFlight = null;
        c.attemptSeq++;
    }

    private static void cancelPending(Check c) {
        CompletionStage<CheckResult> p = c.pending;
        c.pending = null;
        if (p != null) {
            try {
                p.toCompletableFuture().cancel(false); // lets the checker drop the attempt early, if it listens
            } catch (UnsupportedOperationException e) {
                // a stage without a future: it will complete on its own and be ignored as stale
            }
        }
    }

    // ------------------------------------------------------------------ applying states to the table

    /** Re-evaluates a member's alive state and applies everything that follows from it. */
    private void update(Member m, String reason) {
        boolean alive = m.checksPass();
        if (alive != m.alive) {
            m.alive = alive;
            m.aliveSinceMillis = timers.currentTimeMillis();
            announce(m, reason);
        }
        Pool pool = m.pool;
        if (!evaluateQuorum(pool, reason)) place(m);
    }

    private void announce(Member m, String reason) {
        String state = m.alive ? "UP" : "DOWN";
        String action = m.alive ? (m.inhibitOnFailure ? "weight restored" : "added back")
                : (m.inhibitOnFailure ? "weight set to 0" : "removed");
        if (m.pool.sorryIn != null) action = m.alive ? "held out while the sorry server serves" : "stays out";
        LOG.info("real server {} is {} ({}): {}", m, state, reason, action);
        effects.post(m.alive ? TOPIC_UP : TOPIC_DOWN, properties(m, state, reason));
        String script = m.alive ? m.notifyUp : m.notifyDown;
        if (script != null) {
            Map<String, String> env = new LinkedHashMap<>();
            env.put("JLVS_SERVICE", m.pool.key.toString());
            env.put("JLVS_REAL_SERVER", m.endpoint());
            env.put("JLVS_STATE", state);
            env.put("JLVS_REASON", reason);
            effects.runScript(script, env);
        }
    }

    private static Map<String, Object> properties(Member m, String state, String reason) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("service", m.pool.key.toString());
        p.put("protocol", m.pool.key.protocol().label());
        p.put("virtual.address", Ip4.toString(m.pool.key.address()));
        p.put("virtual.port", m.pool.key.port());
        p.put("address", Ip4.toString(m.address));
        p.put("port", m.port);
        p.put("state", state);
        p.put("reason", reason);
        p.put("weight", m.effectiveWeight());
        return p;
    }

    /** Puts one member where its state says it belongs: in, with weight 0, or out of the table. */
    private void place(Member m) {
        Member.Placement want;
        if (m.alive && m.pool.sorryIn == null) want = Member.Placement.IN;
        else want = m.inhibitOnFailure ? Member.Placement.INHIBITED : Member.Placement.OUT;
        ServiceKey key = m.pool.key;
        try {
            switch (want) {
                case IN -> {
                    int weight = m.effectiveWeight();
                    if (m.placement == Member.Placement.OUT) {
                        table.addServer(key, m.config.withWeight(weight));
                    } else if (m.placement == Member.Placement.INHIBITED || m.appliedWeight != weight) {
                        table.editServer(key, current(m).withWeight(weight));
                    }
                    m.appliedWeight = weight;
                }
                case INHIBITED -> {
                    if (m.placement == Member.Placement.OUT) {
                        table.addServer(key, m.config.withWeight(0));
                    } else if (m.placement == Member.Placement.IN) {
                        table.editServer(key, remember(m).withWeight(0));
                    }
                    m.appliedWeight = 0;
                }
                case OUT -> {
                    if (m.placement != Member.Placement.OUT) {
                        if (m.placement == Member.Placement.IN) remember(m);
                        table.deleteServer(key, m.address, m.port);
                    }
                }
            }
            m.placement = want;
        } catch (LvsException | IllegalArgumentException e) {
            reconcileAfterFailure(m, want, e);
        }
        forgetIfIdle(m);
    }

    private void placeAll(Pool pool) {
        for (Member m : new ArrayList<>(pool.members.values())) place(m);
    }

    /** A table change was refused: the operator changed the table behind the monitor's back. */
    private void reconcileAfterFailure(Member m, Member.Placement want, RuntimeException e) {
        ServiceInfo info = table.get(m.pool.key);
        if (info == null) {
            LOG.warn("service {} was deleted: its checks are removed", m.pool.key);
            dropPool(m.pool);
            return;
        }
        ServerInfo now = find(info, m.address, m.port);
        if (now == null && m.placement != Member.Placement.OUT) {
            LOG.warn("real server {} was deleted by the operator: its checks are removed", m);
            forget(m);
            return;
        }
        if (now != null && want != Member.Placement.OUT && m.placement == Member.Placement.OUT) {
            // added back by the operator meanwhile: take it as it is, then apply again
            m.config = now.config();
            m.placement = now.config().weight() == 0 && m.inhibitOnFailure ? Member.Placement.INHIBITED : Member.Placement.IN;
            m.appliedWeight = now.config().weight();
            place(m);
            return;
        }
        LOG.warn("could not apply the state of real server {}: {}", m, e.getMessage());
    }

    /** The member's configuration as in the table now (the operator may have edited it), else as remembered. */
    private ServerConfig current(Member m) {
        ServiceInfo info = table.get(m.pool.key);
        ServerInfo s = info == null ? null : find(info, m.address, m.port);
        return s == null ? m.config : s.config();
    }

    /** Refreshes the remembered configuration from the table before taking the server out or to weight 0. */
    private ServerConfig remember(Member m) {
        ServerConfig now = current(m);
        boolean tableWeightIsOperators = m.placement == Member.Placement.IN && m.dynamicWeight == CheckResult.NO_WEIGHT;
        m.config = tableWeightIsOperators ? now : now.withWeight(m.config.weight());
        return now;
    }

    /** A member without checks that is back in the table needs no looking after. */
    private void forgetIfIdle(Member m) {
        if (m.checks.isEmpty() && m.placement == Member.Placement.IN && m.pool.members.get(Pool.id(m.address, m.port)) == m) {
            m.pool.members.remove(Pool.id(m.address, m.port));
        }
    }

    private void forget(Member m) {
        for (Check c : m.checks) {
            c.removed = true;
            c.cancelTimers();
            cancelPending(c);
        }
        m.checks.clear();
        m.pool.members.remove(Pool.id(m.address, m.port));
        effects.checksChanged();
    }

    private void dropPoolIfIdle(Pool pool) {
        if (pool.members.isEmpty() && !pool.quorumSet && pool.sorryIn == null) pools.remove(pool.key);
    }

    private void dropPool(Pool pool) {
        for (Member m : new ArrayList<>(pool.members.values())) forget(m);
        pools.remove(pool.key);
        effects.checksChanged();
    }

    // ------------------------------------------------------------------ quorum and sorry server

    /**
     * keepalived's update_quorum_state: lost when the live weight falls below quorum - hysteresis, gained when
     * it reaches quorum + hysteresis. Returns true when the quorum changed (every member was placed again).
     */
    private boolean evaluateQuorum(Pool pool, String reason) {
        ServiceInfo info = table.get(pool.key);
        if (info == null) return false;
        long live = liveWeight(pool, info);
        QuorumConfig q = pool.quorum;
        boolean changed = false;
        if (!pool.quorumUp && live >= (long) q.quorum() + q.hysteresis()) {
            pool.quorumUp = true;
            changed = true;
            LOG.info("service {} gained quorum: live weight {} >= {}+{}", pool.key, live, q.quorum(), q.hysteresis());
            effects.post(TOPIC_QUORUM_GAINED, quorumProperties(pool, live, reason));
        } else if (pool.quorumUp && live < (long) q.quorum() - q.hysteresis()) {
            pool.quorumUp = false;
            changed = true;
            LOG.warn("service {} lost quorum: live weight {} < {}-{}{}", pool.key, live, q.quorum(), q.hysteresis(),
                    q.hasSorryServer() ? ": the sorry server takes the traffic" : "");
            effects.post(TOPIC_QUORUM_LOST, quorumProperties(pool, live, reason));
        }
        if (changed) pool.quorumSinceMillis = timers.currentTimeMillis();
        boolean wantSorry = !pool.quorumUp && q.hasSorryServer();
        if (wantSorry && pool.sorryIn == null) {
            holdUnwatched(pool, info);
            addSorry(pool);          // first the sorry server in ...
            placeAll(pool);          // ... then the live real servers out
            return true;
        }
        if (!wantSorry && pool.sorryIn != null) {
            Pool.SorryServer sorry = pool.sorryIn;
            pool.sorryIn = null;
            placeAll(pool);          // first the live real servers back ...
            removeSorry(pool, sorry); // ... then the sorry server out
            return true;
        }
        return false;
    }

    /** keepalived's weigh_live_realservers: live members' weights plus the servers the monitor does not watch. */
    private static long liveWeight(Pool pool, ServiceInfo info) {
        long sum = 0;
        for (Member m : pool.members.values()) {
            if (m.alive) sum += m.effectiveWeight();
        }
        if (info != null) {
            for (ServerInfo s : info.servers()) {
                int a = s.config().address(), p = s.config().port();
                if (pool.member(a, p) != null) continue;
                if (pool.sorryIn != null && pool.sorryIn.address() == a && pool.sorryIn.port() == p) continue;
                sum += s.config().weight();
            }
        }
        return sum;
    }

    /** Real servers without checks are taken out too while the sorry server serves: look after them. */
    private void holdUnwatched(Pool pool, ServiceInfo info) {
        QuorumConfig q = pool.quorum;
        for (ServerInfo s : info.servers()) {
            ServerConfig c = s.config();
            if (pool.member(c.address(), c.port()) != null) continue;
            if (c.address() == q.sorryAddress() && c.port() == q.sorryPort()) continue;
            Member m = new Member(pool, c, timers.currentTimeMillis());
            m.appliedWeight = c.weight();
            pool.members.put(Pool.id(m.address, m.port), m);
        }
    }

    private void addSorry(Pool pool) {
        QuorumConfig q = pool.quorum;
        ServiceInfo info = table.get(pool.key);
        boolean present = info != null && find(info, q.sorryAddress(), q.sorryPort()) != null;
        try {
            if (!present) {
                table.addServer(pool.key, ServerConfig.of(q.sorryAddress(), q.sorryPort(), sorryMethod(pool, info), 1));
            }
            pool.sorryIn = new Pool.SorryServer(q.sorryAddress(), q.sorryPort(), !present);
            LOG.info("sorry server {} serves {}", Ip4.toString(q.sorryAddress(), q.sorryPort()), pool.key);
        } catch (LvsException | IllegalArgumentException e) {
            LOG.warn("could not add sorry server {} to {}: {}", Ip4.toString(q.sorryAddress(), q.sorryPort()), pool.key,
                    e.getMessage());
        }
    }

    private void removeSorry(Pool pool, Pool.SorryServer sorry) {
        if (!sorry.added()) return; // the operator's own server: not ours to remove
        try {
            table.deleteServer(pool.key, sorry.address(), sorry.port());
            LOG.info("sorry server {} leaves {}", Ip4.toString(sorry.address(), sorry.port()), pool.key);
        } catch (LvsException | IllegalArgumentException e) {
            LOG.warn("could not remove sorry server {} from {}: {}", Ip4.toString(sorry.address(), sorry.port()),
                    pool.key, e.getMessage());
        }
    }

    /** The sorry server is forwarded like the service's real servers (keepalived: the service's lvs_method). */
    private static ForwardMethod sorryMethod(Pool pool, ServiceInfo info) {
        for (Member m : pool.members.values()) return m.config.method();
        if (info != null && !info.servers().isEmpty()) return info.servers().get(0).config().method();
        return ForwardMethod.MASQ;
    }

    private static Map<String, Object> quorumProperties(Pool pool, long live, String reason) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("service", pool.key.toString());
        p.put("quorum", pool.quorum.quorum());
        p.put("hysteresis", pool.quorum.hysteresis());
        p.put("live.weight", live);
        p.put("reason", reason);
        return p;
    }

    // ------------------------------------------------------------------ the sweep

    /** Follows operator changes: deleted services and servers, re-added servers, edited weights. */
    private synchronized void sweep() {
        if (closed) return;
        try {
            for (Pool pool : new ArrayList<>(pools.values())) {
                ServiceInfo info = table.get(pool.key);
                if (info == null) {
                    LOG.warn("service {} was deleted: its checks are removed", pool.key);
                    dropPool(pool);
                    continue;
                }
                for (Member m : new ArrayList<>(pool.members.values())) {
                    ServerInfo s = find(info, m.address, m.port);
                    if (s == null && m.placement != Member.Placement.OUT) {
                        LOG.warn("real server {} was deleted by the operator: its checks are removed", m);
                        forget(m);
                    } else if (s != null && m.placement == Member.Placement.OUT) {
                        m.config = s.config();
                        m.placement = Member.Placement.IN;
                        m.appliedWeight = s.config().weight();
                        place(m); // re-added by the operator: the monitor's verdict still applies
                    } else if (s != null && m.placement == Member.Placement.IN && m.dynamicWeight == CheckResult.NO_WEIGHT
                            && s.config().weight() != m.appliedWeight) {
                        m.config = s.config(); // the operator edited the weight: it is the one to restore
                        m.appliedWeight = s.config().weight();
                    }
                }
                if (pools.get(pool.key) == pool) evaluateQuorum(pool, "table changed");
            }
        } finally {
            sweep = timers.schedule(this::sweep, ms(SWEEP_MILLIS));
        }
    }

    // ------------------------------------------------------------------ helpers

    private List<Check> allChecks() {
        List<Check> all = new ArrayList<>();
        for (Pool pool : pools.values()) {
            for (Member m : pool.members.values()) all.addAll(m.checks);
        }
        return all;
    }

    static ServerInfo find(ServiceInfo info, int address, int port) {
        for (ServerInfo s : info.servers()) {
            if (s.config().address() == address && s.config().port() == port) return s;
        }
        return null;
    }

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
