package org.jlvs.ipvsadm;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.ConnectionTable;
import org.jlvs.api.Ip4;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.Stats;
import org.jlvs.api.TunnelType;

/**
 * The listings as JSON for machines (`--json` of lvs:list, lvs:counters and lvs:ipvsadm -L, and the metrics
 * endpoint's /api/v1): formats jlvs-list and jlvs-connections, version 1. The one writer of these formats, one
 * line each ({@link #pretty} indents one, as lvs:ipvsadm prints it), without a JSON library so that every
 * reader stays free of dependencies.
 */
public final class ListJson {
    private ListJson() {}

    /** {"format":"jlvs-list","version":1,"services":[...]} */
    public static String services(List<ServiceInfo> services) {
        return services(services, Map.of());
    }

    /**
     * {"format":"jlvs-list","version":1,"services":[...]}, with "dataPathDown":[{"interface":..,"reason":..}]
     * after the services while an interface is not in use.
     */
    public static String services(List<ServiceInfo> services, Map<String, String> down) {
        StringBuilder b = new StringBuilder("{\"format\":\"jlvs-list\",\"version\":1,\"services\":[");
        for (int i = 0; i < services.size(); i++) {
            if (i > 0) b.append(',');
            service(b, services.get(i));
        }
        b.append(']');
        dataPathDown(b, down, true);
        return b.append("}\n").toString();
    }

    private static void dataPathDown(StringBuilder b, Map<String, String> down, boolean comma) {
        if (down.isEmpty()) return;
        b.append(comma ? "," : "").append("\"dataPathDown\":[");
        boolean first = true;
        for (Map.Entry<String, String> e : down.entrySet()) {
            b.append(first ? "" : ",").append("{\"interface\":").append(str(e.getKey()))
                    .append(",\"reason\":").append(str(e.getValue())).append('}');
            first = false;
        }
        b.append(']');
    }

    private static void service(StringBuilder b, ServiceInfo info) {
        ServiceConfig c = info.config();
        b.append('{');
        if (c.key().isFwmark()) b.append("\"fwmark\":").append(c.key().fwmarkText()).append(','); // then 0.0.0.0:0
        b.append("\"protocol\":").append(str(c.key().protocol().name().toLowerCase()))
                .append(",\"address\":").append(str(Endpoints.address(c.key())))
                .append(",\"port\":").append(c.key().port())
                .append(",\"scheduler\":").append(str(c.scheduler()))
                .append(",\"flags\":[");
        String flags = IpvsadmFormat.schedulerFlags(c.scheduler(), c.schedulerFlags());
        if (!flags.isEmpty()) {
            String[] names = flags.split(",");
            for (int i = 0; i < names.length; i++) b.append(i > 0 ? "," : "").append(str(names[i]));
        }
        b.append("],\"persistence\":").append(c.persistence())
                .append(",\"netmask\":").append(str(c.key().isIpv6() ? Integer.toString(c.persistenceMask())
                        : Ip4.toString(c.persistenceMask())))
                .append(",\"schedulerBound\":").append(info.schedulerBound())
                .append(",\"stats\":");
        stats(b, info.stats());
        b.append(",\"servers\":[");
        for (int i = 0; i < info.servers().size(); i++) {
            if (i > 0) b.append(',');
            server(b, info.servers().get(i));
        }
        b.append("]}");
    }

    private static void server(StringBuilder b, ServerInfo info) {
        ServerConfig s = info.config();
        b.append("{\"address\":").append(str(Endpoints.address(s)))
                .append(",\"port\":").append(s.port())
                .append(",\"method\":").append(str(s.method().id()))
                .append(",\"weight\":").append(s.weight())
                .append(",\"upperThreshold\":").append(s.upperThreshold())
                .append(",\"lowerThreshold\":").append(s.lowerThreshold());
        if (s.method() == org.jlvs.api.ForwardMethod.TUNNEL || s.tunnelType() != TunnelType.IPIP || s.tunnelPort() != 0) {
            b.append(",\"tunnel\":{\"type\":").append(str(s.tunnelType().id()));
            if (s.tunnelType() == TunnelType.GUE || s.tunnelPort() != 0) b.append(",\"port\":").append(s.tunnelPort());
            b.append('}');
        }
        b.append(",\"activeConns\":").append(Integer.toUnsignedLong(info.activeConns()))
                .append(",\"inactiveConns\":").append(Integer.toUnsignedLong(info.inactiveConns()))
                .append(",\"persistentConns\":").append(Integer.toUnsignedLong(info.persistentConns()))
                .append(",\"overloaded\":").append(info.overloaded())
                .append(",\"stats\":");
        stats(b, info.stats());
        b.append('}');
    }

