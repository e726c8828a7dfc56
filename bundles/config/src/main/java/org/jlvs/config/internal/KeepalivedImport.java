package org.jlvs.config.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.QuorumConfig;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.TunnelType;
import org.jlvs.shell.format.IpvsadmOptions;

/**
 * The LVS part of a keepalived.conf: each {@code virtual_server IP PORT} with its scheduling, forwarding and
 * persistence settings and its {@code real_server}s (weight, method, thresholds), and when asked (a health
 * monitor is there) the health checkers, sorry servers and quorum ({@link KeepalivedChecks}). Everything else is
 * listed as not carried over, by line: VRRP, firewall-mark and group services, settings jlvs does not have. A value that is wrong is refused with its line.
 */
public final class KeepalivedImport {
    /**
     * What was imported, and what was not (one line each, with the keepalived.conf line number). {@code checks}
     * and {@code quorums} are empty unless read with health checks.
     */
    public record Result(TreeMap<ServiceKey, ServiceDef> services, List<String> notCarried,
                         List<KeepalivedChecks.Imported> checks, Map<ServiceKey, QuorumConfig> quorums) {}

    private static final Set<String> CHECKERS = Set.of("TCP_CHECK", "HTTP_GET", "SSL_GET", "MISC_CHECK",
            "SMTP_CHECK", "DNS_CHECK", "UDP_CHECK", "PING_CHECK", "BFD_CHECK", "FILE_CHECK");
    private static final Set<String> FLAGS = Set.of("flag-1", "flag-2", "flag-3", "sh-port", "sh-fallback", "mh-port",
            "mh-fallback");

    private final List<String> notCarried = new ArrayList<>();
    /** null: health checks are not carried over (no health monitor), they are listed as the rest. */
    private final KeepalivedChecks health;

    private KeepalivedImport(boolean withHealth) {
        health = withHealth ? new KeepalivedChecks(notCarried) : null;
    }

    /** Reads keepalived.conf text without its health checks; see {@link #read(String, boolean)}. */
    public static Result read(String text) {
        return read(text, false);
    }

    /**
     * Reads keepalived.conf text; throws ConfigException ("line N: ...") for what cannot be read. With
     * {@code withHealth}, the checkers, their defaults and the quorum settings are read too (else listed).
     */
    public static Result read(String text, boolean withHealth) {
        KeepalivedImport importer = new KeepalivedImport(withHealth);
        TreeMap<ServiceKey, ServiceDef> services = new TreeMap<>();
        for (Node node : Node.parse(text)) {
            if (node.keyword.equals("virtual_server")) {
                ServiceDef def = importer.virtualServer(node);
                if (def == null) continue;
                if (services.put(def.key(), def) != null) {
                    throw new ConfigException("line " + node.line, def.key() + " is defined twice");
                }
            } else {
                importer.skip(node, node.keyword + (node.block ? " { ... }" : ""), "not a virtual server");
            }
        }
        // in file order: real-server and checker lines are reported as each block is finished
        importer.notCarried.sort(java.util.Comparator.comparingInt(KeepalivedImport::lineOf));
        KeepalivedChecks h = importer.health;
        return new Result(services, List.copyOf(importer.notCarried), h == null ? List.of() : List.copyOf(h.checks),
                h == null ? Map.of() : Map.copyOf(h.quorums));
    }

    private static int lineOf(String notCarried) { // "line N: ..."
        return Integer.parseInt(notCarried.substring(5, notCarried.indexOf(':')));
    }

    private void skip(Node node, String what, String why) {
        notCarried.add("line " + node.line + ": " + what + " (" + why + ")");
    }

