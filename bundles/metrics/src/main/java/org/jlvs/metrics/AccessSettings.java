package org.jlvs.metrics;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The settings of PID {@code org.jlvs.metrics} for requests off loopback: the JAAS {@code realm} they log in
 * to (default karaf), the {@code roles} of which a user needs one (default admin and jlvs-metrics), and the
 * failed-login throttle ({@code login_failures} wrong logins from one address, default 5, lock it out for
 * {@code login_lockout_seconds}, default 60).
 */
record AccessSettings(String realm, Set<String> roles, int loginFailures, int lockoutSeconds) {
    static final AccessSettings DEFAULTS = new AccessSettings("karaf", Set.of("admin", "jlvs-metrics"), 5, 60);

    /** The settings in {@code config}; a key that is absent or blank keeps its default. */
    static AccessSettings of(Map<String, ?> config) {
        String realm = text(config, "realm", DEFAULTS.realm);
        String roles = text(config, "roles", null);
        Set<String> roleSet = DEFAULTS.roles;
        if (roles != null) {
            roleSet = new LinkedHashSet<>();
            for (String r : roles.split(",")) if (!r.isBlank()) roleSet.add(r.trim());
            if (roleSet.isEmpty()) throw new IllegalArgumentException("org.jlvs.metrics: roles = '" + roles + "' names no role");
            roleSet = Collections.unmodifiableSet(roleSet);
        }
        return new AccessSettings(realm, roleSet, positive(config, "login_failures", DEFAULTS.loginFailures),
                positive(config, "login_lockout_seconds", DEFAULTS.lockoutSeconds));
    }

    private static String text(Map<String, ?> config, String key, String otherwise) {
        Object v = config.get(key);
        if (v instanceof String[] a) v = String.join(",", Arrays.asList(a));
        return v == null || v.toString().isBlank() ? otherwise : v.toString().trim();
    }

    private static int positive(Map<String, ?> config, String key, int otherwise) {
        String v = text(config, key, null);
        if (v == null) return otherwise;
        try {
            int n = Integer.parseInt(v);
            if (n > 0) return n;
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("org.jlvs.metrics: " + key + " = '" + v + "' is not a whole number above 0");
    }
}
