package org.jlvs.api;

import java.util.Map;

/**
 * A health check as the operator defines it (lvs:check-add): the real server of a virtual service, the check
 * type and its settings keyed by keepalived's keywords. Common keywords are the constants below (the monitor
 * reads them; defaults as keepalived's); every other keyword is the checker's ({@link CheckConfig#options()}).
 * Flags have the value "" (or true/false).
 *
 * @param address6 the IPv6 real server's address (then {@code address} is its {@link Ip6Address#fold}), null for
 *                 an IPv4 one
 */
public record CheckSpec(ServiceKey service, int address, int port, String type, Map<String, String> options,
                        Ip6Address address6) {
    public static final String DELAY_LOOP = "delay_loop";
    public static final String CONNECT_TIMEOUT = "connect_timeout";
    public static final String RETRY = "retry";
    public static final String DELAY_BEFORE_RETRY = "delay_before_retry";
    public static final String WARMUP = "warmup";
    public static final String ALPHA = "alpha";
    public static final String INHIBIT_ON_FAILURE = "inhibit_on_failure";
    public static final String CONNECT_IP = "connect_ip";
    public static final String CONNECT_PORT = "connect_port";
    public static final String BINDTO = "bindto";
    public static final String BIND_PORT = "bind_port";
    public static final String NOTIFY_UP = "notify_up";
    public static final String NOTIFY_DOWN = "notify_down";
    public static final String LOG_ALL_FAILURES = "log_all_failures";

    public CheckSpec {
        if (service == null) throw new IllegalArgumentException("missing service");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("bad port: " + port);
        if (type == null || type.isBlank()) throw new IllegalArgumentException("missing check type");
        options = options == null ? Map.of() : Map.copyOf(options);
        if (address6 != null) address = address6.fold();
    }

    /** A check of an IPv4 real server. */
    public CheckSpec(ServiceKey service, int address, int port, String type, Map<String, String> options) {
        this(service, address, port, type, options, null);
    }

    /** "10.0.1.1:80" or "[2001:db8::11]:80": the checked real server. */
    public String server() { return address6 != null ? address6.toString(port) : Ip4.toString(address, port); }

    /** "TCP 10.0.0.1:80 -> 10.0.1.1:80 http" */
    @Override
    public String toString() { return service + " -> " + server() + " " + type; }
}
