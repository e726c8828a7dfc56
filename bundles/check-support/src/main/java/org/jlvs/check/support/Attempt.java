package org.jlvs.check.support;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jlvs.api.CheckConfig;
import org.jlvs.api.CheckResult;

/**
 * One check attempt on a {@link Reactor}: started from any thread, run entirely on the reactor thread, ended
 * exactly once with a result (or dropped when the monitor cancels it), its resources released at the end.
 */
public abstract class Attempt implements Reactor.Handler {
    protected final Reactor reactor;
    protected final CheckConfig config;
    private final CompletableFuture<CheckResult> result = new CompletableFuture<>();
    private long startNanos;
    private Reactor.Timer timer;
    private boolean done;

    protected Attempt(Reactor reactor, CheckConfig config) {
        this.reactor = reactor;
        this.config = config;
    }

    /** Starts the attempt on the reactor thread; the future completes with its result. */
    public final CompletableFuture<CheckResult> start() {
        startNanos = System.nanoTime();
        try {
            reactor.execute(() -> {
                if (result.isDone()) return; // cancelled before it began
                try {
                    deadline(config.timeoutMillis());
                    begin();
                } catch (java.io.IOException | RuntimeException e) {
                    fail(describe(e));
                }
            });
        } catch (IllegalStateException e) {
            result.completeExceptionally(e); // the checker is stopping: no verdict
            return result;
        }
        // the monitor cancels an attempt it gave up on: release the socket on the reactor thread
        result.whenComplete((r, e) -> {
            if (e != null) {
                try {
                    reactor.execute(this::finish);
                } catch (IllegalStateException stopping) {
                    // the reactor closes everything itself
                }
            }
        });
        return result;
    }

    /** Opens the channel etc. The attempt's deadline is already armed. */
    protected abstract void begin() throws java.io.IOException;

    /** Releases the attempt's resources (idempotent). */
    protected abstract void release();

    /** (Re)arms the deadline: the attempt fails with "timeout" after {@code millis} without progress. */
    protected final void deadline(long millis) {
        if (timer != null) timer.cancel();
        timer = reactor.schedule(TimeUnit.MILLISECONDS.toNanos(millis), this::timedOut);
    }

    /** The deadline passed: a failure, unless silence is an answer (UDP without a required reply). */
    protected void timedOut() {
        fail(timeoutMessage());
    }

    /** What a timeout means at this stage ("connect timeout", "no response"). */
    protected String timeoutMessage() {
        return "timeout after " + config.timeoutMillis() + " ms";
    }

    protected final long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }

    protected final boolean isDone() {
        return done;
    }

    protected final void succeed(String message) {
        complete(CheckResult.up(message, elapsedNanos()));
    }

    protected final void fail(String message) {
        complete(CheckResult.down(message, elapsedNanos()));
    }

    protected final void complete(CheckResult r) {
        if (done) return;
        finish();
        result.complete(r);
    }

    private void finish() {
        if (done) return;
        done = true;
        if (timer != null) timer.cancel();
        release();
    }

    @Override
    public void abort(String why) {
        if (done) return;
        finish();
        result.completeExceptionally(new IllegalStateException(why));
    }

    /** A short operator-readable reason for an I/O error. */
    public static String describe(Throwable e) {
        if (e instanceof java.net.ConnectException) {
            String m = e.getMessage();
            return m != null && m.toLowerCase().contains("refused") ? "connection refused" : "connect failed: " + m;
        }
        if (e instanceof java.net.NoRouteToHostException) return "no route to host";
        if (e instanceof java.net.PortUnreachableException) return "port unreachable";
        if (e instanceof java.nio.channels.UnresolvedAddressException) return "unresolved address";
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
