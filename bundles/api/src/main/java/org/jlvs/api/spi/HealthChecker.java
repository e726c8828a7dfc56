package org.jlvs.api.spi;

import java.util.concurrent.CompletionStage;

import org.jlvs.api.CheckConfig;
import org.jlvs.api.CheckResult;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * One kind of health check (TCP connect, HTTP GET, a script, ...), registered as an OSGi service with
 * {@code lvs.check=<type>} (several values when one service serves several types, e.g. http and ssl). The
 * health monitor calls {@link #check} for every attempt and applies the results; a checker keeps no state
 * about real servers between attempts.
 *
 * <p>No thread per check: {@link #check} starts the attempt and returns at once; the attempt runs on the
 * checker's own I/O threads (NIO) and completes the stage with a {@link CheckResult} within about
 * {@link CheckConfig#timeoutMillis()}. A failed check is a normal result ({@link CheckResult#down}); the stage
 * completes exceptionally only for a bug or a checker that is shutting down, which the monitor ignores.
 */
@ConsumerType
public interface HealthChecker {
    /** Service property naming the check type(s) this service runs, as lvs:check-add --type takes them. */
    String PROPERTY = "lvs.check";

    /** Starts one attempt. Must not block the caller. */
    CompletionStage<CheckResult> check(CheckConfig config);

    /**
     * Refuses options this checker does not know or cannot use, with an IllegalArgumentException whose
     * message names the option (called when a check is added, before anything changes).
     */
    default void validate(CheckConfig config) {}
}
