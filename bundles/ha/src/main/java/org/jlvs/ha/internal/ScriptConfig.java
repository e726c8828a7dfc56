package org.jlvs.ha.internal;

import java.util.Map;

/**
 * A track script (keepalived's vrrp_script): run every interval; exit 0 is success. After {@code fall}
 * failures in a row it is failed, after {@code rise} successes in a row it is good again; it starts good
 * unless {@code init_fail}. While good, a positive weight is added to the priority of every instance that
 * tracks it; while failed, a negative weight is added, and weight 0 puts those instances in FAULT.
 * A run that outlasts {@code timeout} is killed and counts as a failure.
 */
record ScriptConfig(String name, String command, long intervalNanos, long timeoutNanos, int weight, int fall,
                    int rise, boolean initFail) {

    static final String DEFAULT_INTERVAL = "1";
    private static final long NANOS_PER_MILLI = 1_000_000L;

    static ScriptConfig parse(Map<String, ?> properties) {
        ConfigReader r = new ConfigReader(properties);
        String name = r.required("name");
        if (!name.matches("[A-Za-z0-9_.-]{1,64}")) throw ConfigReader.bad("name", "use 1-64 letters, digits, _ . -");
        String command = r.required("script");
        try {
            org.jlvs.check.support.CommandLine.split(command, "script");
        } catch (IllegalArgumentException e) {
            throw ConfigReader.bad("script", e.getMessage());
        }
        long interval = r.fixed("interval", Long.parseLong(DEFAULT_INTERVAL) * 1000, 3, 10, 86_400_000) * NANOS_PER_MILLI;
        // keepalived: the timeout defaults to the interval
        long timeout = r.fixed("timeout", interval / NANOS_PER_MILLI, 3, 10, 86_400_000) * NANOS_PER_MILLI;
        int weight = r.integer("weight", 0, -253, 253);
        int fall = r.integer("fall", 1, 1, 1000);
        int rise = r.integer("rise", 1, 1, 1000);
        return new ScriptConfig(name, command, interval, timeout, weight, fall, rise, r.bool("init_fail", false));
    }
}