    private static void stats(StringBuilder b, Stats stats) {
        Stats s = stats != null ? stats : Stats.ZERO;
        b.append("{\"conns\":").append(s.conns()).append(",\"inPackets\":").append(s.inPackets())
                .append(",\"outPackets\":").append(s.outPackets()).append(",\"inBytes\":").append(s.inBytes())
                .append(",\"outBytes\":").append(s.outBytes()).append(",\"cps\":").append(s.cps())
                .append(",\"inPps\":").append(s.inPps()).append(",\"outPps\":").append(s.outPps())
                .append(",\"inBps\":").append(s.inBps()).append(",\"outBps\":").append(s.outBps()).append('}');
    }

    /** {"tcp":900,"tcpfin":120,"udp":300} */
    public static String timeouts(int[] t) {
        return "{\"tcp\":" + t[0] + ",\"tcpfin\":" + t[1] + ",\"udp\":" + t[2] + "}\n";
    }

    /** {"name": value, ...} of lvs:counters. */
    public static String counters(Map<String, Long> counters) {
        return counters(counters, Map.of());
    }

    /** {"name": value, ...} of lvs:counters, then "dataPathDown":[...] while an interface is not in use. */
    public static String counters(Map<String, Long> counters, Map<String, String> down) {
        StringBuilder b = new StringBuilder("{");
        counters.forEach((name, value) -> b.append(b.length() > 1 ? "," : "").append(str(name)).append(':').append(value));
        dataPathDown(b, down, !counters.isEmpty());
        return b.append("}\n").toString();
    }

    /** The connection entries streamed one by one, never holding the table; returns how many were written. */
    public static long connections(ConnectionTable table, Predicate<ConnectionInfo> filter, long limit, PrintStream out) {
        out.print("{\"format\":\"jlvs-connections\",\"version\":1,\"connections\":[");
        boolean[] first = {true};
        long written = table.forEach(filter, limit, c -> {
            out.print(first[0] ? "" : ",");
            first[0] = false;
            out.print("{\"protocol\":" + str(c.protocolLabel().toLowerCase()) + ",\"state\":" + str(c.state())
                    + ",\"expires\":" + Math.max(0, c.expiresMillis() / 1000)
                    + ",\"client\":" + str(Endpoints.client(c))
                    + ",\"virtual\":" + str(Endpoints.virtual(c))
                    + ",\"server\":" + str(Endpoints.server(c))
                    + ",\"origin\":" + str(c.synced() ? "sync" : "local") + "}");
        });
        out.print("]}\n");
        out.flush();
        return written;
    }

    /**
     * A JSON text of this class (one line) indented for people: two spaces a level, one member or element a
     * line, "name": value; empty objects and arrays stay {} and [].
     */
    public static String pretty(String compact) {
        String s = compact.strip();
        StringBuilder b = new StringBuilder(s.length() * 2);
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (inString) {
                b.append(ch);
                if (ch == '\\') b.append(s.charAt(++i));
                else if (ch == '"') inString = false;
                continue;
            }
            switch (ch) {
                case '"' -> {
                    inString = true;
                    b.append(ch);
                }
                case '{', '[' -> {
                    char close = ch == '{' ? '}' : ']';
                    if (i + 1 < s.length() && s.charAt(i + 1) == close) {
                        b.append(ch).append(close);
                        i++;
                    } else {
                        b.append(ch);
                        newLine(b, ++depth);
                    }
                }
                case '}', ']' -> {
                    newLine(b, --depth);
                    b.append(ch);
                }
                case ',' -> {
                    b.append(ch);
                    newLine(b, depth);
                }
                case ':' -> b.append(": ");
                default -> b.append(ch);
            }
        }
        return b.append('\n').toString();
    }

    private static void newLine(StringBuilder b, int depth) {
        b.append('\n');
        for (int i = 0; i < depth; i++) b.append("  ");
    }

    /** A JSON string (null for null): quote, backslash and control characters escaped. */
    public static String str(String s) {
        if (s == null) return "null";
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"' || ch == '\\') b.append('\\').append(ch);
            else if (ch < 0x20) b.append(String.format("\\u%04x", (int) ch));
            else b.append(ch);
        }
        return b.append('"').toString();
    }
}
