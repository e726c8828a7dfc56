package org.jlvs.healthcheck.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongUnaryOperator;

import org.jlvs.api.CheckSpec;
import org.jlvs.api.CheckStatus;
import org.jlvs.api.HealthMonitor;
import org.jlvs.api.Ip4;
import org.jlvs.api.LvsException;
import org.jlvs.api.QuorumConfig;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.VirtualServerTable;
import org.jlvs.api.spi.HealthChecker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's healthcheck daemon over the {@link VirtualServerTable}: it runs each check on its schedule,
 * turns results into a real server's alive state (alive = every check passes), and applies it: the server is
 * removed from the table when it dies and added back when it lives (with inhibit_on_failure its weight goes
 * to 0 and back instead); per service, the live weight decides the quorum (with hysteresis), and while the
 * quorum is lost a sorry server, if set, takes the place of the live real servers.
 *
 * <p>This class holds the checker registry and the check configuration and owns the one lock (this object)
 * that guards all state; its parts do the rest under it: {@link CheckRunner} runs the attempts,
 * {@link Placement} puts servers in or out of the table, {@link Quorum} keeps quorum and sorry server,
 * {@link Sweep} follows the operator's changes. Timers and check results arrive on the one monitor thread of
 * {@link Timers}; checkers run the attempts on their own I/O threads, so no thread waits for a check. A check
 * whose checker type disappears is suspended with its last state (no flap) until one is back.
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
    private final Checkers checkers = new Checkers();
    private final CheckRunner runner;
    private final Placement placement;
    private final Quorum quorum;
    private final Sweep sweep;
    private boolean closed;

    public Monitor(VirtualServerTable table, Timers timers, Effects effects, LongUnaryOperator random) {
        this.table = table;
        this.timers = timers;
        this.effects = effects;
        this.random = random;
        runner = new CheckRunner(this, timers, checkers, effects, this::update);
        placement = new Placement(table, pools, timers, effects, runner);
        quorum = new Quorum(table, timers, effects, placement);
        sweep = new Sweep(this, timers, table, pools, placement, quorum);
        sweep.start();
    }

    public synchronized void close() {
        closed = true;
        runner.close();
        sweep.close();
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
        if (!checkers.add(type, checker)) return;
        int resumed = 0;
        for (Check c : allChecks()) {
            if (c.type().equals(type) && c.suspended) {
                c.suspended = false;
                // spread the restart like a warmup, so that a returning checker is not hit by every check at once
                runner.schedule(c, random.applyAsLong(Math.min(c.settings.warmupMillis(), c.settings.delayLoopMillis())));
                resumed++;
            }
        }
        if (resumed > 0) LOG.info("checker {} is back: {} suspended checks resume", type, resumed);
    }

    public synchronized void checkerRemoved(String type, HealthChecker checker) {
        if (!checkers.remove(type, checker)) return;
        HealthChecker replacement = checkers.get(type);
        int suspended = 0;
        for (Check c : allChecks()) {
            if (!c.type().equals(type)) continue;
            if (c.inFlight == checker) {
                runner.abandon(c);
                if (replacement != null) runner.schedule(c, 0);
            }
            if (replacement == null && !c.suspended) {
                runner.suspend(c);
                suspended++;
            }
        }
        if (suspended > 0) {
            LOG.warn("checker {} is gone: {} checks are suspended and their real servers keep their last state"
                    + " until a {} checker is back", type, suspended, type);
        }
    }

    @Override
    public synchronized Set<String> checkerTypes() {
        return checkers.types();
    }

    // ------------------------------------------------------------------ configuration

    @Override
    public synchronized void addCheck(CheckSpec given) {
        if (closed) throw new LvsException("the health monitor is stopping");
        Settings settings = Settings.of(given);
        String type = settings.type();
        HealthChecker checker = checkers.get(type);
        if (checker == null) {
            throw new LvsException("no " + type + " checker is installed (installed: "
                    + (checkerTypes().isEmpty() ? "none" : String.join(", ", checkerTypes()))
                    + "): install the jlvs-check-" + (type.equals("ssl") ? "http" : type) + " feature");
        }
        checker.validate(settings.config());
        ServiceKey key = given.service();
        ServiceInfo info = table.get(key);
        if (info == null) throw new LvsException("No such service: " + key);
        // an IPv6 real server is named by its IPv6 address (its int address is only its fold)
        if (key.isIpv6() != (given.address6() != null)) {
            throw new LvsException("No such real server: " + given.server() + " in " + key + " (an "
                    + (key.isIpv6() ? "IPv6" : "IPv4") + " service has " + (key.isIpv6() ? "IPv6" : "IPv4")
                    + " real servers)");
        }
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
            if (server != null && !java.util.Objects.equals(server.config().address6(), given.address6())) {
                server = null; // another IPv6 server whose address folds alike
            }
            if (server == null) {
                throw new LvsException("No such real server: " + given.server() + " in " + key);
            }
            if (pool != null && pool.sorryIn != null && pool.sorryIn.address() == given.address()
                    && pool.sorryIn.port() == given.port()) {
                throw new LvsException(given.server() + " is the sorry server of " + key);
            }
            if (pool == null) pool = newPool(key);
            member = new Member(pool, server.config(), timers.currentTimeMillis());
            member.appliedWeight = server.config().weight();
            pool.members.put(Pool.id(member.address, member.port), member);
        }
        CheckSpec spec = new CheckSpec(key, given.address(), given.port(), type, given.options(), given.address6());
        if (settings.inhibitOnFailure()) member.inhibitOnFailure = true;
        if (settings.notifyUp() != null) member.notifyUp = settings.notifyUp();
        if (settings.notifyDown() != null) member.notifyDown = settings.notifyDown();
        Check check = new Check(spec, settings, member, timers.currentTimeMillis());
        member.checks.add(check);
        LOG.info("added {} check of real server {} (every {} s{})", type, member, Settings.seconds(settings.delayLoopMillis()),
                settings.alpha() ? ", down until its first success" : "");
        runner.schedule(check, settings.warmupMillis() > 0 ? random.applyAsLong(settings.warmupMillis()) : 0);
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
                runner.stop(c);
                it.remove();
                removed++;
            }
        }
        if (removed == 0) throw new LvsException("real server " + member + " has no " + wanted + " check");
        LOG.info("removed {} check(s) of real server {}", removed, member);
        update(member, "checks removed");
        placement.forgetIfIdle(member);
        placement.dropPoolIfIdle(pool);
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
        if (pool == null) pool = newPool(key);
        QuorumConfig old = pool.quorum;
        pool.quorum = config;
        pool.quorumSet = !config.equals(QuorumConfig.DEFAULT);
        LOG.info("service {}: quorum {}, hysteresis {}, sorry server {}", key, config.quorum(), config.hysteresis(),
                config.hasSorryServer() ? Ip4.toString(config.sorryAddress(), config.sorryPort()) : "none");
        quorum.settingsChanged(pool, old, "quorum settings changed");
        placement.dropPoolIfIdle(pool);
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
                    detail, m.aliveSinceMillis, m.config.address6()));
        }
        if (pool.sorryIn != null) {
            servers.add(new ServerHealth(pool.sorryIn.address(), pool.sorryIn.port(), true, true, true, "SORRY",
                    "quorum lost", pool.quorumSinceMillis));
        }
        return new ServiceHealth(key, pool.quorum, pool.quorumUp, Quorum.liveWeight(pool, table.get(key)),
                List.copyOf(servers));
    }

    /** The schedule's regularity, for lvs:checks --intervals. */
    public synchronized String intervalSummary(boolean reset) {
        return runner.intervalSummary(reset);
    }

    // ------------------------------------------------------------------ helpers

    /** Re-evaluates a member's alive state and applies everything that follows from it. */
    private void update(Member m, String reason) {
        placement.judge(m, reason);
        if (!quorum.evaluate(m.pool, reason)) placement.place(m);
    }

    private Pool newPool(ServiceKey key) {
        Pool pool = new Pool(key, timers.currentTimeMillis());
        pools.put(key, pool);
        return pool;
    }

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
}
