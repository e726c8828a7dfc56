package org.jlvs.ipvsadm;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.Protocol;
import org.jlvs.api.SchedulerFlags;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.TunnelType;

/**
 * Parsing and checking of ipvsadm's option values. Every method throws IllegalArgumentException with a
 * one-line message that names the bad value, so a command can refuse wrong input before it changes anything.
 * Only numeric addresses and ports are accepted (ipvsadm would also resolve host and service names); an IPv6
 * address is written "[2001:db8::1]:80", or without a port "[2001:db8::1]" or "2001:db8::1".
 */
public final class IpvsadmOptions {
    private IpvsadmOptions() {}

    /** IPVS's default persistence timeout in seconds ({@code -p} without a value). */
    public static final int DEFAULT_PERSISTENCE = 360;

    /** ipvsadm's MAX_TIMEOUT: 31 days. */
    public static final int MAX_TIMEOUT = 86400 * 31;

    /** The schedulers IPVS defines; a name outside this list is unknown rather than "not installed". */
    public static final Set<String> IPVS_SCHEDULERS = Set.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh",
            "sed", "nq", "fo", "ovf", "mh", "twos");

    /**
     * The service named by {@code -t} or {@code -u}: exactly one of them must be given.
     *
     * @return null when neither is given and {@code required} is false
     */
    public static ServiceKey service(String tcp, String udp, boolean required) {
        if (tcp != null && udp != null) throw new IllegalArgumentException("give either -t or -u, not both");
        if (tcp != null) return service(Protocol.TCP, tcp);
        if (udp != null) return service(Protocol.UDP, udp);
        if (required) throw new IllegalArgumentException("missing service: give -t VIP:PORT or -u VIP:PORT");
        return null;
    }

    /**
     * "VIP[:PORT]" or "[VIP6][:PORT]" as ipvsadm's service address; without a port the service is the port-0
     * (all ports) one.
     */
    public static ServiceKey service(Protocol protocol, String text) {
        Endpoint e = endpoint(text, 0, "service address");
        return e.isIpv6() ? new ServiceKey(protocol, e.address6(), e.port()) : new ServiceKey(protocol, e.address(), e.port());
    }

    /** "RIP[:PORT]" as {@code -r}; without a port the server takes {@code defaultPort} (the service's port). */
    public static Endpoint server(String text, int defaultPort) {
        return endpoint(text, defaultPort, "real server address");
    }

    private static Endpoint endpoint(String text, int defaultPort, String what) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("missing " + what);
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) throw new IllegalArgumentException("bad " + what + " '" + text + "': no ']' after the IPv6 address");
            Ip6Address address = Ip6Address.parse(text.substring(1, close));
            String rest = text.substring(close + 1);
            if (rest.isEmpty()) return new Endpoint(0, defaultPort, address);
            if (!rest.startsWith(":") || !isDigits(rest.substring(1))) {
                throw new IllegalArgumentException("bad port in address: " + text);
            }
            return new Endpoint(0, ServiceKey.parsePort(rest.substring(1), text), address);
        }
        if (Ip6Address.looksLikeIpv6(text) && text.indexOf(':') != text.lastIndexOf(':')) {
            return new Endpoint(0, defaultPort, Ip6Address.parse(text)); // a bare IPv6 address: no port
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) return new Endpoint(Ip4.parse(text), defaultPort);
        int address = Ip4.parse(text.substring(0, colon));
        String port = text.substring(colon + 1);
        if (!isDigits(port)) throw new IllegalArgumentException("bad port in address: " + text);
        return new Endpoint(address, ServiceKey.parsePort(port, text));
    }

    /** {@code -M} of an IPv6 service: a prefix length 1..128 ("64" or "/64"), as IPVS keeps it. */
    public static int prefixLength(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("missing netmask");
        String plen = text.startsWith("/") ? text.substring(1) : text;
        if (isDigits(plen) && plen.length() <= 3) {
            int bits = Integer.parseInt(plen);
            if (bits >= 1 && bits <= 128) return bits;
        }
        throw new IllegalArgumentException("bad IPv6 netmask: " + text + " (a prefix length 1..128)");
    }

    /** {@code -M} for the service {@code key}: a prefix length for IPv6, else {@link #netmask}. */
    public static int netmask(ServiceKey key, String text) {
        return key.isIpv6() ? prefixLength(text) : netmask(text);
    }

    /** {@code -M}: a dotted netmask ("255.255.255.0") or a prefix length ("24" or "/24"), contiguous. */
    public static int netmask(String text) {
        if (text == null || text.isBlank()) throw new IllegalArgumentException("missing netmask");
        String plen = text.startsWith("/") ? text.substring(1) : text;
        if (isDigits(plen) && plen.length() <= 2) {
            int bits = Integer.parseInt(plen);
            if (bits > 32) throw new IllegalArgumentException("bad netmask: " + text);
            return bits == 0 ? 0 : -1 << (32 - bits);
        }
        int mask;
        try {
            mask = Ip4.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad netmask: " + text);
        }
        int host = ~mask;
        if ((host & (host + 1)) != 0) throw new IllegalArgumentException("bad netmask: " + text + " (not contiguous)");
        return mask;
    }

    /**
     * {@code -b}: a comma list of {@link SchedulerFlags#NAMES}, checked against the scheduler as ipvsadm's
     * {@code parse_sched_flags} does (sh-* only with sh, mh-* only with mh). Null or "" gives 0.
     */
    public static int schedulerFlags(String scheduler, String list) {
        if (list == null || list.isEmpty()) return 0;
        int flags = 0;
        for (String name : list.split(",")) {
            if (name.isEmpty()) continue; // strtok skips empty fields
            Object[] flag = SchedulerFlags.NAMES.get(name);
            if (flag == null) {
                throw new IllegalArgumentException("invalid scheduler flag '" + name + "': known are "
                        + String.join(", ", SchedulerFlags.NAMES.keySet()));
            }
            Object only = flag[1];
            if (only != null && !only.equals(scheduler)) {
                throw new IllegalArgumentException("incompatible scheduler flag '" + name + "': it is for the "
                        + only + " scheduler, not " + scheduler);
            }
            flags |= (Integer) flag[0];
        }
        return flags;
    }

    /**
     * The persistence timeout: {@code -p} is a switch, and its optional value is the command's trailing
     * words (Karaf options cannot have optional values). 0 = not persistent.
     */
    public static int persistence(boolean persistent, List<String> trailing) {
        if (trailing == null || trailing.isEmpty()) return persistent ? DEFAULT_PERSISTENCE : 0;
        if (!persistent) {
            throw new IllegalArgumentException("unexpected argument '" + trailing.get(0)
                    + "': a persistence timeout must follow -p");
        }
        if (trailing.size() > 1) {
            throw new IllegalArgumentException("unexpected argument '" + trailing.get(1)
                    + "': options after the persistence timeout are not read, write -p TIMEOUT last");
        }
        return (int) number(trailing.get(0), 1, MAX_TIMEOUT, "persistence timeout");
    }

    /** {@code -m}, {@code -g}, {@code -i}: at most one; null when none is given. */
    public static ForwardMethod forwardMethod(boolean masquerading, boolean gatewaying, boolean ipip) {
        int given = (masquerading ? 1 : 0) + (gatewaying ? 1 : 0) + (ipip ? 1 : 0);
        if (given > 1) throw new IllegalArgumentException("-m, -g and -i exclude each other: give one");
        if (masquerading) return ForwardMethod.MASQ;
        if (gatewaying) return ForwardMethod.ROUTE;
        if (ipip) return ForwardMethod.TUNNEL;
        return null;
    }

    /**
     * Applies {@code --tun-type} and {@code --tun-port} to {@code config}, starting from the tunnel settings of
     * {@code current} (for a new server, {@code config} itself: IPIP without a port). As ipvsadm and the kernel
     * check: only with {@code -i}; GUE needs a port; IPIP takes none. Null texts: the option is not given.
     */
    public static ServerConfig withTunnel(ServerConfig config, String type, String port, ServerConfig current) {
        if (type == null && port == null) {
            return new ServerConfig(config.address(), config.port(), config.method(), config.weight(),
                    config.upperThreshold(), config.lowerThreshold(), current.tunnelType(), current.tunnelPort(),
                    config.address6());
        }
        if (config.method() != ForwardMethod.TUNNEL) {
            throw new IllegalArgumentException("--tun-type and --tun-port apply to tunnelled servers (-i) only");
        }
        TunnelType t = type == null ? current.tunnelType() : TunnelType.ofId(type);
        if (t == null) throw new IllegalArgumentException("bad tunnel type '" + type + "': must be ipip or gue");
        if (t == TunnelType.IPIP && port != null) {
            throw new IllegalArgumentException("--tun-port applies to --tun-type gue only");
        }
        int p = port != null ? tunnelPort(port) : t == current.tunnelType() ? current.tunnelPort() : 0;
        if (t == TunnelType.GUE && p == 0) throw new IllegalArgumentException("--tun-type gue needs --tun-port PORT");
        return new ServerConfig(config.address(), config.port(), config.method(), config.weight(),
                config.upperThreshold(), config.lowerThreshold(), t, t == TunnelType.IPIP ? 0 : p, config.address6());
    }

    /** {@code --tun-port}: 1..65535. */
    public static int tunnelPort(String text) {
        return (int) number(text, 1, 65535, "tunnel port");
    }

    /** {@code -w}: 0..65535. */
    public static int weight(String text) {
        return (int) number(text, 0, 65535, "weight");
    }

    /** {@code -x} / {@code -y}: 0..INT_MAX, 0 = off. */
    public static int threshold(String text, String what) {
        return (int) number(text, 0, Integer.MAX_VALUE, what);
    }

    /** A decimal number in [min, max]; "bad WHAT 'TEXT': must be MIN..MAX" otherwise. */
    public static long number(String text, long min, long max, String what) {
        if (text != null && isDigits(text) && text.length() <= 18) {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) return value;
        }
        throw new IllegalArgumentException("bad " + what + " '" + text + "': must be " + min + ".." + max);
    }

    /**
     * Refuses a scheduler that is not installed now, naming the installed ones; for a scheduler IPVS defines,
     * also names the feature that provides it.
     */
    public static void requireScheduler(Set<String> installed, String name) {
        if (installed.contains(name)) return;
        String list = installed.isEmpty() ? "none" : String.join(", ", new TreeSet<>(installed));
        if (IPVS_SCHEDULERS.contains(name)) {
            throw new IllegalArgumentException("scheduler '" + name + "' is not installed (installed are " + list
                    + "): install the jlvs-scheduler-" + name + " feature");
        }
        throw new IllegalArgumentException("unknown scheduler '" + name + "': installed are " + list);
    }

    /** Refuses a forwarding method whose forwarder is not installed, naming the feature that provides it. */
    public static void requireForwarder(Set<ForwardMethod> installed, ForwardMethod method) {
        if (installed.contains(method)) return;
        throw new IllegalArgumentException("forwarding method " + method.label() + " (" + method.ipvsadmFlag()
                + ") is not installed: install the " + FORWARD_FEATURES.get(method) + " feature");
    }

    private static final Map<ForwardMethod, String> FORWARD_FEATURES = Map.of(
            ForwardMethod.MASQ, "jlvs-forward-nat",
            ForwardMethod.ROUTE, "jlvs-forward-dr",
            ForwardMethod.TUNNEL, "jlvs-forward-tun");

    private static boolean isDigits(String text) {
        if (text.isEmpty()) return false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') return false;
        }
        return true;
    }
}
