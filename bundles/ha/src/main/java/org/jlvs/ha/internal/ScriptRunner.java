package org.jlvs.ha.internal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

import org.jlvs.check.support.CommandLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the ha bundle starts processes (track and notify scripts): the command line split as
 * keepalived splits it (no shell), stdin from /dev/null, output discarded, killed with its children after a
 * timeout, and run without capabilities: through {@code setpriv} with empty inheritable and ambient sets, and as
 * root an empty bounding set too, so that a script of a director running as root holds no privilege the JVM has.
 * Without setpriv no script runs (an error says why).
 */
final class ScriptRunner implements Scripts, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ScriptRunner.class);
    /** Exit status reported for a run that was killed at its timeout. */
    static final int TIMED_OUT = -2;
    /** Exit status reported for a command that could not start. */
    static final int NOT_STARTED = -1;
    private static final Path SETPRIV = Path.of("/usr/bin/setpriv");

    private final List<String> prefix;
    private final ScheduledExecutorService timer;

    ScriptRunner() {
        this(capabilityDrop(SETPRIV, isRoot()));
    }

    /** @param prefix the command that drops capabilities and then runs the rest, or null when there is none */
    ScriptRunner(List<String> prefix) {
        this.prefix = prefix;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "jlvs-vrrp-scripts");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.timer = executor;
        if (prefix == null) LOG.error("{} is missing: VRRP track and notify scripts will not run", SETPRIV);
    }

    static List<String> capabilityDrop(Path setpriv, boolean root) {
        if (!Files.isExecutable(setpriv)) return null;
        List<String> p = new ArrayList<>(List.of(setpriv.toString(), "--inh-caps=-all", "--ambient-caps=-all"));
        if (root) p.add("--bounding-set=-all"); // needs CAP_SETPCAP, which only root has here
        p.add("--");
        return List.copyOf(p);
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) return line.split("\\s+")[1].equals("0");
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: assume no privilege to drop
        }
        return false;
    }

    /** The full command: the capability drop, the split command line, then {@code args}. */
    List<String> command(String commandLine, List<String> args) {
        List<String> command = new ArrayList<>(prefix == null ? List.of() : prefix);
        command.addAll(CommandLine.split(commandLine, "script"));
        command.addAll(args);
        return command;
    }

    /**
     * Starts the command on the runner's thread and returns at once; {@code done} gets its exit status,
     * {@link #TIMED_OUT} or {@link #NOT_STARTED}, exactly once, on another thread.
     */
    @Override
    public void run(String commandLine, List<String> args, long timeoutNanos, IntConsumer done) {
        try {
            timer.execute(() -> start(commandLine, args, timeoutNanos, done));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            done.accept(NOT_STARTED); // closing
        }
    }

    private void start(String commandLine, List<String> args, long timeoutNanos, IntConsumer done) {
        if (prefix == null) {
            done.accept(NOT_STARTED);
            return;
        }
        Process process;
        try {
            ProcessBuilder pb = new ProcessBuilder(command(commandLine, args));
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            process = pb.start();
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("script '{}' could not start: {}", commandLine, e.getMessage());
            done.accept(NOT_STARTED);
            return;
        }
        AtomicBoolean reported = new AtomicBoolean();
        ScheduledFuture<?> kill;
        try {
            kill = timer.schedule(() -> {
                if (reported.compareAndSet(false, true)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    LOG.warn("script '{}' killed after {} ms", commandLine, timeoutNanos / 1_000_000);
                    done.accept(TIMED_OUT);
                }
            }, timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            kill = null; // started while closing (a notify_stop): it runs to its end
        }
        ScheduledFuture<?> timeout = kill;
        process.onExit().thenAccept(p -> {
            if (timeout != null) timeout.cancel(false);
            if (reported.compareAndSet(false, true)) done.accept(p.exitValue());
        });
    }

    /** Scripts already asked for (a notify_stop at shutdown) still start, and are still killed at their timeout. */
    @Override
    public void close() {
        timer.shutdown();
    }
}