    private ServiceDef virtualServer(Node vs) {
        if (vs.args.size() >= 1 && (vs.args.get(0).equals("fwmark") || vs.args.get(0).equals("group"))) {
            skip(vs, "virtual_server " + String.join(" ", vs.args), "jlvs has no firewall-mark or group services");
            return null;
        }
        if (vs.args.size() != 2 || !vs.block) {
            throw new ConfigException("line " + vs.line, "expected: virtual_server IP PORT { ... }");
        }
        int address = address(vs, vs.args.get(0));
        int port = port(vs, vs.args.get(1));
        String name = "virtual_server " + vs.args.get(0) + " " + vs.args.get(1);
        Protocol protocol = Protocol.TCP;
        String scheduler = ServiceConfig.DEFAULT_SCHEDULER;
        List<String> flags = new ArrayList<>();
        int persistence = 0;
        int netmask = 0xffffffff;
        Method method = new Method(ForwardMethod.MASQ, TunnelType.IPIP, 0); // keepalived's default: NAT
        List<Node> realServers = new ArrayList<>();
        for (Node n : vs.children) {
            switch (n.keyword) {
                case "protocol" -> {
                    String p = arg(n);
                    if (p.equals("TCP")) protocol = Protocol.TCP;
                    else if (p.equals("UDP")) protocol = Protocol.UDP;
                    else throw new ConfigException("line " + n.line, "protocol " + p + ": jlvs balances TCP and UDP");
                }
                case "lvs_sched", "lb_algo" -> scheduler = arg(n);
                case "lvs_method", "lb_kind" -> method = method(n);
                case "persistence_timeout" -> persistence = (int) number(n, arg(n), 1, IpvsadmArgs.MAX_TIMEOUT);
                case "persistence_granularity" -> {
                    try {
                        netmask = IpvsadmOptions.netmask(arg(n));
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException("line " + n.line, e.getMessage());
                    }
                }
                case "real_server" -> realServers.add(n);
                default -> {
                    if (FLAGS.contains(n.keyword)) flags.add(n.keyword);
                    else if (health != null && KeepalivedChecks.isServiceKeyword(n.keyword) && !n.block) continue;
                    else skip(n, name + ": " + n.keyword + (n.block ? " { ... }" : ""), why(n.keyword));
                }
            }
        }
        ServiceKey key = new ServiceKey(protocol, address, port);
        ServiceConfig config;
        try {
            config = new ServiceConfig(key, scheduler, IpvsadmOptions.schedulerFlags(scheduler, String.join(",", flags)),
                    persistence, netmask);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("line " + vs.line, e.getMessage());
        }
        if (health != null) health.quorum(key, vs.children);
        Map<String, String> checkDefaults = KeepalivedChecks.defaults(vs.children);
        List<ServerConfig> servers = new ArrayList<>();
        for (Node rs : realServers) {
            ServerConfig server = realServer(rs, key, method, name, checkDefaults);
            for (ServerConfig other : servers) {
                if (other.address() == server.address() && other.port() == server.port()) {
                    throw new ConfigException("line " + rs.line, "real server " + server.endpoint() + " is given twice");
                }
            }
            servers.add(server);
        }
        return new ServiceDef(config, servers);
    }

    private ServerConfig realServer(Node rs, ServiceKey service, Method method, String vsName,
                                    Map<String, String> checkDefaults) {
        if (rs.args.size() < 1 || rs.args.size() > 2) {
            throw new ConfigException("line " + rs.line, "expected: real_server IP [PORT] { ... }");
        }
        int address = address(rs, rs.args.get(0));
        int port = rs.args.size() == 2 ? port(rs, rs.args.get(1)) : service.port();
        String name = vsName + ": real_server " + String.join(" ", rs.args);
        int weight = 1;
        int upper = 0;
        int lower = 0;
        for (Node n : rs.children) {
            switch (n.keyword) {
                case "weight" -> weight = (int) number(n, arg(n), 0, ServerConfig.MAX_WEIGHT);
                case "lvs_method", "lb_kind" -> method = method(n);
                case "uthreshold" -> upper = (int) number(n, arg(n), 0, Integer.MAX_VALUE);
                case "lthreshold" -> lower = (int) number(n, arg(n), 0, Integer.MAX_VALUE);
                default -> {
                    if (health == null || !KeepalivedChecks.isServerKeyword(n.keyword)) {
                        skip(n, name + ": " + n.keyword + (n.block ? " { ... }" : ""),
                                health != null && CHECKERS.contains(n.keyword) ? "jlvs has no such checker" : why(n.keyword));
                    }
                }
            }
        }
        if (method.method != ForwardMethod.MASQ && port != service.port()) {
            // as ipvsadm does: direct routing and tunnels keep the packet's port
            notCarried.add("line " + rs.line + ": " + name + ": port " + port + " (with " + method.method.label()
                    + " the service's port " + service.port() + " is used)");
            port = service.port();
        }
        ServerConfig server;
        try {
            server = new ServerConfig(address, port, method.method, weight, upper, lower, method.type, method.port);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("line " + rs.line, e.getMessage());
        }
        if (health != null) health.realServer(service, address, port, rs.children, checkDefaults, name);
        return server;
    }

