package org.jlvs.keepalived.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jlvs.api.CheckSpec;
import org.jlvs.api.Ip4;
import org.jlvs.api.QuorumConfig;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.ipvsadm.ConfigException;
import org.jlvs.ipvsadm.IpvsadmOptions;
import org.jlvs.keepalived.internal.KeepalivedImport.Node;

/**
 * The health-check part of a keepalived.conf, as {@link CheckSpec}s and {@link QuorumConfig}s for the health
 * monitor: the checker blocks of each real_server, the defaults a virtual_server or real_server gives its
 * checkers (delay_loop, connect_timeout, retry, ...; the checker's own value wins), and quorum, hysteresis and
 * sorry_server. A keyword it does not carry over is listed with its line, as KeepalivedImport does.
 */
final class KeepalivedChecks {
    /** A check read from the file, with the line of its checker block. */
    record Imported(CheckSpec spec, int line) {}

    static final Map<String, String> TYPES = Map.of("TCP_CHECK", "tcp", "HTTP_GET", "http", "SSL_GET", "ssl",
            "DNS_CHECK", "dns", "MISC_CHECK", "misc", "UDP_CHECK", "udp", "PING_CHECK", "ping");

    /** Keywords a virtual_server or real_server may give as its checkers' defaults. */
    private static final Set<String> DEFAULTS = Set.of(CheckSpec.DELAY_LOOP, CheckSpec.CONNECT_TIMEOUT,
            CheckSpec.RETRY, CheckSpec.DELAY_BEFORE_RETRY, CheckSpec.WARMUP, CheckSpec.ALPHA,
            CheckSpec.INHIBIT_ON_FAILURE, "virtualhost");
    /** Real-server keywords for its checks (keepalived has notify_* per real server). */
    private static final Set<String> SERVER_ONLY = Set.of(CheckSpec.NOTIFY_UP, CheckSpec.NOTIFY_DOWN);
    /** What every checker block takes (MISC_CHECK not the connection ones: see CONNECTION). */
    private static final Set<String> COMMON = Set.of(CheckSpec.DELAY_LOOP, CheckSpec.CONNECT_TIMEOUT,
            CheckSpec.RETRY, CheckSpec.DELAY_BEFORE_RETRY, CheckSpec.WARMUP, CheckSpec.ALPHA,
            CheckSpec.INHIBIT_ON_FAILURE, CheckSpec.CONNECT_IP, CheckSpec.CONNECT_PORT, CheckSpec.BINDTO,
            CheckSpec.BIND_PORT, CheckSpec.LOG_ALL_FAILURES);
    private static final Set<String> CONNECTION = Set.of(CheckSpec.CONNECT_TIMEOUT, CheckSpec.CONNECT_IP,
            CheckSpec.CONNECT_PORT, CheckSpec.BINDTO, CheckSpec.BIND_PORT);
    private static final Map<String, Set<String>> OWN = Map.of(
            "tcp", Set.of(),
            "ping", Set.of(),
            "http", Set.of("virtualhost", "http_protocol"),
            "ssl", Set.of("virtualhost", "http_protocol", "enable_sni"),
            "dns", Set.of("type", "name"),
            "misc", Set.of("misc_path", "misc_timeout", "misc_dynamic"),
            "udp", Set.of("payload", "require_reply", "min_reply_length", "max_reply_length"));
    private static final Set<String> URL = Set.of("path", "digest", "status_code", "virtualhost");

    private final List<String> notCarried;
    final List<Imported> checks = new ArrayList<>();
    final Map<ServiceKey, QuorumConfig> quorums = new LinkedHashMap<>();

    KeepalivedChecks(List<String> notCarried) {
        this.notCarried = notCarried;
    }

    /** Whether a virtual_server keyword is this class's (a checker default or a quorum setting). */
    static boolean isServiceKeyword(String keyword) {
        return DEFAULTS.contains(keyword) || keyword.equals("quorum") || keyword.equals("hysteresis")
                || keyword.equals("sorry_server");
    }

    /** Whether a real_server keyword is this class's (a checker, or a default for its checkers). */
    static boolean isServerKeyword(String keyword) {
        return DEFAULTS.contains(keyword) || SERVER_ONLY.contains(keyword) || TYPES.containsKey(keyword);
    }

