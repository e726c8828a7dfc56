package org.jlvs.check.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToIntFunction;

import org.jlvs.check.support.ScriptPolicy.Identity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the operator's scripts (MISC_CHECK, notify scripts) without any of the appliance's capabilities. The
 * appliance holds CAP_NET_RAW and CAP_NET_ADMIN as ambient capabilities, which survive exec: every script is
 * started through util-linux's setpriv, which clears the inheritable and ambient sets (and the bounding set
 * where the appliance may, with CAP_SETPCAP, i.e. as root) and sets no_new_privs, so that neither file
 * capabilities nor set-uid programs give anything back. Scripts with nothing to inherit start with empty
 * effective and permitted sets. As root, a script may run as another user (script_user, or per call).
 *
 * <p>No shell is involved; output is discarded, input is /dev/null. Each run has a timeout (the process and its
 * children are killed) and the runner a bound on scripts running at once: one more is refused and counted.
 * One timer thread per runner.
 */
public final class ScriptRunner implements AutoCloseable {
    /** Why a script was not run (refused before it started). */
    public static final class RefusedException extends Exception {
        private static final long serialVersionUID = 1L;

        public RefusedException(String message) {
            super(message, null, false, false);
        }
    }

    // capability numbers (linux/capability.h)
    private static final int CAP_SETGID = 6;
    private static final int CAP_SETUID = 7;
    private static final int CAP_SETPCAP = 8;
    private static final List<String> SETPRIV_PATHS = List.of("/usr/bin/setpriv", "/bin/setpriv");
    private static final Logger LOG = LoggerFactory.getLogger(ScriptRunner.class);

    private final ScriptPolicy policy;
    private final String disabled;
    private final ToIntFunction<ScriptPolicy> bound;
    private final String name;
    private final int maxRunning;
    private final String setpriv;
    private final long ownCaps;
    private final int ownUid;
    private final ScheduledExecutorService timer;
    private final Set<Process> running = ConcurrentHashMap.newKeySet();
    private final AtomicInteger slots = new AtomicInteger();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong refusedBusy = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();

    /**
     * A runner for the configuration of {@link ScriptPolicy#PID}. A configuration that is refused leaves a
     * runner that runs nothing and tells why (as keepalived runs no script when script_user is wrong).
     * @param bound scripts running at once under a policy (more are refused)
     * @param name the timer thread's name
     */
    public static ScriptRunner of(Map<String, ?> configuration, ToIntFunction<ScriptPolicy> bound, String name) {
        try {
            return new ScriptRunner(ScriptPolicy.from(configuration), null, bound, name);
        } catch (IllegalArgumentException e) {
            String reason = ScriptPolicy.PID + " is refused: " + e.getMessage();
            LOG.error("{}; no script runs until it is fixed", reason);
            return new ScriptRunner(ScriptPolicy.DEFAULT, reason, bound, name);
        }
    }

    public ScriptRunner(ScriptPolicy policy, ToIntFunction<ScriptPolicy> bound, String name) {
        this(policy, null, bound, name);
    }

    private ScriptRunner(ScriptPolicy policy, String disabled, ToIntFunction<ScriptPolicy> bound, String name) {
        this(policy, disabled, bound, name, SETPRIV_PATHS.stream().filter(p -> new File(p).canExecute()).findFirst().orElse(null),
                ProcStatus.read("CapEff"), (int) ProcStatus.read("Uid"));
    }

    ScriptRunner(ScriptPolicy policy, String disabled, ToIntFunction<ScriptPolicy> bound, String name, String setpriv,
            long ownCaps, int ownUid) {
        this.policy = policy;
        this.disabled = disabled;
        this.bound = bound;
        this.name = name;
        this.maxRunning = bound.applyAsInt(policy);
        this.setpriv = setpriv;
        this.ownCaps = ownCaps;
        this.ownUid = ownUid;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts a script as the policy's script_user (or the appliance's own user).
     * @see #run(List, Map, long, Identity)
     */
    public CompletableFuture<Integer> run(List<String> command, Map<String, String> environment, long timeoutMillis) {
        return run(command, environment, timeoutMillis, policy.user());
    }