    private static String why(String keyword) {
        if (CHECKERS.contains(keyword)) return "a health check: jlvs-healthcheck configures checks (lvs:check-*)";
        return switch (keyword) {
            case "sorry_server", "sorry_server_inhibit", "sorry_server_lvs_method", "quorum", "quorum_up",
                    "quorum_down", "hysteresis", "inhibit_on_failure", "alpha", "omega", "delay_loop", "retry",
                    "delay_before_retry", "connect_timeout", "warmup", "notify_up", "notify_down", "virtualhost",
                    "ha_suspend", "smtp_alert" -> "health checking: see jlvs-healthcheck";
            case "ops" -> "jlvs has no one-packet scheduling";
            case "persistence_engine" -> "jlvs has no persistence engines";
            default -> "not known to jlvs";
        };
    }

    /** lvs_method NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum] */
    private Method method(Node n) {
        String kind = arg0(n);
        ForwardMethod m = switch (kind) {
            case "NAT" -> ForwardMethod.MASQ;
            case "DR" -> ForwardMethod.ROUTE;
            case "TUN" -> ForwardMethod.TUNNEL;
            default -> throw new ConfigException("line " + n.line, "unknown method " + kind + ": NAT, DR or TUN");
        };
        TunnelType type = TunnelType.IPIP;
        int port = 0;
        for (int i = 1; i < n.args.size(); i++) {
            String a = n.args.get(i);
            if (a.equals("type") && i + 1 < n.args.size()) {
                type = TunnelType.ofId(n.args.get(++i));
                if (type == null) {
                    throw new ConfigException("line " + n.line, "tunnel type " + n.args.get(i) + ": jlvs has ipip and gue");
                }
            } else if (a.equals("port") && i + 1 < n.args.size()) {
                port = (int) number(n, n.args.get(++i), 1, 65535);
            } else if (a.equals("nocsum")) {
                continue;
            } else if (a.equals("csum") || a.equals("remcsum")) {
                throw new ConfigException("line " + n.line, "GUE checksums (" + a + "): jlvs sends GUE without");
            } else {
                throw new ConfigException("line " + n.line, "unexpected '" + a + "' in " + n.keyword);
            }
        }
        if (m == ForwardMethod.TUNNEL && type == TunnelType.GUE && port == 0) {
            throw new ConfigException("line " + n.line, "a GUE tunnel needs a port (type gue port N)");
        }
        return new Method(m, m == ForwardMethod.TUNNEL ? type : TunnelType.IPIP, m == ForwardMethod.TUNNEL ? port : 0);
    }

    private record Method(ForwardMethod method, TunnelType type, int port) {}

    private static String arg(Node n) {
        if (n.args.size() != 1) throw new ConfigException("line " + n.line, n.keyword + " takes one value");
        return n.args.get(0);
    }

    private static String arg0(Node n) {
        if (n.args.isEmpty()) throw new ConfigException("line " + n.line, n.keyword + " needs a value");
        return n.args.get(0);
    }

    private static int address(Node n, String text) {
        try {
            return Ip4.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("line " + n.line, e.getMessage() + " (jlvs takes numeric IPv4 addresses)");
        }
    }

