package org.jlvs.metrics;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The settings of PID {@code org.jlvs.metrics} for requests off loopback ({@link MetricsServlet.Config}): the JAAS
 * {@code realm} they log in to (default karaf), the {@code roles} of which a user needs one (default admin and
 * jlvs-metrics), and the failed-login throttle ({@code login_failures} wrong logins from one address, default 5,
 * lock it out for {@code login_lockout_seconds}, default 60).
 */
record AccessSettings(String realm, Set<String> roles, int loginFailures, int lockoutSeconds) {
    static final AccessSettings DEFAULTS = new AccessSettings("karaf", Set.of("admin", "jlvs-metrics"), 5, 60);

    /**
     * The settings in {@code config}; a value that is blank keeps its default.
     *
     * @throws IllegalArgumentException naming the key and the value of the first bad one
     */
    static AccessSettings of(MetricsServlet.Config config) {
        String realm = blank(config.realm()) ? DEFAULTS.realm : config.realm().trim();
        // "a, b" from a .cfg file arrives as one element, ["a", "b"] from a .config file as two
        String roles = config.roles() == null ? "" : String.join(",", config.roles());
        Set<String> roleSet = DEFAULTS.roles;
        if (!blank(roles)) {
            roleSet = new LinkedHashSet<>();
            for (String r : roles.split(",")) if (!r.isBlank()) roleSet.add(r.trim());
            if (roleSet.isEmpty()) throw new IllegalArgumentException("org.jlvs.metrics: roles = '" + roles + "' names no role");
            roleSet = Collections.unmodifiableSet(roleSet);
        }
        return new AccessSettings(realm, roleSet, positive("login_failures", config.login__failures(), DEFAULTS.loginFailures),
                positive("login_lockout_seconds", config.login__lockout__seconds(), DEFAULTS.lockoutSeconds));
    }

    private static boolean blank(String v) {
        return v == null || v.isBlank();
    }

    private static int positive(String key, String value, int otherwise) {
        if (blank(value)) return otherwise;
        String v = value.trim();
        try {
            int n = Integer.parseInt(v);
            if (n > 0) return n;
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("org.jlvs.metrics: " + key + " = '" + v + "' is not a whole number above 0");
    }
}
