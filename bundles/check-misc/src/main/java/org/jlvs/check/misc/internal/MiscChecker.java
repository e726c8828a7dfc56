package org.jlvs.check.misc.internal;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jlvs.check.support.CommandLine;
import org.jlvs.api.CheckConfig;
import org.jlvs.api.CheckResult;
import org.jlvs.api.spi.HealthChecker;
import org.jlvs.api.Ip4;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * keepalived's MISC_CHECK: runs misc_path (no shell; quotes group words) and judges its exit status: 0 up,
 * 1 down; 2..255 down, or with misc_dynamic up with the weight set to status - 2. A command still running at
 * misc_timeout is killed with its children and the check fails. The process is watched through
 * {@link Process#onExit()}; one timer thread serves every timeout. The command sees the checked endpoint in
 * JLVS_REAL_SERVER (a.b.c.d:port) and JLVS_CHECK_ADDRESS / JLVS_CHECK_PORT.
 */
@Component(service = HealthChecker.class, property = HealthChecker.PROPERTY + "=misc")
public class MiscChecker implements HealthChecker {
    static final Set<String> KNOWN = Set.of("misc_path", "misc_dynamic");
    private ScheduledExecutorService timeouts;

    @Activate
    void activate() {
        timeouts = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "jlvs-check-misc");
            t.setDaemon(true);
            return t;
        });
    }

    @Deactivate
    void deactivate() {
        timeouts.shutdownNow();
    }

    @Override
    public void validate(CheckConfig config) {
        if (config.options().containsKey("user")) {
            throw new IllegalArgumentException("option user is not supported: the command runs as the appliance's user");
        }
        config.requireOnly(KNOWN);
        String path = config.option("misc_path", null);
        if (path == null || path.isBlank()) throw new IllegalArgumentException("a misc check needs misc_path");
        List<String> words = CommandLine.split(path, "misc_path");
        File program = new File(words.get(0));
        if (program.isAbsolute() && !program.canExecute()) {
            throw new IllegalArgumentException("misc_path " + words.get(0) + " is not an executable file");
        }
    }

    @Override
    public CompletionStage<CheckResult> check(CheckConfig config) {
        long start = System.nanoTime();
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        Process process;
        try {
            ProcessBuilder pb = new ProcessBuilder(CommandLine.split(config.option("misc_path", ""), "misc_path"));
            pb.environment().put("JLVS_REAL_SERVER", Ip4.toString(config.address(), config.port()));
            pb.environment().put("JLVS_CHECK_ADDRESS", Ip4.toString(config.address()));
            pb.environment().put("JLVS_CHECK_PORT", Integer.toString(config.port()));
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true);
            process = pb.start();
        } catch (IOException | IllegalArgumentException e) {
            result.complete(CheckResult.down("cannot run misc_path: " + e.getMessage(), System.nanoTime() - start));
            return result;
        }
        boolean dynamic = config.flag("misc_dynamic");
        ScheduledFuture<?> kill = timeouts.schedule(() -> {
            if (result.complete(CheckResult.down("timeout after " + config.timeoutMillis() + " ms",
                    System.nanoTime() - start))) {
                destroy(process);
            }
        }, config.timeoutMillis(), TimeUnit.MILLISECONDS);
        process.onExit().thenAccept(p -> {
            kill.cancel(false);
            result.complete(verdict(p.exitValue(), dynamic, System.nanoTime() - start));
        });
        result.whenComplete((r, e) -> {
            if (e != null) destroy(process); // cancelled by the monitor
        });
        return result;
    }

    /** keepalived's misc_dynamic reading of the exit status. */
    static CheckResult verdict(int status, boolean dynamic, long latencyNanos) {
        if (status == 0) return CheckResult.up("exit 0", latencyNanos);
        if (status >= 2 && status <= 255 && dynamic) return CheckResult.upWithWeight(status - 2, "exit " + status, latencyNanos);
        return CheckResult.down("exit " + status, latencyNanos);
    }

    private static void destroy(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
