package org.jlvs.healthcheck.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import org.jlvs.api.CheckConfig;
import org.jlvs.api.CheckResult;
import org.jlvs.api.spi.HealthChecker;

/**
 * A checker whose verdict per address the test sets. A healthy server answers after {@code latencyMillis};
 * a dead one fails after the check's full timeout (like a connect that times out), or at once when
 * {@code refuse} is set (like a refused connect). Every attempt's start time is recorded.
 */
final class FakeChecker implements HealthChecker {
    private final ManualTimers timers;
    final Map<Integer, Boolean> up = new HashMap<>();
    final Map<Integer, Integer> weight = new HashMap<>();
    final List<long[]> calls = new ArrayList<>(); // {address, millis}
    final List<CompletableFuture<CheckResult>> pending = new ArrayList<>();
    long latencyMillis = 1;
    boolean refuse;
    boolean hang;

    FakeChecker(ManualTimers timers) {
        this.timers = timers;
    }

    @Override
    public CompletionStage<CheckResult> check(CheckConfig config) {
        int address = config.address6() != null ? config.address6().fold() : config.address(); // keyed as the monitor keys servers
        calls.add(new long[] {address, timers.millis()});
        CompletableFuture<CheckResult> f = new CompletableFuture<>();
        pending.add(f);
        if (hang) return f;
        boolean ok = up.getOrDefault(address, true);
        long after = ok ? latencyMillis : refuse ? 0 : config.timeoutMillis();
        Integer w = weight.get(address);
        timers.schedule(() -> f.complete(ok
                ? (w != null ? CheckResult.upWithWeight(w, "exit " + (w + 2), ms(after)) : CheckResult.up("ok", ms(after)))
                : CheckResult.down(refuse ? "connection refused" : "connect timeout", ms(after))), ms(after));
        return f;
    }

    private static long ms(long millis) { return TimeUnit.MILLISECONDS.toNanos(millis); }

    /** Start times (ms) of the attempts on one address. */
    List<Long> callTimes(int address) {
        List<Long> out = new ArrayList<>();
        for (long[] c : calls) if (c[0] == address) out.add(c[1]);
        return out;
    }
}
