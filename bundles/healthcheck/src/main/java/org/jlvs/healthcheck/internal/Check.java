package org.jlvs.healthcheck.internal;

import org.jlvs.api.CheckResult;
import org.jlvs.api.CheckSpec;
import org.jlvs.api.spi.HealthChecker;

/**
 * One check of one real server and keepalived's retry rule: a failure of a check that is up is retried
 * {@code retry} times, {@code delay_before_retry} apart, before the check goes down; a check that is down goes
 * up at its first success. Between attempts it waits {@code delay_loop} (counted from the end of an attempt).
 * Mutated on the monitor thread only.
 */
final class Check {
    final CheckSpec spec;
    final Settings settings;
    final Member member;

    /** The check's own verdict; starts down under alpha (keepalived: failed until the first success). */
    boolean up;
    /** Failures of this series counted against {@code retry}. */
    int retriesUsed;
    int consecutiveFailures;
    long attempts;
    String lastResult = "";
    long lastLatencyNanos = -1;
    long stateSinceMillis;
    /** Its checker type is not installed: nothing runs, the last state is kept. */
    boolean suspended;
    boolean removed;

    /** Identifies the attempt in flight, so that a late or stale result is ignored. */
    int attemptSeq;
    HealthChecker inFlight;
    long startedNanos;
    long lastStartNanos = -1;
    /** When the next attempt should start, and whether it follows a delay_loop wait (not a retry). */
    long plannedStartNanos;
    boolean plannedDelayLoop;
    Timers.Cancellable next;
    Timers.Cancellable watchdog;
    java.util.concurrent.CompletionStage<CheckResult> pending;

    Check(CheckSpec spec, Settings settings, Member member, long nowMillis) {
        this.spec = spec;
        this.settings = settings;
        this.member = member;
        this.up = !settings.alpha();
        this.stateSinceMillis = nowMillis;
    }

    String type() { return settings.type(); }

    /**
     * Records one attempt's result and returns the delay before the next attempt, in milliseconds. Sets
     * {@link #up} according to the retry rule; the caller compares it with its value before.
     */
    long record(CheckResult result, long nowMillis) {
        attempts++;
        lastResult = result.message();
        lastLatencyNanos = result.latencyNanos();
        if (result.up()) {
            consecutiveFailures = 0;
            retriesUsed = 0;
            if (!up) {
                up = true;
                stateSinceMillis = nowMillis;
            }
            return settings.delayLoopMillis();
        }
        consecutiveFailures++;
        if (up && retriesUsed < settings.retry()) {
            retriesUsed++;
            return settings.delayBeforeRetryMillis();
        }
        retriesUsed = 0;
        if (up) {
            up = false;
            stateSinceMillis = nowMillis;
        }
        return settings.delayLoopMillis();
    }

    void cancelTimers() {
        if (next != null) next.cancel();
        if (watchdog != null) watchdog.cancel();
        next = null;
        watchdog = null;
    }

    String state() {
        if (suspended) return "SUSPENDED";
        return up ? "UP" : "DOWN";
    }
}
