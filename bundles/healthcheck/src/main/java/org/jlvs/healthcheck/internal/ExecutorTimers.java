package org.jlvs.healthcheck.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The production clock: one daemon thread with a timer heap (thousands of pending checks cost no thread). */
final class ExecutorTimers implements Timers, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorTimers.class);
    private final ScheduledThreadPoolExecutor executor;

    ExecutorTimers(String threadName) {
        executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true); // cancelled watchdogs must not pile up in the heap
    }

    @Override public long nanoTime() { return System.nanoTime(); }

    @Override public long currentTimeMillis() { return System.currentTimeMillis(); }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        try {
            ScheduledFuture<?> f = executor.schedule(guard(task), Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return () -> { };
        }
    }

    @Override
    public void execute(Runnable task) {
        try {
            executor.execute(guard(task));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the monitor is stopping: results that arrive now have nowhere to go
        }
    }

    /** A failing task must not end the monitor thread's other work; log it. */
    private static Runnable guard(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("health monitor task failed", e);
            }
        };
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
