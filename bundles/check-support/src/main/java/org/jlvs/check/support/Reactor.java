package org.jlvs.check.support;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One I/O thread with a selector, a task queue and a timer heap: every attempt of a checker runs on it as
 * non-blocking I/O, so thousands of concurrent checks cost one thread. Channels, timers and handlers are only
 * touched on this thread; other threads hand work over with {@link #execute}.
 */
public final class Reactor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Reactor.class);

    /** Readiness of a registered channel. */
    public interface Handler {
        void ready(SelectionKey key);

        /** The reactor is closing: release everything, fail the attempt. */
        void abort(String why);
    }

    /** A pending timer; cancel() is only called on the reactor thread. */
    public static final class Timer {
        final long due;
        final long seq;
        final Runnable task;
        boolean cancelled;

        Timer(long due, long seq, Runnable task) {
            this.due = due;
            this.seq = seq;
            this.task = task;
        }

        public void cancel() {
            cancelled = true;
        }
    }

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>((a, b) ->
            a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
    private long timerSeq;
    private volatile boolean running = true;

    public Reactor(String name) throws IOException {
        selector = Selector.open();
        thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs {@code task} on the reactor thread. */
    public void execute(Runnable task) {
        if (!running) throw new IllegalStateException("checker stopped");
        tasks.add(task);
        selector.wakeup();
    }

    /** Reactor thread only. */
    public Timer schedule(long delayNanos, Runnable task) {
        Timer t = new Timer(System.nanoTime() + Math.max(0, delayNanos), timerSeq++, task);
        timers.add(t);
        return t;
    }

    /** Reactor thread only. */
    public SelectionKey register(SelectableChannel channel, int ops, Handler handler) throws ClosedChannelException {
        return channel.register(selector, ops, handler);
    }

    private void loop() {
        try {
            while (running) {
                long wait = 0;
                if (tasks.isEmpty()) {
                    Timer next = timers.peek();
                    // select(0) means forever; cap it so a missed wakeup costs at most 1 s
                    wait = next == null ? 1000 : Math.max(1, (next.due - System.nanoTime() + 999_999) / 1_000_000);
                    wait = Math.min(wait, 1000);
                }
                int n = wait == 0 ? selector.selectNow() : selector.select(wait);
                if (n > 0) {
                    var it = selector.selectedKeys().iterator();
                    while (it.hasNext()) {
                        SelectionKey key = it.next();
                        it.remove();
                        if (!key.isValid()) continue;
                        Handler h = (Handler) key.attachment();
                        try {
                            h.ready(key);
                        } catch (RuntimeException e) {
                            LOG.warn("check handler failed", e);
                            h.abort("checker error: " + e);
                        }
                    }
                }
                Runnable task;
                while ((task = tasks.poll()) != null) runSafely(task);
                long now = System.nanoTime();
                while (!timers.isEmpty() && timers.peek().due <= now) {
                    Timer t = timers.poll();
                    if (!t.cancelled) runSafely(t.task);
                }
            }
        } catch (IOException | java.nio.channels.ClosedSelectorException e) {
            if (running) LOG.error("checker I/O thread stopped", e);
        } finally {
            for (SelectionKey key : selector.keys()) {
                try {
                    ((Handler) key.attachment()).abort("checker stopped");
                } catch (RuntimeException e) {
                    // closing anyway
                }
            }
            Runnable task;
            while ((task = tasks.poll()) != null) runSafely(task);
            try {
                selector.close();
            } catch (IOException e) {
                // nothing left to do
            }
        }
    }

    private static void runSafely(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.warn("check task failed", e);
        }
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
