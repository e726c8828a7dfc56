package org.jlvs.healthcheck.internal;

import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/** A clock that moves only when told: {@link #advance} runs every task that falls due, in time order. */
final class ManualTimers implements Timers {
    private record Task(long due, long seq, Runnable run, boolean[] cancelled) {}

    private final PriorityQueue<Task> queue = new PriorityQueue<>((a, b) ->
            a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
    private long now;
    private long seq;

    @Override public long nanoTime() { return now; }

    @Override public long currentTimeMillis() { return 1_700_000_000_000L + TimeUnit.NANOSECONDS.toMillis(now); }

    @Override
    public Cancellable schedule(Runnable task, long delayNanos) {
        boolean[] cancelled = {false};
        queue.add(new Task(now + Math.max(0, delayNanos), seq++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    @Override
    public void execute(Runnable task) {
        schedule(task, 0);
    }

    long millis() { return TimeUnit.NANOSECONDS.toMillis(now); }

    /** Moves the clock forward by {@code millis}, running what falls due on the way. */
    void advance(long millis) {
        long target = now + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!queue.isEmpty() && queue.peek().due <= target) {
            Task t = queue.poll();
            now = Math.max(now, t.due);
            if (!t.cancelled[0]) t.run.run();
        }
        now = target;
    }

    /** Runs what is due now (results handed back with execute). */
    void runDue() {
        advance(0);
    }
}