    /**
     * Starts a script. The future completes with its exit status; exceptionally with {@link RefusedException}
     * when it was not started (too many running, insecure, no setpriv, cannot switch user, cannot start) or
     * {@link TimeoutException} when it was killed at the timeout. Cancelling the future kills the script.
     * @param user whom to run as; null: the appliance's own user
     */
    public CompletableFuture<Integer> run(List<String> command, Map<String, String> environment, long timeoutMillis,
            Identity user) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        List<String> argv;
        try {
            argv = commandLine(command, user);
        } catch (RefusedException e) {
            result.completeExceptionally(e);
            return result;
        }
        if (slots.incrementAndGet() > maxRunning) {
            slots.decrementAndGet();
            refusedBusy.incrementAndGet();
            result.completeExceptionally(new RefusedException(maxRunning + " scripts are still running"));
            return result;
        }
        Process process;
        try {
            ProcessBuilder pb = new ProcessBuilder(argv);
            pb.environment().putAll(environment);
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true);
            process = pb.start();
        } catch (IOException | RuntimeException e) {
            slots.decrementAndGet();
            result.completeExceptionally(new RefusedException("cannot start " + command.get(0) + ": " + e.getMessage()));
            return result;
        }
        started.incrementAndGet();
        running.add(process);
        ScheduledFuture<?> kill = timer.schedule(() -> {
            timedOut.incrementAndGet(); // before the caller hears of it
            if (result.completeExceptionally(new TimeoutException("still running after " + timeoutMillis + " ms"))) {
                destroy(process);
            } else {
                timedOut.decrementAndGet();
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        process.onExit().thenAccept(p -> {
            kill.cancel(false);
            running.remove(p);
            slots.decrementAndGet();
            result.complete(p.exitValue());
        });
        result.whenComplete((status, e) -> {
            if (e instanceof CancellationException) destroy(process);
        });
        return result;
    }

    /** setpriv's options, then the script: or why it may not run. */
    List<String> commandLine(List<String> command, Identity user) throws RefusedException {
        if (command.isEmpty()) throw new RefusedException("empty command");
        if (disabled != null) throw new RefusedException(disabled);
        Path program = resolve(command.get(0));
        if (program == null || !Files.isExecutable(program)) {
            throw new RefusedException("cannot start " + command.get(0) + ": " + (program == null ? "not found in PATH" : "not an executable file"));
        }
        if (setpriv == null) {
            throw new RefusedException("setpriv (util-linux) is missing: scripts are not run with the appliance's capabilities");
        }
        boolean switchUser = user != null && user.uid() != ownUid;
        if (switchUser && !(has(CAP_SETUID) && has(CAP_SETGID))) {
            throw new RefusedException("cannot run scripts as " + user + ": the appliance does not run as root");
        }
        int uid = user != null ? user.uid() : ownUid;
        boolean dropBounding = has(CAP_SETPCAP);
        // A root process gets every capability of its bounding set at exec: it must be emptied.
        if (uid == 0 && !dropBounding) {
            throw new RefusedException("cannot run a script as root without CAP_SETPCAP: its capabilities could not be dropped");
        }
        if (policy.scriptSecurity() && (uid == 0 || (user != null && user.gid() == 0))) {
            String unsafe = unsafePath(program);
            if (unsafe != null) throw new RefusedException(unsafe + " (enable_script_security)");
        }
        List<String> argv = new ArrayList<>();
        argv.add(setpriv);
        if (switchUser) {
            argv.add("--reuid=" + user.uid());
            argv.add("--regid=" + user.gid());
            argv.add(user.name() != null ? "--init-groups" : "--clear-groups");
        }
        argv.add("--inh-caps=-all");
        argv.add("--ambient-caps=-all");
        if (dropBounding) argv.add("--bounding-set=-all");
        argv.add("--no-new-privs");
        argv.add("--");
        argv.addAll(command);
        return argv;
    }

    /** The program as exec would find it: a path as it is, a bare name in PATH; null when not found. */
    static Path resolve(String program) {
        if (program.contains("/")) return Path.of(program);
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) return Path.of(dir, program);
        }
        return null;
    }

    private boolean has(int capability) {
        return (ownCaps & (1L << capability)) != 0;
    }

    /**
     * keepalived's check for a script that runs as root: the file and every folder on its path belong to root,
     * and none is writable by a group other than root's or by others, but for sticky folders such as /tmp.
     * Returns the reason it is unsafe, or null.
     */
    static String unsafePath(Path p) {
        try {
            p = p.toRealPath();
            for (Path q = p; q != null; q = q.getParent()) {
                int uid = (Integer) Files.getAttribute(q, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                int gid = (Integer) Files.getAttribute(q, "unix:gid", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) Files.getAttribute(q, "unix:mode", LinkOption.NOFOLLOW_LINKS);
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(q, LinkOption.NOFOLLOW_LINKS);
                boolean sticky = (mode & 01000) != 0 && Files.isDirectory(q, LinkOption.NOFOLLOW_LINKS);
                boolean writable = (gid != 0 && perms.contains(PosixFilePermission.GROUP_WRITE))
                        || perms.contains(PosixFilePermission.OTHERS_WRITE);
                if (uid != 0) return "unsafe permissions: " + q + " does not belong to root";
                if (writable && !sticky) return "unsafe permissions: " + q + " is writable by others than root";
            }
            return null;
        } catch (IOException | UnsupportedOperationException e) {
            return "cannot check " + p + ": " + e.getMessage();
        }
    }

    public ScriptPolicy policy() { return policy; }
    public long started() { return started.get(); }
    /** Scripts not run because {@code maxRunning} were running. */
    public long refusedBusy() { return refusedBusy.get(); }
    public long timedOut() { return timedOut.get(); }
    public int running() { return running.size(); }

    /**
     * The runner for a new configuration of {@link ScriptPolicy#PID}; this one is retired: what it runs goes on
     * to its end or its timeout, then its timer thread ends.
     * @throws IllegalArgumentException for a value that is refused (key and reason); this runner stays
     */
    public ScriptRunner withConfiguration(Map<String, ?> configuration) {
        ScriptRunner next = new ScriptRunner(ScriptPolicy.from(configuration), null, bound, name, setpriv, ownCaps, ownUid);
        timer.shutdown(); // delayed kills still run after shutdown()
        return next;
    }

    /** Kills what still runs and stops the timer. */
    @Override
    public void close() {
        timer.shutdownNow();
        for (Process p : running) destroy(p);
    }

    private static void destroy(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    /** Fields of /proc/self/status: CapEff (hex), Uid (the real uid). */
    static final class ProcStatus {
        static long read(String field) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (line.startsWith(field + ":")) {
                        String value = line.substring(field.length() + 1).trim().split("\\s+")[0];
                        return field.startsWith("Cap") ? Long.parseUnsignedLong(value, 16) : Long.parseLong(value);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux: no capabilities to drop, and setpriv is missing anyway
            }
            return 0;
        }
    }
}