    /** The checker defaults among a virtual_server's statements. */
    static Map<String, String> defaults(List<Node> nodes) {
        Map<String, String> d = new LinkedHashMap<>();
        for (Node n : nodes) {
            if (DEFAULTS.contains(n.keyword)) d.put(n.keyword, String.join(" ", n.args));
        }
        return d;
    }

    /** quorum, hysteresis and sorry_server of a virtual_server (none given: nothing recorded). */
    void quorum(ServiceKey key, List<Node> nodes) {
        int quorum = QuorumConfig.DEFAULT.quorum();
        int hysteresis = 0;
        int sorryAddress = 0;
        int sorryPort = 0;
        boolean given = false;
        for (Node n : nodes) {
            switch (n.keyword) {
                case "quorum" -> quorum = (int) number(n, one(n), 0, Integer.MAX_VALUE);
                case "hysteresis" -> hysteresis = (int) number(n, one(n), 0, Integer.MAX_VALUE);
                case "sorry_server" -> {
                    if (n.args.isEmpty() || n.args.size() > 2) {
                        throw new ConfigException("line " + n.line, "expected: sorry_server IP [PORT]");
                    }
                    try {
                        sorryAddress = Ip4.parse(n.args.get(0));
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException("line " + n.line, e.getMessage());
                    }
                    sorryPort = n.args.size() == 2 ? (int) number(n, n.args.get(1), 0, 65535) : key.port();
                }
                default -> { continue; }
            }
            given = true;
        }
        if (given) quorums.put(key, new QuorumConfig(quorum, hysteresis, sorryAddress, sorryPort));
    }

    /** The checker blocks of one real_server, with the virtual server's defaults and its own. */
    void realServer(ServiceKey key, ServerConfig server, List<Node> nodes, Map<String, String> vsDefaults,
                    String name) {
        Map<String, String> defaults = new LinkedHashMap<>(vsDefaults);
        for (Node n : nodes) {
            if (DEFAULTS.contains(n.keyword) || SERVER_ONLY.contains(n.keyword)) defaults.put(n.keyword, String.join(" ", n.args));
        }
        Set<String> types = new HashSet<>();
        for (Node n : nodes) {
            String type = TYPES.get(n.keyword);
            if (type == null) continue;
            String what = name + ": " + n.keyword;
            if (!types.add(type)) {
                notCarried.add("line " + n.line + ": " + what + " (jlvs runs one check of a type per real server)");
                continue;
            }
            checks.add(new Imported(new CheckSpec(key, server.address(), server.port(), type,
                    checker(n, type, defaults, what), server.address6()), n.line));
        }
    }

    private Map<String, String> checker(Node block, String type, Map<String, String> defaults, String name) {
        Map<String, String> o = new LinkedHashMap<>();
        Set<String> own = OWN.get(type);
        defaults.forEach((k, v) -> {
            if (k.equals("virtualhost") ? own.contains(k) : !(type.equals("misc") && CONNECTION.contains(k))) o.put(k, v);
        });
        boolean url = false;
        for (Node n : block.children) {
            String k = n.keyword.equals("nb_get_retry") ? CheckSpec.RETRY : n.keyword; // keepalived's old name
            if (n.keyword.equals("url") && n.block && (type.equals("http") || type.equals("ssl"))) {
                if (url) {
                    skip(n, name + ": url { ... }", "jlvs checks one url per check");
                    continue;
                }
                url = true;
                for (Node u : n.children) {
                    if (URL.contains(u.keyword) && !u.block) o.put(u.keyword, String.join(" ", u.args));
                    else skip(u, name + ": url: " + u.keyword, "not known to jlvs's " + type + " check");
                }
            } else if (!n.block && (own.contains(k) || COMMON.contains(k) && !(type.equals("misc") && CONNECTION.contains(k)))) {
                o.put(k, String.join(" ", n.args));
            } else {
                skip(n, name + ": " + n.keyword + (n.block ? " { ... }" : ""), "not known to jlvs's " + type + " check");
            }
        }
        return o;
    }

    private void skip(Node n, String what, String why) {
        notCarried.add("line " + n.line + ": " + what + " (" + why + ")");
    }

    private static String one(Node n) {
        if (n.args.size() != 1) throw new ConfigException("line " + n.line, n.keyword + " takes one value");
        return n.args.get(0);
    }

    private static long number(Node n, String text, long min, long max) {
        try {
            return IpvsadmOptions.number(text, min, max, n.keyword);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("line " + n.line, e.getMessage());
        }
    }
}
