package org.jlvs.api;

/**
 * The outcome of one check attempt.
 *
 * @param up           whether the real server passed
 * @param message      why it failed ("connection refused", "status 503"), or a short note on success
 * @param latencyNanos time from the start of the attempt to its outcome
 * @param weight       a weight the checker asks for (MISC_CHECK with misc_dynamic: exit status - 2), or
 *                     {@link #NO_WEIGHT} to keep the configured one
 */
public record CheckResult(boolean up, String message, long latencyNanos, int weight) {
    public static final int NO_WEIGHT = -1;

    public CheckResult {
        if (message == null) message = "";
        if (weight < NO_WEIGHT || weight > ServerConfig.MAX_WEIGHT) throw new IllegalArgumentException("bad weight: " + weight);
    }

    public static CheckResult up(String message, long latencyNanos) {
        return new CheckResult(true, message, latencyNanos, NO_WEIGHT);
    }

    public static CheckResult down(String message, long latencyNanos) {
        return new CheckResult(false, message, latencyNanos, NO_WEIGHT);
    }

    /** Up, asking for this weight (misc_dynamic). */
    public static CheckResult upWithWeight(int weight, String message, long latencyNanos) {
        return new CheckResult(true, message, latencyNanos, weight);
    }
}
