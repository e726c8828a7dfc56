package org.jlvs.healthcheck.internal;

/**
 * Time and the monitor's single thread, behind an interface so that the state machine runs on a manual clock
 * in tests. Every task runs on one thread, one at a time.
 */
public interface Timers {
    long nanoTime();

    /** Wall-clock time for listings ("since"). */
    long currentTimeMillis();

    /** Runs {@code task} after {@code delayNanos} on the monitor thread. */
    Cancellable schedule(Runnable task, long delayNanos);

    /** Runs {@code task} on the monitor thread as soon as possible. */
    void execute(Runnable task);

    /** Milliseconds as the nanoseconds {@link #schedule} takes. */
    static long nanos(long millis) {
        return java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis);
    }

    interface Cancellable {
        void cancel();
    }
}