    private static int port(Node n, String text) {
        return (int) number(n, text, 0, 65535);
    }

    private static long number(Node n, String text, long min, long max) {
        try {
            return IpvsadmOptions.number(text, min, max, n.keyword);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("line " + n.line, e.getMessage());
        }
    }

    /** One statement of keepalived.conf: a keyword, its values on the line, and the block after them if any. */
    static final class Node {
        final String keyword;
        final List<String> args;
        final List<Node> children;
        final boolean block;
        final int line;

        private Node(String keyword, List<String> args, List<Node> children, boolean block, int line) {
            this.keyword = keyword;
            this.args = args;
            this.children = children;
            this.block = block;
            this.line = line;
        }

        /** The statements of a text: words split at blanks, '{' and '}' words of their own, '#' and '!' comments. */
        static List<Node> parse(String text) {
            List<String[]> tokens = new ArrayList<>(); // {word, line}
            String[] lines = text.split("\r?\n", -1);
            for (int n = 0; n < lines.length; n++) {
                StringBuilder word = new StringBuilder();
                boolean quoted = false;
                String line = lines[n];
                for (int i = 0; i <= line.length(); i++) {
                    char c = i < line.length() ? line.charAt(i) : '\n';
                    if (quoted) {
                        if (c == '"') quoted = false;
                        else if (c == '\n') throw new ConfigException("line " + (n + 1), "unterminated quote");
                        else word.append(c);
                        continue;
                    }
                    if (c == '"') {
                        quoted = true;
                    } else if ((c == '#' || c == '!') && word.length() == 0) {
                        break;
                    } else if (Character.isWhitespace(c) || c == '{' || c == '}') {
                        if (word.length() > 0) tokens.add(new String[] {word.toString(), String.valueOf(n + 1)});
                        word.setLength(0);
                        if (c == '{' || c == '}') tokens.add(new String[] {String.valueOf(c), String.valueOf(n + 1)});
                    } else {
                        word.append(c);
                    }
                }
                tokens.add(new String[] {"\n", String.valueOf(n + 1)});
            }
            return statements(tokens, new int[] {0}, null, 0);
        }

        /** The statements up to the '}' that closes {@code opener}'s block (null: up to the end of the text). */
        private static List<Node> statements(List<String[]> tokens, int[] at, String opener, int openerLine) {
            boolean inBlock = opener != null;
            List<Node> nodes = new ArrayList<>();
            while (at[0] < tokens.size()) {
                String[] t = tokens.get(at[0]);
                if (t[0].equals("\n")) {
                    at[0]++;
                } else if (t[0].equals("}")) {
                    if (!inBlock) throw new ConfigException("line " + t[1], "'}' without '{'");
                    at[0]++;
                    return nodes;
                } else if (t[0].equals("{")) {
                    throw new ConfigException("line " + t[1], "'{' without a keyword");
                } else {
                    int line = Integer.parseInt(t[1]);
                    String keyword = t[0];
                    at[0]++;
                    List<String> args = new ArrayList<>();
                    while (at[0] < tokens.size() && !tokens.get(at[0])[0].equals("\n") && !tokens.get(at[0])[0].equals("{")
                            && !tokens.get(at[0])[0].equals("}")) {
                        args.add(tokens.get(at[0]++)[0]);
                    }
                    // a block may open on the next line, as some write it
                    int look = at[0];
                    while (look < tokens.size() && tokens.get(look)[0].equals("\n")) look++;
                    if (look < tokens.size() && tokens.get(look)[0].equals("{")) {
                        at[0] = look + 1;
                        nodes.add(new Node(keyword, args, statements(tokens, at, keyword, line), true, line));
                    } else {
                        nodes.add(new Node(keyword, args, List.of(), false, line));
                    }
                }
            }
            if (inBlock) throw new ConfigException("line " + openerLine, "the '{' of " + opener + " is never closed");
            return nodes;
        }
    }
}
