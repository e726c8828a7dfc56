package org.jlvs.core.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The net.ipv4.vs.* settings jlvs follows (Config Admin PID {@value #PID}, set with lvs:sysctl). Read by the
 * data path as plain volatile fields.
 * <ul>
 * <li>{@code expire_nodest_conn} (0): 1 = a packet of a connection whose real server was deleted drops the
 *     entry (and the packet) at once, instead of forwarding until the entry expires;</li>
 * <li>{@code expire_quiescent_template} (0): 1 = a persistence template of a weight-0 server expires when next
 *     used;</li>
 * <li>{@code conn_reuse_mode} (1): bit 0 set = a SYN on a TIME_WAIT or CLOSE entry starts a new, rescheduled
 *     connection; 0 = it reuses the entry and its real server;</li>
 * <li>{@code drop_entry} (0): kept for ipvsadm/keepalived configurations; jlvs's defence is always on
 *     instead (a full table evicts half-open entries), so the value changes nothing.</li>
 * </ul>
 */
final class Sysctls {
    static final String PID = "org.jlvs.core.sysctl";
    /** The names and their defaults, in listing order. */
    static final Map<String, Integer> DEFAULTS = defaults();

    volatile boolean expireNodestConn;
    volatile boolean expireQuiescentTemplate;
    volatile int connReuseMode = 1;
    volatile int dropEntry;

    private static Map<String, Integer> defaults() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("conn_reuse_mode", 1);
        m.put("drop_entry", 0);
        m.put("expire_nodest_conn", 0);
        m.put("expire_quiescent_template", 0);
        return java.util.Collections.unmodifiableMap(m);
    }

    /** Applies a configuration: missing names get their defaults, bad values are refused before any change. */
    void apply(Map<String, ?> properties) {
        String[] texts = new String[DEFAULTS.size()];
        int i = 0;
        for (String name : DEFAULTS.keySet()) {
            Object value = properties.get(name);
            texts[i++] = value == null ? null : value.toString();
        }
        apply(texts);
    }

    /** The values in {@link #DEFAULTS}' order (null: the default); bad values are refused before any change. */
    void apply(String... texts) {
        int[] v = new int[DEFAULTS.size()];
        int i = 0;
        for (Map.Entry<String, Integer> d : DEFAULTS.entrySet()) {
            String text = i < texts.length ? texts[i] : null;
            v[i++] = text == null ? d.getValue() : parse(d.getKey(), text);
        }
        connReuseMode = v[0];
        dropEntry = v[1];
        expireNodestConn = v[2] != 0;
        expireQuiescentTemplate = v[3] != 0;
    }

    /** The kernel's ranges: conn_reuse_mode 0..3, drop_entry 0..3, the others 0..1. */
    static int parse(String name, String text) {
        int max = name.equals("conn_reuse_mode") || name.equals("drop_entry") ? 3 : 1;
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= 0 && value <= max) return value;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("bad " + name + " '" + text + "': must be 0.." + max);
    }
}
