package org.jlvs.api;

import java.util.Map;

/**
 * One check as lvs:checks lists it.
 *
 * @param state               UP, DOWN, or SUSPENDED (its checker is not installed: the last state is kept)
 * @param lastResult          the last attempt's message ("" before the first)
 * @param lastLatencyNanos    the last attempt's duration, -1 before the first
 * @param consecutiveFailures failed attempts in a row
 * @param stateSinceMillis    when the check entered its state (System.currentTimeMillis())
 * @param attempts            attempts so far
 */
public record CheckStatus(CheckSpec spec, String state, String lastResult, long lastLatencyNanos,
                          int consecutiveFailures, long stateSinceMillis, long attempts, Map<String, String> effective) {
}
