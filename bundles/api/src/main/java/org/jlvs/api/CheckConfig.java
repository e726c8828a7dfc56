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
 * @param address6      the IPv6 address to check (then {@code address} is 0), null for IPv4
 */
public record CheckConfig(String type, int address, int port, int bindAddress, int bindPort, long timeoutMillis,
                          Map<String, String> options, Ip6Address address6) {
    public CheckConfig {
        if (type == null || type.isEmpty()) throw new IllegalArgumentException("missing check type");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("bad port: " + port);
        if (bindPort < 0 || bindPort > 65535) throw new IllegalArgumentException("bad bind_port: " + bindPort);
        if (timeoutMillis <= 0) throw new IllegalArgumentException("bad timeout: " + timeoutMillis + " ms");
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    /** An attempt on an IPv4 address. */
    public CheckConfig(String type, int address, int port, int bindAddress, int bindPort, long timeoutMillis,
                       Map<String, String> options) {
        this(type, address, port, bindAddress, bindPort, timeoutMillis, options, null);
    }

    /** The address to connect to, of either family, without a name lookup. */
    public java.net.InetAddress inetAddress() {
        byte[] b;
        if (address6 != null) {
            b = new byte[16];
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (address6.hi() >>> (56 - 8 * i));
                b[8 + i] = (byte) (address6.lo() >>> (56 - 8 * i));
            }
        } else {
            b = new byte[] {(byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address};
        }
        try {
            return java.net.InetAddress.getByAddress(b);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e); // only for a wrong length, which cannot happen here
        }
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

    /** "a.b.c.d" or "2001:db8::11": the checked address. */
    public String addressText() { return address6 != null ? address6.toString() : Ip4.toString(address); }

    /** "a.b.c.d:port" or "[2001:db8::11]:port" of the checked endpoint. */
    public String endpoint() { return address6 != null ? address6.toString(port) : Ip4.toString(address, port); }
}
