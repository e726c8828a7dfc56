package org.jlvs.check.misc.internal;

import java.io.File;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;

import org.jlvs.api.CheckConfig;
import org.jlvs.api.CheckResult;
import org.jlvs.api.spi.HealthChecker;
import org.jlvs.check.support.CommandLine;
import org.jlvs.check.support.ScriptPolicy;
import org.jlvs.check.support.ScriptRunner;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * keepalived's MISC_CHECK: runs misc_path (no shell; quotes group words) and judges its exit status: 0 up,
 * 1 down; 2..255 down, or with misc_dynamic up with the weight set to status - 2. A command still running at
 * misc_timeout is killed with its children and the check fails. The command sees the checked endpoint in
 * JLVS_REAL_SERVER (a.b.c.d:port) and JLVS_CHECK_ADDRESS / JLVS_CHECK_PORT.
 *
 * <p>Scripts run through check-support's {@link ScriptRunner}: without the appliance's capabilities, as
 * script_user of etc/org.jlvs.scripts.cfg or as the check's own {@code user USER [GROUP]} (keepalived's
 * MISC_CHECK option; both need the appliance to run as root).
 */
@Component(service = HealthChecker.class, property = HealthChecker.PROPERTY + "=misc", configurationPid = ScriptPolicy.PID)
@Designate(ocd = MiscChecker.ScriptsConfig.class)
public final class MiscChecker implements HealthChecker {
    /**
     * The metatype of etc/org.jlvs.scripts.cfg, which every script runner reads (this bundle's checks, the
     * health monitor's and the VRRP notify scripts); {@link ScriptPolicy#from} checks the values.
     */
    @ObjectClassDefinition(name = "jlvs scripts", description = "How MISC_CHECK, notify and VRRP scripts run:"
            + " without the appliance's capabilities, as script_user, bounded (keepalived's global_defs).")
    @interface ScriptsConfig {
        @AttributeDefinition(name = "Script user", required = false, description = "USER [GROUP] (names or numbers)"
                + " the scripts run as; empty: the appliance's own user. Another user needs the appliance to run as root.")
        String script__user() default "";

        @AttributeDefinition(name = "Script security", description = "true: refuse a script that would run as root"
                + " when its file or a folder on its path may be changed by someone other than root (keepalived's rule).")
        String enable__script__security() default "false";

        @AttributeDefinition(name = "Notify timeout (s)", description = "A notify script still running after this"
                + " many seconds (1..3600) is killed.")
        String notify__timeout() default "30";

        @AttributeDefinition(name = "Notify scripts at once", description = "How many notify scripts may run at"
                + " once (1..1024); more are counted and logged, not run.")
        String max__notify__scripts() default "8";
    }

    static final Set<String> KNOWN = Set.of("misc_path", "misc_dynamic", "user");
    /** Checks are bounded by the configuration; this only stops a runaway. */
    private static final int MAX_RUNNING = 1024;
    private final Map<String, ScriptPolicy.Identity> users = new ConcurrentHashMap<>();
    private volatile ScriptRunner runner;

    @Activate
    public MiscChecker(Map<String, Object> configuration) {
        runner = ScriptRunner.of(configuration, policy -> MAX_RUNNING, "jlvs-check-misc");
    }

    /** A new etc/org.jlvs.scripts.cfg; one that is refused (key, reason) leaves the running one. */
    @Modified
    void modified(Map<String, Object> configuration) {
        runner = runner.withConfiguration(configuration);
    }

    @Deactivate
    void close() {
        runner.close();
    }

    @Override
    public void validate(CheckConfig config) {
        config.requireOnly(KNOWN);
        String path = config.option("misc_path", null);
        if (path == null || path.isBlank()) throw new IllegalArgumentException("a misc check needs misc_path");
        List<String> words = CommandLine.split(path, "misc_path");
        File program = new File(words.get(0));
        if (program.isAbsolute() && !program.canExecute()) {
            throw new IllegalArgumentException("misc_path " + words.get(0) + " is not an executable file");
        }
        String user = config.option("user", null);
        if (user != null) ScriptPolicy.identity(user, "user");
    }

    @Override
    public CompletionStage<CheckResult> check(CheckConfig config) {
        long start = System.nanoTime();
        CompletableFuture<CheckResult> result = new CompletableFuture<>();
        CompletableFuture<Integer> exit;
        try {
            List<String> command = CommandLine.split(config.option("misc_path", ""), "misc_path");
            String user = config.option("user", null);
            Map<String, String> env = Map.of("JLVS_REAL_SERVER", config.endpoint(),
                    "JLVS_CHECK_ADDRESS", config.addressText(),
                    "JLVS_CHECK_PORT", Integer.toString(config.port()));
            ScriptRunner r = runner;
            exit = user == null ? r.run(command, env, config.timeoutMillis())
                    : r.run(command, env, config.timeoutMillis(), identity(user));
        } catch (IllegalArgumentException e) {
            result.complete(CheckResult.down("cannot run misc_path: " + e.getMessage(), System.nanoTime() - start));
            return result;
        }
        boolean dynamic = config.flag("misc_dynamic");
        exit.whenComplete((status, e) -> {
            long latency = System.nanoTime() - start;
            if (e == null) result.complete(verdict(status, dynamic, latency));
            else if (e instanceof TimeoutException) result.complete(CheckResult.down("timeout after " + config.timeoutMillis() + " ms", latency));
            else result.complete(CheckResult.down("cannot run misc_path: " + e.getMessage(), latency));
        });
        result.whenComplete((r, e) -> {
            if (e != null) exit.cancel(true); // cancelled by the monitor: the script is killed
        });
        return result;
    }

    /** The check's user option, looked up once (the operator's configuration bounds the names). */
    private ScriptPolicy.Identity identity(String user) {
        if (users.size() > 256) users.clear();
        return users.computeIfAbsent(user, u -> ScriptPolicy.identity(u, "user"));
    }

    /** keepalived's misc_dynamic reading of the exit status. */
    static CheckResult verdict(int status, boolean dynamic, long latencyNanos) {
        if (status == 0) return CheckResult.up("exit 0", latencyNanos);
        if (status >= 2 && status <= 255 && dynamic) return CheckResult.upWithWeight(status - 2, "exit " + status, latencyNanos);
        return CheckResult.down("exit " + status, latencyNanos);
    }
}
