package org.jlvs.check.support;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * How the operator's scripts run, from etc/org.jlvs.scripts.cfg (keepalived's global_defs script_user and
 * enable_script_security, plus the bounds of notify scripts). Every component that runs scripts (MISC_CHECK,
 * the health monitor's notify_up/notify_down, the VRRP notify scripts) reads this one PID.
 * <ul>
 * <li>script_user = USER [GROUP]: the user scripts run as (default: the appliance's own user). Switching user
 * needs the appliance to run as root, as keepalived does.</li>
 * <li>enable_script_security = true|false: refuse a script that would run as root when its file or a folder on
 * its path may be changed by someone else than root (keepalived's rule).</li>
 * <li>notify_timeout = seconds (30): a notify script still running then is killed.</li>
 * <li>max_notify_scripts = N (8): notify scripts running at once; more are counted and logged, not run.</li>
 * </ul>
 */
public record ScriptPolicy(Identity user, boolean scriptSecurity, long notifyTimeoutMillis, int maxNotifyScripts) {
    public static final String PID = "org.jlvs.scripts";
    public static final ScriptPolicy DEFAULT = new ScriptPolicy(null, false, TimeUnit.SECONDS.toMillis(30), 8);

    /** A user and group as numbers, with the user's name (for its supplementary groups) when it has one. */
    public record Identity(String name, int uid, int gid) {
        @Override public String toString() { return (name != null ? name : Integer.toString(uid)) + " (" + uid + ":" + gid + ")"; }
    }

    /**
     * Reads a configuration (Config Admin's properties); keys it does not know are left to others (service.pid
     * and the like). Refuses a bad value with the key and the reason.
     */
    public static ScriptPolicy from(Map<String, ?> properties) {
        Identity user = null;
        String spec = string(properties, "script_user");
        if (spec != null && !spec.isBlank()) user = identity(spec, "script_user");
        String security = string(properties, "enable_script_security");
        boolean secure = false;
        if (security != null && !security.isBlank()) {
            if (!security.equalsIgnoreCase("true") && !security.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("enable_script_security: true or false, not '" + security + "'");
            }
            secure = Boolean.parseBoolean(security);
        }
        long timeout = number(properties, "notify_timeout", 30, 1, 3600);
        int max = (int) number(properties, "max_notify_scripts", 8, 1, 1024);
        return new ScriptPolicy(user, secure, TimeUnit.SECONDS.toMillis(timeout), max);
    }

    /**
     * "USER [GROUP]" as keepalived writes it (names or numbers); without GROUP the user's primary group.
     * @param what the setting in error messages
     */
    public static Identity identity(String spec, String what) {
        String[] words = spec.trim().split("\\s+");
        if (words.length > 2) throw new IllegalArgumentException(what + ": USER [GROUP], not '" + spec + "'");
        String user = words[0];
        int uid = lookUp(what, "user", user, "-u");
        int gid = words.length == 2 ? group(what, words[1]) : lookUp(what, "user", user, "-g");
        return new Identity(user.chars().allMatch(Character::isDigit) ? null : user, uid, gid);
    }

    private static int group(String what, String group) {
        if (group.chars().allMatch(Character::isDigit)) return Integer.parseInt(group);
        String line = query(what, "group", group, "getent", "group", group);
        String[] fields = line.split(":");
        if (fields.length < 3) throw new IllegalArgumentException(what + ": no such group '" + group + "'");
        return Integer.parseInt(fields[2]);
    }

    private static int lookUp(String what, String kind, String user, String flag) {
        if (user.chars().allMatch(Character::isDigit) && flag.equals("-u")) return Integer.parseInt(user);
        return Integer.parseInt(query(what, kind, user, "id", flag, "--", user).trim());
    }

    /** Runs a name-service query (id, getent): the system's own resolution, NSS included. */
    private static String query(String what, String kind, String name, String... command) {
        if (name.isEmpty() || name.startsWith("-") || !name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException(what + ": not a " + kind + " name: '" + name + "'");
        }
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalArgumentException(what + ": looking up " + kind + " '" + name + "' did not finish");
            }
            if (p.exitValue() != 0 || out.isBlank()) throw new IllegalArgumentException(what + ": no such " + kind + " '" + name + "'");
            String first = out.lines().findFirst().orElse("").trim();
            if (command[0].equals("id") && !first.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException(what + ": no such " + kind + " '" + name + "'");
            }
            return first;
        } catch (IOException e) {
            throw new IllegalArgumentException(what + ": cannot look up " + kind + " '" + name + "': " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException(what + ": interrupted while looking up " + kind + " '" + name + "'");
        }
    }

    private static String string(Map<String, ?> properties, String key) {
        Object v = properties.get(key);
        return v == null ? null : String.valueOf(v).trim();
    }

    private static long number(Map<String, ?> properties, String key, long dflt, long min, long max) {
        String v = string(properties, key);
        if (v == null || v.isEmpty()) return dflt;
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + ": a whole number, not '" + v + "'");
        }
        if (n < min || n > max) throw new IllegalArgumentException(key + ": " + min + ".." + max + ", not " + n);
        return n;
    }
}
