package org.jlvs.healthcheck.internal;

import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.jlvs.check.support.CommandLine;
import org.jlvs.check.support.ScriptRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notify_up/notify_down scripts, run through check-support's {@link ScriptRunner} (the code MISC_CHECK and
 * the VRRP notify scripts use): no capabilities, script_user from etc/org.jlvs.scripts.cfg, killed after
 * notify_timeout, at most max_notify_scripts at once. A script that could not run, or was killed, is counted
 * and logged; none waits in a queue.
 */
final class NotifyScripts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NotifyScripts.class);
    private volatile ScriptRunner runner;

    NotifyScripts(Map<String, ?> configuration) {
        runner = ScriptRunner.of(configuration, policy -> policy.maxNotifyScripts(), "jlvs-notify-scripts");
    }

    /** @throws IllegalArgumentException for a refused value (key and reason): the running settings stay */
    void reconfigure(Map<String, ?> configuration) {
        runner = runner.withConfiguration(configuration);
    }

    void run(String commandLine, Map<String, String> environment) {
        ScriptRunner r = runner;
        try {
            r.run(CommandLine.split(commandLine, "command"), environment, r.policy().notifyTimeoutMillis())
                    .whenComplete((status, e) -> {
                        if (e instanceof TimeoutException) {
                            LOG.warn("notify script '{}' killed: {} ({} so far)", commandLine, e.getMessage(), r.timedOut());
                        } else if (e != null) {
                            LOG.warn("notify script '{}' not run: {} ({} refused so far for too many running)",
                                    commandLine, e.getMessage(), r.refusedBusy());
                        } else if (status != 0) {
                            LOG.info("notify script '{}' exited with {}", commandLine, status);
                        }
                    });
        } catch (IllegalArgumentException e) {
            LOG.warn("notify script '{}' could not start: {}", commandLine, e.getMessage());
        }
    }

    ScriptRunner runner() {
        return runner;
    }

    @Override
    public void close() {
        runner.close();
    }
}
