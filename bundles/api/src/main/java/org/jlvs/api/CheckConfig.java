package org.jlvs.api;

import java.util.Map;
import java.util.Set;

/**
 * What one check attempt needs: where to connect, from where, how long to wait, and the options specific to
 * the check type, keyed by their keepalived keywords ({@code path}, {@code status_code}, {@code digest},
 * {@code payload}, {@code misc_path}, ...), values as text.
 *
 * @param type          the check type (tcp, http, ssl, udp, dns, ping, misc)
 * @param address       address to check: the real server's, or keepalived's connect_ip
 * @param port          port to check: the real server's, or connect_port (0 for ping and misc)
 * @param bindAddress   source address (keepalived's bindto), 0 = chosen by the kernel
 * @param bindPort      source port (bind_port), 0 = any
 * @param timeoutMillis connect_timeout (misc_timeout for scripts): the attempt fails after this long
 * @param options       type-specific options; never null
 */
public record CheckConfig(String type, int address, int port, int bindAddress, int bindPort, long timeoutMillis,
                          Map<String, String> options) {
    public CheckConfig {
        if (type == null || type.isEmpty()) throw new IllegalArgumentException("missing check type");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("bad port: " + port);
        if (bindPort < 0 || bindPort > 65535) throw new IllegalArgumentException("bad bind_port: " + bindPort);
        if (timeoutMillis <= 0) throw new IllegalArgumentException("bad timeout: " + timeoutMillis + " ms");
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    /** The option's text, or {@code fallback} when it is not set. */
    public String option(String name, String fallback) {
        String value = options.get(name);
        return value != null ? value : fallback;
    }

    /** A flag option (given without a value, or as true/yes/on). */
    public boolean flag(String name) {
        String value = options.get(name);
        if (value == null) return false;
        return value.isEmpty() || value.equalsIgnoreCase("true") || value.equalsIgnoreCase("yes")
                || value.equalsIgnoreCase("on");
    }

    /** A whole-number option in [min, max]; "bad NAME 'TEXT': must be MIN..MAX" otherwise. */
    public long number(String name, long fallback, long min, long max) {
        String value = options.get(name);
        if (value == null) return fallback;
        try {
            long n = Long.parseLong(value.trim());
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("bad " + name + " '" + value + "': must be " + min + ".." + max);
    }

    /** Refuses any option outside {@code known}, naming it and the known ones. */
    public void requireOnly(Set<String> known) {
        for (String name : options.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("option " + name + " does not apply to " + type + " checks"
                        + (known.isEmpty() ? "" : " (they take " + String.join(", ", new java.util.TreeSet<>(known)) + ")"));
            }
        }
    }

    /** "a.b.c.d:port" of the checked endpoint. */
    public String endpoint() { return Ip4.toString(address, port); }
}
