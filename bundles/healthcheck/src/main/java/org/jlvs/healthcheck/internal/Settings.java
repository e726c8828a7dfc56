package org.jlvs.healthcheck.internal;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jlvs.api.CheckConfig;
import org.jlvs.api.CheckSpec;
import org.jlvs.api.Ip4;
import org.jlvs.api.Ip6Address;

/**
 * A check's settings resolved from its {@link CheckSpec}: the keywords every checker shares, with keepalived's
 * defaults (keepalived.conf(5)), and the rest handed to the checker as its options.
 *
 * <ul>
 * <li>delay_loop 60 s; connect_timeout 5 s (0 counts as 1 s); warmup = delay_loop (0 = start at once);</li>
 * <li>retry 1, but 3 for DNS_CHECK and 0 for MISC_CHECK;</li>
 * <li>delay_before_retry 3 s for HTTP_GET/SSL_GET, delay_loop for DNS_CHECK, 1 s otherwise;</li>
 * <li>misc_timeout (the attempt's timeout for scripts) = delay_loop.</li>
 * </ul>
 */
record Settings(String type, long delayLoopMillis, long timeoutMillis, int retry, long delayBeforeRetryMillis,
                long warmupMillis, boolean alpha, boolean inhibitOnFailure, String notifyUp, String notifyDown,
                boolean logAllFailures, CheckConfig config) {

    /** keepalived's checker names and the usual aliases, to the types of lvs.check. */
    private static final Map<String, String> TYPE_ALIASES = Map.ofEntries(
            Map.entry("tcp_check", "tcp"), Map.entry("http_get", "http"), Map.entry("ssl_get", "ssl"),
            Map.entry("https", "ssl"), Map.entry("udp_check", "udp"), Map.entry("dns_check", "dns"),
            Map.entry("ping_check", "ping"), Map.entry("icmp", "ping"), Map.entry("misc_check", "misc"),
            Map.entry("script", "misc"));

    private static final Set<String> COMMON = Set.of(CheckSpec.DELAY_LOOP, CheckSpec.CONNECT_TIMEOUT, CheckSpec.RETRY,
            CheckSpec.DELAY_BEFORE_RETRY, CheckSpec.WARMUP, CheckSpec.ALPHA, CheckSpec.INHIBIT_ON_FAILURE,
            CheckSpec.CONNECT_IP, CheckSpec.CONNECT_PORT, CheckSpec.BINDTO, CheckSpec.BIND_PORT, CheckSpec.NOTIFY_UP,
            CheckSpec.NOTIFY_DOWN, CheckSpec.LOG_ALL_FAILURES);

    /** Keywords that MISC_CHECK does not take (keepalived: it has the options from alpha onward only). */
    private static final Set<String> CONNECTION = Set.of(CheckSpec.CONNECT_TIMEOUT, CheckSpec.CONNECT_IP,
            CheckSpec.CONNECT_PORT, CheckSpec.BINDTO, CheckSpec.BIND_PORT);

    static final String MISC_TIMEOUT = "misc_timeout";

    /** The check type for a name as given (tcp, HTTP_GET, SSL_GET, https, ...): lower case, aliases resolved. */
    static String normalType(String name) {
        if (name == null) throw new IllegalArgumentException("missing check type");
        String lower = name.trim().toLowerCase(Locale.ROOT);
        return TYPE_ALIASES.getOrDefault(lower, lower);
    }

    /** Resolves and checks the common settings; throws IllegalArgumentException naming a bad one. */
    static Settings of(CheckSpec spec) {
        String type = normalType(spec.type());
        Map<String, String> o = new HashMap<>();
        spec.options().forEach((k, v) -> o.put(k.trim().toLowerCase(Locale.ROOT).replace('-', '_'), v == null ? "" : v.trim()));
        boolean misc = type.equals("misc");
        if (misc) {
            for (String k : CONNECTION) {
                if (o.containsKey(k)) throw new IllegalArgumentException("option " + k + " does not apply to misc checks");
            }
        }
        long delayLoop = timer(o, CheckSpec.DELAY_LOOP, 60_000, 1);
        long timeout = timer(o, CheckSpec.CONNECT_TIMEOUT, 5_000, 0);
        if (timeout == 0) timeout = 1_000; // keepalived: "do not allow 0 timeout"
        if (misc) timeout = timer(o, MISC_TIMEOUT, delayLoop, 1);
        int retry = (int) number(o, CheckSpec.RETRY, type.equals("dns") ? 3 : misc ? 0 : 1, 0, 1_000_000);
        long retryDefault = switch (type) {
            case "http", "ssl" -> 3_000;
            case "dns" -> delayLoop;
            default -> 1_000;
        };
        long delayBeforeRetry = timer(o, CheckSpec.DELAY_BEFORE_RETRY, retryDefault, 0);
        long warmup = timer(o, CheckSpec.WARMUP, delayLoop, 0);
        boolean alpha = flag(o, CheckSpec.ALPHA);
        boolean inhibit = flag(o, CheckSpec.INHIBIT_ON_FAILURE);
        boolean logAll = flag(o, CheckSpec.LOG_ALL_FAILURES);
        String notifyUp = emptyToNull(o.get(CheckSpec.NOTIFY_UP));
        String notifyDown = emptyToNull(o.get(CheckSpec.NOTIFY_DOWN));
        // connect_ip of either family (keepalived takes both); else the real server's own address
        String connectIp = o.get(CheckSpec.CONNECT_IP);
        Ip6Address address6 = connectIp != null ? (Ip6Address.looksLikeIpv6(connectIp) ? Ip6Address.parse(connectIp) : null)
                : spec.address6();
        int address = connectIp != null ? (address6 != null ? 0 : Ip4.parse(connectIp)) : address6 != null ? 0 : spec.address();
        int port = (int) number(o, CheckSpec.CONNECT_PORT, spec.port(), 0, 65535);
        int bindAddress = o.containsKey(CheckSpec.BINDTO) ? ipv4(o, CheckSpec.BINDTO) : 0;
        int bindPort = (int) number(o, CheckSpec.BIND_PORT, 0, 0, 65535);
        Map<String, String> checkerOptions = new LinkedHashMap<>(o);
        checkerOptions.keySet().removeAll(COMMON);
        checkerOptions.remove(MISC_TIMEOUT);
        CheckConfig config = new CheckConfig(type, address, port, bindAddress, bindPort, timeout, checkerOptions,
                address6);
        return new Settings(type, delayLoop, timeout, retry, delayBeforeRetry, warmup, alpha, inhibit, notifyUp,
                notifyDown, logAll, config);
    }

    /**
     * bindto: keepalived also takes IPv6 ones, which CheckConfig cannot carry (its source is an IPv4 address):
     * refused by name rather than read as a bad IPv4 address.
     */
    private static int ipv4(Map<String, String> o, String key) {
        String text = o.get(key);
        if (org.jlvs.api.Ip6Address.looksLikeIpv6(text)) {
            throw new IllegalArgumentException(key + " " + text + ": IPv6 check addresses are not supported yet");
        }
        return Ip4.parse(text);
    }

    /** The settings in effect, keepalived keywords to values (for lvs:checks). */
    Map<String, String> effective() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(CheckSpec.DELAY_LOOP, seconds(delayLoopMillis));
        m.put(type.equals("misc") ? MISC_TIMEOUT : CheckSpec.CONNECT_TIMEOUT, seconds(timeoutMillis));
        m.put(CheckSpec.RETRY, Integer.toString(retry));
        m.put(CheckSpec.DELAY_BEFORE_RETRY, seconds(delayBeforeRetryMillis));
        m.put(CheckSpec.WARMUP, seconds(warmupMillis));
        if (alpha) m.put(CheckSpec.ALPHA, "");
        if (inhibitOnFailure) m.put(CheckSpec.INHIBIT_ON_FAILURE, "");
        if (!type.equals("misc")) m.put("connect", config.endpoint());
        m.putAll(config.options());
        return m;
    }

    static String seconds(long millis) {
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    }

    /** keepalived's TIMER: seconds with an optional fraction ("2", "0.5"), here to the millisecond. */
    static long timer(Map<String, String> o, String name, long fallbackMillis, long minMillis) {
        String text = o.get(name);
        if (text == null) return fallbackMillis;
        try {
            BigDecimal seconds = new BigDecimal(text);
            long millis = seconds.movePointRight(3).longValueExact();
            if (millis >= minMillis && millis <= 86_400_000L) return millis;
        } catch (NumberFormatException | ArithmeticException e) {
            // reported below
        }
        throw new IllegalArgumentException("bad " + name + " '" + text + "': seconds, "
                + seconds(minMillis) + " to 86400, at most 3 decimals");
    }

    private static long number(Map<String, String> o, String name, long fallback, long min, long max) {
        String text = o.get(name);
        if (text == null) return fallback;
        try {
            long n = Long.parseLong(text);
            if (n >= min && n <= max) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("bad " + name + " '" + text + "': must be " + min + ".." + max);
    }

    private static boolean flag(Map<String, String> o, String name) {
        String v = o.get(name);
        if (v == null) return false;
        if (v.isEmpty() || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes") || v.equalsIgnoreCase("on")) return true;
        if (v.equalsIgnoreCase("false") || v.equalsIgnoreCase("no") || v.equalsIgnoreCase("off")) return false;
        throw new IllegalArgumentException("bad " + name + " '" + v + "': a flag (true or false)");
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
