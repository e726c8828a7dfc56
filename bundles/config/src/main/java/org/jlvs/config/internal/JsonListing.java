package org.jlvs.config.internal;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.function.Predicate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.ConnectionTable;
import org.jlvs.api.Ip4;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.Stats;

/**
 * The listings for machines ({@code --json}): what the text listings show, with every number exact. Services
 * and servers carry the fields of the configuration format ({@link JsonConfig}) plus their state and counters.
 */
public final class JsonListing {
    private JsonListing() {}

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** {"format": "jlvs-list", "version": 1, "services": [...]} */
    public static String services(List<ServiceInfo> services) {
        ObjectNode root = NODES.objectNode();
        root.put("format", "jlvs-list");
        root.put("version", 1);
        ArrayNode list = root.putArray("services");
        for (ServiceInfo info : services) {
            ObjectNode s = JsonConfig.service(info.config());
            s.put("schedulerBound", info.schedulerBound());
            s.set("stats", stats(info.stats()));
            ArrayNode servers = s.putArray("servers");
            for (ServerInfo server : info.servers()) {
                ObjectNode r = JsonConfig.server(server.config());
                r.put("activeConns", Integer.toUnsignedLong(server.activeConns()));
                r.put("inactiveConns", Integer.toUnsignedLong(server.inactiveConns()));
                r.put("persistentConns", Integer.toUnsignedLong(server.persistentConns()));
                r.put("overloaded", server.overloaded());
                r.set("stats", stats(server.stats()));
                servers.add(r);
            }
            list.add(s);
        }
        return JsonConfig.pretty(root);
    }

    private static ObjectNode stats(Stats stats) {
        Stats st = stats != null ? stats : Stats.ZERO;
        ObjectNode o = NODES.objectNode();
        o.put("conns", st.conns());
        o.put("inPackets", st.inPackets());
        o.put("outPackets", st.outPackets());
        o.put("inBytes", st.inBytes());
        o.put("outBytes", st.outBytes());
        o.put("cps", st.cps());
        o.put("inPps", st.inPps());
        o.put("outPps", st.outPps());
        o.put("inBps", st.inBps());
        o.put("outBps", st.outBps());
        return o;
    }

    /** {"tcp": 900, "tcpfin": 120, "udp": 300} (ipvsadm --timeout). */
    public static String timeouts(int[] timeouts) {
        ObjectNode o = NODES.objectNode();
        o.put("tcp", timeouts[0]);
        o.put("tcpfin", timeouts[1]);
        o.put("udp", timeouts[2]);
        return JsonConfig.pretty(o);
    }

    /**
     * The connection entries (ipvsadm -L -n -c) streamed one by one on one line, never holding the table:
     * {"format": "jlvs-connections", "version": 1, "connections": [{"protocol": "tcp", "state": ..., "expires": s,
     * "client": "a:p", "virtual": "a:p", "server": "a:p", "origin": "local"|"sync"}, ...]}: origin "sync" for an
     * entry learnt from a peer director. Returns how many were written.
     */
    public static long connections(ConnectionTable table, Predicate<ConnectionInfo> filter, long limit, Writer out)
            throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            g.writeStringField("format", "jlvs-connections");
            g.writeNumberField("version", 1);
            g.writeArrayFieldStart("connections");
            IOException[] failure = new IOException[1];
            long written = table.forEach(filter, limit, c -> {
                if (failure[0] != null) return;
                try {
                    g.writeStartObject();
                    g.writeStringField("protocol", c.protocolLabel().toLowerCase());
                    g.writeStringField("state", c.state());
                    g.writeNumberField("expires", Math.max(0, c.expiresMillis() / 1000));
                    g.writeStringField("client", Ip4.toString(c.clientAddress(), c.clientPort()));
                    g.writeStringField("virtual", Ip4.toString(c.virtualAddress(), c.virtualPort()));
                    g.writeStringField("server", Ip4.toString(c.serverAddress(), c.serverPort()));
                    g.writeStringField("origin", c.synced() ? "sync" : "local");
                    g.writeEndObject();
                } catch (IOException e) {
                    failure[0] = e;
                }
            });
            if (failure[0] != null) throw failure[0];
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw("\n");
            return written;
        }
    }
}
