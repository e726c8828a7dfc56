package org.jlvs.keepalived.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.Protocol;
import org.jlvs.api.QuorumConfig;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.TunnelType;
import org.jlvs.ipvsadm.ConfigException;
import org.jlvs.ipvsadm.IpvsadmArgs;
import org.jlvs.ipvsadm.IpvsadmOptions;
import org.jlvs.ipvsadm.ServiceDef;

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
                         List<KeepalivedChecks.Imported> checks, Map<ServiceKey, QuorumConfig> quorums,
                         List<org.jlvs.api.MarkRule> marks) {}

    private static final Set<String> CHECKERS = Set.of("TCP_CHECK", "HTTP_GET", "SSL_GET", "MISC_CHECK",
            "SMTP_CHECK", "DNS_CHECK", "UDP_CHECK", "PING_CHECK", "BFD_CHECK", "FILE_CHECK");
    private static final Set<String> FLAGS = Set.of("flag-1", "flag-2", "flag-3", "sh-port", "sh-fallback", "mh-port",
            "mh-fallback");

    /** The schedulers keepalived knows (any other is ignored, with its default wlc). */
    private static final Set<String> KEEPALIVED_SCHEDULERS = Set.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh",
            "sh", "sed", "nq", "fo", "ovf", "mh", "twos");
    /** keepalived's persistence_timeout without a value: 6 minutes. */
    static final int DEFAULT_PERSISTENCE = 360;

    private final List<String> notCarried = new ArrayList<>();
    private KeepalivedGroups groups;
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
        KeepalivedSource source = KeepalivedSource.of(text);
        try {
            Result r = read(Node.parse(source.lines()), withHealth);
            return new Result(r.services(), r.notCarried().stream().map(source::place).toList(), r.checks(), r.quorums(),
                    r.marks());
        } catch (ConfigException e) {
            throw source.place(e);
        }
    }

    /**
     * The statements of a whole (expanded) file; what is said names "line N" of the expanded text, sorted by it
     * ({@link KeepalivedSource#place} turns it into FILE:LINE).
     */
    static Result read(List<Node> nodes, boolean withHealth) {
        return read(nodes, withHealth, Set.of());
    }

    /** As {@link #read(List, boolean)}; a group that needs a new mark gets none of {@code marksInUse}. */
    static Result read(List<Node> nodes, boolean withHealth, Set<Integer> marksInUse) {
        KeepalivedImport importer = new KeepalivedImport(withHealth);
        importer.groups = new KeepalivedGroups(nodes, marksInUse);
        TreeMap<ServiceKey, ServiceDef> services = new TreeMap<>();
        for (Node node : nodes) {
            if (node.keyword.equals("virtual_server")) {
                ServiceDef def = importer.virtualServer(node);
                if (def == null) continue;
                if (services.put(def.key(), def) != null) {
                    throw new ConfigException("line " + node.line, def.key() + " is defined twice");
                }
            } else if (node.keyword.equals("virtual_server_group")) {
                if (node.args.size() != 1 || !node.block) {
                    throw new ConfigException("line " + node.line, "expected: virtual_server_group NAME { ... }");
                }
            } else {
                importer.skip(node, node.keyword + (node.block ? " { ... }" : ""), "not a virtual server");
            }
        }
        // in file order: real-server and checker lines are reported as each block is finished
        importer.notCarried.sort(java.util.Comparator.comparingInt(KeepalivedImport::lineOf));
        KeepalivedChecks h = importer.health;
        return new Result(services, List.copyOf(importer.notCarried), h == null ? List.of() : List.copyOf(h.checks),
                h == null ? Map.of() : Map.copyOf(h.quorums), List.copyOf(importer.groups.rules));
    }

    static int lineOf(String notCarried) { // "line N: ..."
        return Integer.parseInt(notCarried.substring(5, notCarried.indexOf(':')));
    }

    private void skip(Node node, String what, String why) {
        notCarried.add("line " + node.line + ": " + what + " (" + why + ")");
    }

    /** A value keepalived itself ignores (it logs and keeps its default): listed, and the default kept. */
    private void ignored(Node n, String name, String why) {
        skip(n, name + ": " + n.keyword + (n.args.isEmpty() ? "" : " " + String.join(" ", n.args)),
                "keepalived ignores it: " + why);
    }

    private static boolean ipv6(String address) {
        return address.indexOf(':') >= 0;
    }

    private ServiceDef virtualServer(Node vs) {
        String name = "virtual_server " + String.join(" ", vs.args);
        if (vs.args.size() != 2 || !vs.block) {
            throw new ConfigException("line " + vs.line, "expected: virtual_server IP PORT { ... }");
        }
        // a mark service: "fwmark N" names the mark, "group NAME" a virtual_server_group (KeepalivedGroups)
        boolean fwmark = vs.args.get(0).equals("fwmark"), group = vs.args.get(0).equals("group");
        if (group && !groups.has(vs.args.get(1))) {
            skip(vs, name, "keepalived skips it: there is no virtual_server_group " + vs.args.get(1));
            return null;
        }
        boolean v6 = !fwmark && !group && ipv6(vs.args.get(0));
        Ip6Address address6 = v6 ? address6(vs.args.get(0)) : null;
        Integer address = fwmark || group ? Integer.valueOf(0) : v6 ? (address6 == null ? null : 0) : address(vs.args.get(0));
        Integer port = fwmark || group ? Integer.valueOf(0) : port(vs.args.get(1));
        if (address == null || port == null) {
            skip(vs, name, "keepalived skips it: invalid virtual server IP address/port");
            return null;
        }
        Protocol protocol = null;
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
                    else if (p.equals("SCTP")) {
                        skip(vs, name, "protocol SCTP at line " + n.line + ": jlvs balances TCP and UDP");
                        return null;
                    } else ignored(n, name, "unknown protocol");
                }
                case "lvs_sched", "lb_algo" -> {
                    if (KEEPALIVED_SCHEDULERS.contains(arg(n))) scheduler = arg(n);
                    else ignored(n, name, "invalid lvs_scheduler, the default " + ServiceConfig.DEFAULT_SCHEDULER + " is used");
                }
                case "lvs_method", "lb_kind" -> {
                    Method m = method(n);
                    if (m != null) method = m;
                    else ignored(n, name, "unknown routing method, " + method.method.label() + " is kept");
                }
                case "persistence_timeout" -> {
                    if (n.args.isEmpty()) {
                        persistence = DEFAULT_PERSISTENCE;
                    } else {
                        Long t = lenientNumber(n, 1, IpvsadmArgs.MAX_TIMEOUT);
                        if (t != null) persistence = t.intValue();
                        else ignored(n, name, "persistence_timeout must be 1.." + IpvsadmArgs.MAX_TIMEOUT);
                    }
                }
                case "persistence_granularity" -> {
                    try {
                        // keepalived: a prefix length (1..128) for an IPv6 virtual server, a netmask for IPv4
                        netmask = v6 ? IpvsadmOptions.prefixLength(arg(n)) : IpvsadmOptions.netmask(arg(n));
                    } catch (IllegalArgumentException e) {
                        ignored(n, name, "invalid persistence_granularity");
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
        if (protocol == null && !fwmark) {
            // keepalived: "no protocol set - defaulting to UDP" (the kernel's default for protocol 0)
            skip(vs, name, "no protocol: keepalived makes it UDP, as jlvs does; write protocol TCP for TCP");
            protocol = Protocol.UDP;
        }
        ServiceKey key;
        String markNote = null;
        if (fwmark) {
            key = ServiceKey.fwmark(KeepalivedGroups.mark(vs.args.get(1), vs.line));
            markNote = groups.fwmarkNote(key.fwmark());
        } else if (group) {
            key = ServiceKey.fwmark(groups.serviceMark(vs.args.get(1), protocol));
            notCarried.addAll(groups.notCarried);
            groups.notCarried.clear();
            for (int other : groups.otherFwmarks(vs.args.get(1), key.fwmark())) {
                notCarried.add("line " + vs.line + ": " + name + ": fwmark " + Integer.toUnsignedString(other)
                        + " (jlvs makes one mark service of a group: FWM " + key.fwmarkText() + ")");
            }
        } else {
            key = v6 ? new ServiceKey(protocol, address6, port) : new ServiceKey(protocol, address, port);
        }
        ServiceConfig config;
        try {
            config = new ServiceConfig(key, scheduler, IpvsadmOptions.schedulerFlags(scheduler, String.join(",", flags)),
                    persistence, netmask);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("line " + vs.line, e.getMessage());
        }
        Map<String, String> checkDefaults = KeepalivedChecks.defaults(vs.children);
        List<ServerConfig> servers = new ArrayList<>();
        List<Node> serverNodes = new ArrayList<>();
        for (Node rs : realServers) {
            ServerConfig server = realServer(rs, key, method, name);
            if (server == null) continue;
            boolean twice = false;
            for (ServerConfig other : servers) {
                twice |= other.sameEndpoint(server);
            }
            if (twice) { // keepalived: "real server ... is duplicated - removing second rs"
                skip(rs, name + ": real_server " + String.join(" ", rs.args), "keepalived drops it: "
                        + server.endpoint() + " is given twice, the first one is kept");
                continue;
            }
            servers.add(server);
            serverNodes.add(rs);
        }
        if (servers.isEmpty()) { // keepalived: "Virtual server ... has no real servers - ignoring"
            skip(vs, name, "keepalived ignores it: it has no real servers");
            return null;
        }
        if (markNote != null) notCarried.add("line " + vs.line + ": " + name + ": its mark rules (" + markNote + ")");
        if (health != null) {
            health.quorum(key, vs.children);
            for (int i = 0; i < servers.size(); i++) {
                ServerConfig s = servers.get(i);
                Node rs = serverNodes.get(i);
                String rsName = name + ": real_server " + String.join(" ", rs.args);
                health.realServer(key, s, rs.children, checkDefaults, rsName);
            }
        }
        return new ServiceDef(config, servers);
    }

    private ServerConfig realServer(Node rs, ServiceKey service, Method method, String vsName) {
        if (rs.args.size() < 1 || rs.args.size() > 2) {
            throw new ConfigException("line " + rs.line, "expected: real_server IP [PORT] { ... }");
        }
        String name = vsName + ": real_server " + String.join(" ", rs.args);
        boolean v6 = ipv6(rs.args.get(0));
        Ip6Address address6 = v6 ? address6(rs.args.get(0)) : null;
        Integer address = v6 ? (address6 == null ? null : 0) : address(rs.args.get(0));
        Integer port = rs.args.size() == 2 ? port(rs.args.get(1)) : Integer.valueOf(service.port());
        if (address == null || port == null) {
            skip(rs, name, "keepalived skips it: invalid real server IP address/port");
            return null;
        }
        if (!service.isFwmark() && v6 != service.isIpv6()) { // as the core: a service's servers are of its family
            skip(rs, name, "keepalived skips it: the real server's address family is not the virtual server's ("
                    + (service.isIpv6() ? "IPv6" : "IPv4") + ")");
            return null;
        }
        if (service.isFwmark() && v6) {
            skip(rs, name, "not carried over yet: jlvs's mark services balance IPv4 (its mark rules hold IPv4 addresses)");
            return null;
        }
        int weight = 1;
        int upper = 0;
        int lower = 0;
        for (Node n : rs.children) {
            switch (n.keyword) {
                case "weight" -> {
                    Long w = lenientNumber(n, 0, Integer.MAX_VALUE);
                    if (w == null) ignored(n, name, "the weight must be a number 0..2147483647, 1 is kept");
                    else if (w > ServerConfig.MAX_WEIGHT) {
                        throw new ConfigException("line " + n.line, "weight " + w + ": jlvs weights are 0.."
                                + ServerConfig.MAX_WEIGHT + " (as ipvsadm's)");
                    } else weight = w.intValue();
                }
                case "lvs_method" -> {
                    Method m = method(n);
                    if (m != null) method = m;
                    else ignored(n, name, "unknown routing method, " + method.method.label() + " is kept");
                }
                case "uthreshold", "lthreshold" -> {
                    Long t = lenientNumber(n, 0, Integer.MAX_VALUE);
                    if (t == null) ignored(n, name, "invalid " + n.keyword);
                    else if (n.keyword.equals("uthreshold")) upper = t.intValue();
                    else lower = t.intValue();
                }
                case "lb_kind" -> ignored(n, name, "lb_kind is not a real_server keyword (lvs_method is), "
                        + method.method.label() + " is kept");
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
        try {
            return new ServerConfig(address, port, method.method, weight, upper, lower, method.type, method.port, address6);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("line " + rs.line, e.getMessage());
        }
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

    /** lvs_method NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum]; null for a method keepalived does not know. */
    private Method method(Node n) {
        String kind = arg0(n);
        ForwardMethod m = switch (kind) {
            case "NAT" -> ForwardMethod.MASQ;
            case "DR" -> ForwardMethod.ROUTE;
            case "TUN" -> ForwardMethod.TUNNEL;
            default -> null; // keepalived: "unknown [..] routing method"; its caller keeps the method it had
        };
        if (m == null) return null;
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

    /** A numeric IPv4 address as keepalived takes it (no names), or null. */
    private static Integer address(String text) {
        try {
            return Ip4.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A numeric IPv6 address as keepalived takes it (inet_pton), or null. */
    private static Ip6Address address6(String text) {
        try {
            return Ip6Address.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A port 0..65535, or null. */
    private static Integer port(String text) {
        try {
            return (int) IpvsadmOptions.number(text, 0, 65535, "port");
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The one value of a statement as a number in range, or null where keepalived would ignore it. */
    private static Long lenientNumber(Node n, long min, long max) {
        if (n.args.size() != 1) return null;
        try {
            return IpvsadmOptions.number(n.args.get(0), min, max, n.keyword);
        } catch (IllegalArgumentException e) {
            return null;
        }
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

        /** The statements of a text; see {@link #parse(List)}. */
        static List<Node> parse(String text) {
            return parse(KeepalivedSource.of(text).lines());
        }

        /**
         * The statements of lines (numbered 1..): words split at blanks, '{' and '}' words of their own, quotes
         * kept together, and as keepalived: '#' and '!' start a comment anywhere outside quotes.
         */
        static List<Node> parse(List<String> lines) {
            List<String[]> tokens = new ArrayList<>(); // {word, line}
            for (int n = 0; n < lines.size(); n++) {
                StringBuilder word = new StringBuilder();
                boolean quoted = false;
                String line = lines.get(n);
                for (int i = 0; i <= line.length(); i++) {
                    char c = i < line.length() ? line.charAt(i) : '\n';
                    if (quoted) {
                        if (c == '"') quoted = false;
                        else if (c == '\n') throw new ConfigException("line " + (n + 1), "unterminated quote");
                        else word.append(c);
                        continue;
                    }
                    if (c == '#' || c == '!') c = '\n'; // the rest of the line is a comment
                    if (c == '"') {
                        quoted = true;
                    } else if (Character.isWhitespace(c) || c == '{' || c == '}') {
                        if (word.length() > 0) tokens.add(new String[] {word.toString(), String.valueOf(n + 1)});
                        word.setLength(0);
                        if (c == '{' || c == '}') tokens.add(new String[] {String.valueOf(c), String.valueOf(n + 1)});
                        if (c == '\n') break;
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
