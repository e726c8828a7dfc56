package org.jlvs.healthcheck.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

import org.jlvs.api.CheckResult;
import org.jlvs.api.HealthMonitor;
import org.jlvs.api.spi.HealthChecker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the attempts of the checks: each on its schedule, handed to the checker of its type, given up on by a
 * watchdog when no result comes within its timeout, and recorded. A check that changes its verdict (UP, DOWN,
 * another weight) is passed on to the monitor. Called under the monitor's lock; the timer and result callbacks
 * take it themselves.
 */
final class CheckRunner {
    /** The monitor's logger: its parts log as one, as before they were parts. */
    private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);

    private final Object lock;
    private final Timers timers;
    private final Checkers checkers;
    private final Monitor.Effects effects;
    /** (member, reason): a check of the member changed its verdict. */
    private final BiConsumer<Member, String> verdictChanged;
    private final IntervalStats intervals = new IntervalStats();
    private boolean closed;

    CheckRunner(Object lock, Timers timers, Checkers checkers, Monitor.Effects effects,
                BiConsumer<Member, String> verdictChanged) {
        this.lock = lock;
        this.timers = timers;
        this.checkers = checkers;
        this.effects = effects;
        this.verdictChanged = verdictChanged;
    }

    /** No attempt starts or is recorded after this. */
    void close() {
        closed = true;
    }

    void schedule(Check c, long delayMillis) {
        if (c.next != null) c.next.cancel();
        c.plannedStartNanos = timers.nanoTime() + Timers.nanos(delayMillis);
        c.plannedDelayLoop = false;
        c.next = timers.schedule(() -> launch(c), Timers.nanos(delayMillis));
    }

    /** The check is removed: no attempt of it runs or counts any more. */
    void stop(Check c) {
        c.removed = true;
        c.cancelTimers();
        cancelPending(c);
    }

    /** Stops running the check and keeps its last state, until a checker of its type is back. */
    void suspend(Check c) {
        abandon(c);
        if (c.next != null) c.next.cancel();
        c.next = null;
        c.suspended = true;
    }

    /** Forgets the attempt in flight without a verdict (its checker left). */
    void abandon(Check c) {
        if (c.watchdog != null) c.watchdog.cancel();
        c.watchdog = null;
        cancelPending(c);
        c.inFlight = null;
        c.attemptSeq++;
    }

    /** The schedule's regularity, for lvs:checks --intervals. */
    String intervalSummary(boolean reset) {
        String s = intervals.summary();
        if (reset) intervals.reset();
        return s;
    }

    private void launch(Check c) {
        synchronized (lock) {
            c.next = null;
            if (c.removed || closed) return;
            HealthChecker checker = checkers.get(c.type());
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
                stage = CompletableFuture.completedFuture(CheckResult.down("checker error: " + e, timers.nanoTime() - now));
            }
            c.pending = stage;
            c.watchdog = timers.schedule(() -> watchdog(c, attempt),
                    Timers.nanos(c.settings.timeoutMillis() + Monitor.WATCHDOG_GRACE_MILLIS));
            // back onto the monitor thread: a checker may complete on its own I/O thread, or right here
            stage.whenComplete((result, error) -> timers.execute(() -> completed(c, attempt, checker, result, error)));
        }
    }

    private void completed(Check c, int attempt, HealthChecker checker, CheckResult result, Throwable error) {
        synchronized (lock) {
            if (c.removed || closed || attempt != c.attemptSeq || c.inFlight != checker) return; // stale
            if (error != null) {
                if (checkers.get(c.type()) != checker) {
                    // the checker left while the attempt ran: no verdict, the state is kept
                    abandon(c);
                    return;
                }
                result = CheckResult.down("checker error: " + rootMessage(error), timers.nanoTime() - c.startedNanos);
            }
            finish(c, result);
        }
    }

    private void watchdog(Check c, int attempt) {
        synchronized (lock) {
            if (c.removed || closed || attempt != c.attemptSeq || c.inFlight == null) return;
            c.watchdog = null;
            cancelPending(c);
            finish(c, CheckResult.down("no result within " + Settings.seconds(c.settings.timeoutMillis()) + " s",
                    timers.nanoTime() - c.startedNanos));
        }
    }

    private void finish(Check c, CheckResult result) {
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
        schedule(c, delay);
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
            effects.post(HealthMonitor.TOPIC_WEIGHT,
                    Placement.eventProperties(m, m.alive ? "UP" : "DOWN", c.type() + ": " + result.message()));
        }
        if (wasUp != c.up || weightChanged) verdictChanged.accept(m, c.type() + ": " + result.message());
    }

    static void cancelPending(Check c) {
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

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
    }
}
