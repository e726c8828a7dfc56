package org.jlvs.config.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.TunnelType;
import org.jlvs.ipvsadm.ConfigException;
import org.jlvs.ipvsadm.Endpoints;
import org.jlvs.ipvsadm.IpvsadmArgs;
import org.jlvs.ipvsadm.IpvsadmFormat;
import org.jlvs.ipvsadm.IpvsadmOptions;
import org.jlvs.ipvsadm.ServiceDef;
import org.jlvs.ipvsadm.TableUpdate;

/**
 * The configuration as JSON (format "jlvs-config", version 1; the schema is documented in
 * bundles/config/README.md and src/main/resources/jlvs-config-1.schema.json). Written in a fixed layout, so
 * that saving what was read gives the same text; read strictly: an unknown field, a field given twice, a wrong
 * type or value is refused with its path and line ("services[0].servers[1].weight (line 14): ...").
 */
public final class JsonConfig {
    private JsonConfig() {}

    public static final String FORMAT = "jlvs-config";
    public static final int VERSION = 1;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private static final Set<String> ROOT_FIELDS = Set.of("format", "version", "services", "marks");
    private static final Set<String> SERVICE_FIELDS = Set.of("fwmark", "protocol", "address", "port", "scheduler", "flags",
            "persistence", "netmask", "servers");
    private static final Set<String> SERVER_FIELDS = Set.of("address", "port", "method", "weight", "upperThreshold",
            "lowerThreshold", "tunnel");
    private static final Set<String> TUNNEL_FIELDS = Set.of("type", "port");

    // ---- writing ----

    /** The services (sorted as ipvsadm sorts them; real servers in the table's order) as a JSON document. */
    public static String write(Collection<ServiceDef> services) {
        ObjectNode root = NODES.objectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        ArrayNode list = root.putArray("services");
        List<ServiceDef> sorted = new ArrayList<>(services);
        sorted.sort(Comparator.comparing(ServiceDef::key));
        for (ServiceDef service : sorted) {
            ObjectNode s = list.addObject();
            s.setAll(service(service.config()));
            ArrayNode servers = s.putArray("servers");
            for (ServerConfig server : service.servers()) servers.add(server(server));
        }
        return pretty(root);
    }

    /**
     * The services and the mark rules: as {@link #write(Collection)}, with a "marks" array of rules in their
     * text form ("1 tcp 10.0.0.100 80") when there are any.
     */
    public static String write(Collection<ServiceDef> services, List<org.jlvs.api.MarkRule> marks) {
        if (marks.isEmpty()) return write(services);
        try {
            ObjectNode root = (ObjectNode) MAPPER.readTree(write(services));
            ArrayNode list = root.putArray("marks");
            for (org.jlvs.api.MarkRule r : marks) list.add(r.toString());
            return pretty(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The mark rules of a document that {@link #read} accepted, or null when it has no "marks" (then the
     * rules in force are not the document's business). ConfigException names a bad rule.
     */
    public static List<org.jlvs.api.MarkRule> readMarks(String text) {
        JsonNode marks;
        try {
            marks = MAPPER.readTree(text).get("marks");
        } catch (IOException e) {
            throw new ConfigException("", "not JSON: " + e.getMessage());
        }
        if (marks == null) return null;
        if (!marks.isArray()) throw new ConfigException("marks", "must be an array of rules (\"1 tcp 10.0.0.100 80\")");
        List<org.jlvs.api.MarkRule> rules = new ArrayList<>();
        for (int i = 0; i < marks.size(); i++) {
            JsonNode r = marks.get(i);
            if (!r.isTextual()) throw new ConfigException("marks[" + i + "]", "must be a rule's text, not " + r);
            try {
                rules.add(org.jlvs.api.MarkRule.parse(r.asText()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("marks[" + i + "]", e.getMessage());
            }
        }
        return rules;
    }

    /** A service's settings as they appear in the document (without its servers). */
    static ObjectNode service(ServiceConfig config) {
        ObjectNode s = NODES.objectNode();
        if (config.key().isFwmark()) {
            s.put("fwmark", config.key().fwmark() & 0xffffffffL);
        } else {
            s.put("protocol", config.key().protocol().name().toLowerCase());
            s.put("address", Endpoints.address(config.key()));
            s.put("port", config.key().port());
        }
        s.put("scheduler", config.scheduler());
        ArrayNode flags = s.putArray("flags");
        String names = IpvsadmFormat.schedulerFlags(config.scheduler(), config.schedulerFlags());
        if (!names.isEmpty()) for (String name : names.split(",")) flags.add(name);
        s.put("persistence", config.persistence());
        // an IPv6 service's -M is a prefix length ("64"), as ipvsadm takes and prints it
        s.put("netmask", config.key().isIpv6() ? Integer.toString(config.persistenceMask())
                : Ip4.toString(config.persistenceMask()));
        return s;
    }

    /** A real server as it appears in the document. */
    static ObjectNode server(ServerConfig server) {
        ObjectNode r = NODES.objectNode();
        r.put("address", Endpoints.address(server));
        r.put("port", server.port());
        r.put("method", server.method().id());
        r.put("weight", server.weight());
        r.put("upperThreshold", server.upperThreshold());
        r.put("lowerThreshold", server.lowerThreshold());
        // the tunnel settings of a server that is not tunnelled are kept (the table keeps them) but rarely set
        if (server.method() == ForwardMethod.TUNNEL || server.tunnelType() != TunnelType.IPIP || server.tunnelPort() != 0) {
            ObjectNode t = r.putObject("tunnel");
            t.put("type", server.tunnelType().id());
            if (server.tunnelType() == TunnelType.GUE || server.tunnelPort() != 0) t.put("port", server.tunnelPort());
        }
        return r;
    }

    /** Two-space indentation, "name": value, LF line ends, a final LF: the same bytes on every platform. */
    static String pretty(JsonNode node) {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("").withArrayEmptySeparator(""))
                .withObjectIndenter(indenter).withArrayIndenter(indenter);
        try (StringWriter out = new StringWriter(); JsonGenerator g = FACTORY.createGenerator(out)) {
            g.setPrettyPrinter(printer);
            MAPPER.writeTree(g, node);
            g.flush();
            return out + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- reading ----

    /**
     * Reads a document into services by key; throws ConfigException at the first problem, naming the JSON
     * path and line.
     */
    public static TreeMap<ServiceKey, ServiceDef> read(String text) {
        Map<String, Integer> lines = new HashMap<>();
        JsonNode root;
        try (JsonParser p = FACTORY.createParser(text)) {
            if (p.nextToken() == null) throw new ConfigException("", "empty document");
            root = tree(p, "", lines);
            if (p.nextToken() != null) {
                throw new ConfigException("line " + p.currentTokenLocation().getLineNr(), "text after the document");
            }
        } catch (JsonProcessingException e) {
            throw new ConfigException(e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr(), "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Reader(lines).root(root);
    }

    /** Builds the tree and remembers the line of every path ("services[0].port"). */
    private static JsonNode tree(JsonParser p, String path, Map<String, Integer> lines) throws IOException {
        lines.put(path, p.currentTokenLocation().getLineNr());
        switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode o = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    String child = path.isEmpty() ? name : path + "." + name;
                    if (o.has(name)) {
                        throw new ConfigException(child + " (line " + p.currentTokenLocation().getLineNr() + ")",
                                "given twice");
                    }
                    p.nextToken();
                    o.set(name, tree(p, child, lines));
                }
                return o;
            }
            case START_ARRAY -> {
                ArrayNode a = NODES.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) a.add(tree(p, path + "[" + i++ + "]", lines));
                return a;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? NODES.numberNode(p.getBigIntegerValue())
                        : NODES.numberNode(p.getLongValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDecimalValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(p.getBooleanValue());
            }
            default -> {
                return NODES.nullNode();
            }
        }
    }

    /** Walks the tree with the paths and lines for the messages. */
    private static final class Reader {
        private final Map<String, Integer> lines;

        Reader(Map<String, Integer> lines) {
            this.lines = lines;
        }

        ConfigException error(String path, String reason) {
            Integer line = lines.get(path);
            String where = path.isEmpty() ? "the document" : path;
            return new ConfigException(line == null ? where : where + " (line " + line + ")", reason);
        }

        TreeMap<ServiceKey, ServiceDef> root(JsonNode root) {
            object(root, "", ROOT_FIELDS);
            JsonNode format = root.get("format");
            if (format == null || !format.isTextual() || !FORMAT.equals(format.asText())) {
                throw error(format == null ? "" : "format", "not a jlvs configuration: \"format\": \"" + FORMAT
                        + "\" is missing");
            }
            long version = integer(root, "", "version", null, 1, Integer.MAX_VALUE);
            if (version != VERSION) {
                throw error("version", "version " + version + " is not known here (this jlvs reads version " + VERSION
                        + ")");
            }
            TreeMap<ServiceKey, ServiceDef> services = new TreeMap<>();
            Map<ServiceKey, String> where = new HashMap<>();
            JsonNode list = root.get("services");
            if (list == null) throw error("", "missing field \"services\"");
            if (!list.isArray()) throw error("services", "must be an array");
            for (int i = 0; i < list.size(); i++) {
                String path = "services[" + i + "]";
                ServiceDef def = service(list.get(i), path);
                String first = where.putIfAbsent(def.key(), path);
                if (first != null) throw error(path, def.key() + " is given twice (also " + first + ")");
                services.put(def.key(), def);
            }
            return services;
        }

        ServiceDef service(JsonNode s, String path) {
            object(s, path, SERVICE_FIELDS);
            ServiceKey key = s.has("fwmark") ? fwmarkKey(s, path) : addressKey(s, path);
            String scheduler = text(s, path, "scheduler", ServiceConfig.DEFAULT_SCHEDULER);
            if (scheduler.isEmpty()) throw error(path + ".scheduler", "must not be empty");
            int flags = flags(s, path, scheduler);
            int persistence = (int) integer(s, path, "persistence", 0L, 0, IpvsadmArgs.MAX_TIMEOUT);
            int netmask = 0xffffffff;
            if (s.has("netmask")) {
                try {
                    netmask = IpvsadmOptions.netmask(key, text(s, path, "netmask", null));
                } catch (IllegalArgumentException e) {
                    throw error(path + ".netmask", e.getMessage());
                }
            }
            ServiceConfig config;
            try {
                config = new ServiceConfig(key, scheduler, flags, persistence, netmask);
            } catch (IllegalArgumentException e) {
                throw error(path, e.getMessage());
            }
            List<ServerConfig> servers = new ArrayList<>();
            JsonNode list = s.get("servers");
            if (list != null && !list.isArray()) throw error(path + ".servers", "must be an array");
            for (int i = 0; list != null && i < list.size(); i++) {
                String serverPath = path + ".servers[" + i + "]";
                ServerConfig server = server(list.get(i), serverPath, config.key());
                for (ServerConfig other : servers) {
                    if (other.sameEndpoint(server)) {
                        throw error(serverPath, "real server " + server.endpoint() + " is given twice");
                    }
                }
                servers.add(server);
            }
            return new ServiceDef(config, servers);
        }

        /** A mark service: "fwmark": N, and neither protocol, address nor port. */
        ServiceKey fwmarkKey(JsonNode s, String path) {
            for (String f : List.of("protocol", "address", "port")) {
                if (s.has(f)) throw error(path + "." + f, "a mark service (fwmark) has no " + f);
            }
            return ServiceKey.fwmark((int) integer(s, path, "fwmark", null, 1, 0xffffffffL));
        }

        ServiceKey addressKey(JsonNode s, String path) {
            String protocolName = text(s, path, "protocol", null);
            Protocol protocol = switch (protocolName) {
                case "tcp" -> Protocol.TCP;
                case "udp" -> Protocol.UDP;
                default -> throw error(path + ".protocol", "must be \"tcp\" or \"udp\", not \"" + protocolName + "\"");
            };
            Ip6Address address6 = address6(s, path, "address");
            int address = address6 == null ? address(s, path, "address") : 0;
            int port = (int) integer(s, path, "port", null, 0, 65535);
            return address6 != null ? new ServiceKey(protocol, address6, port) : new ServiceKey(protocol, address, port);
        }

        ServerConfig server(JsonNode r, String path, ServiceKey service) {
            object(r, path, SERVER_FIELDS);
            Ip6Address address6 = address6(r, path, "address");
            int address = address6 == null ? address(r, path, "address") : 0;
            // as the core: a service's real servers are of its family
            if (service.isIpv6() && address6 == null) throw error(path + ".address", "an IPv6 service takes IPv6 real servers");
            if (!service.isIpv6() && address6 != null) throw error(path + ".address", "an IPv4 service takes IPv4 real servers");
            int port = (int) integer(r, path, "port", (long) service.port(), 0, 65535);
            String methodName = text(r, path, "method", null);
            ForwardMethod method = ForwardMethod.ofId(methodName);
            if (method == null) {
                throw error(path + ".method", "must be \"masq\", \"route\" or \"tunnel\", not \"" + methodName + "\"");
            }
            int weight = (int) integer(r, path, "weight", 1L, 0, ServerConfig.MAX_WEIGHT);
            int upper = (int) integer(r, path, "upperThreshold", 0L, 0, Integer.MAX_VALUE);
            int lower = (int) integer(r, path, "lowerThreshold", 0L, 0, Integer.MAX_VALUE);
            TunnelType type = TunnelType.IPIP;
            int tunnelPort = 0;
            JsonNode t = r.get("tunnel");
            if (t != null) {
                String tpath = path + ".tunnel";
                object(t, tpath, TUNNEL_FIELDS);
                String typeName = text(t, tpath, "type", "ipip");
                type = TunnelType.ofId(typeName);
                if (type == null) throw error(tpath + ".type", "must be \"ipip\" or \"gue\", not \"" + typeName + "\"");
                tunnelPort = (int) integer(t, tpath, "port", 0L, 0, 65535);
            }
            ServerConfig server;
            try {
                server = new ServerConfig(address, port, method, weight, upper, lower, type, tunnelPort, address6);
                TableUpdate.requirePort(service, server);
            } catch (IllegalArgumentException e) {
                throw error(path, e.getMessage());
            }
            return server;
        }

        private void object(JsonNode node, String path, Set<String> fields) {
            if (!node.isObject()) throw error(path, "must be an object");
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!fields.contains(name)) {
                    String child = path.isEmpty() ? name : path + "." + name;
                    throw error(child, "unknown field \"" + name + "\" (known are " + sortedNames(fields) + ")");
                }
            }
        }

        private static String sortedNames(Set<String> fields) {
            return String.join(", ", new java.util.TreeSet<>(fields));
        }

        private String text(JsonNode node, String path, String field, String otherwise) {
            JsonNode v = node.get(field);
            String child = path.isEmpty() ? field : path + "." + field;
            if (v == null) {
                if (otherwise == null) throw error(path, "missing field \"" + field + "\"");
                return otherwise;
            }
            if (!v.isTextual()) throw error(child, "must be a string");
            return v.asText();
        }

        private long integer(JsonNode node, String path, String field, Long otherwise, long min, long max) {
            JsonNode v = node.get(field);
            String child = path.isEmpty() ? field : path + "." + field;
            if (v == null) {
                if (otherwise == null) throw error(path, "missing field \"" + field + "\"");
                return otherwise;
            }
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
                throw error(child, "must be a whole number from " + min + " to " + max + ", not " + v);
            }
            return v.asLong();
        }

        private int address(JsonNode node, String path, String field) {
            String text = text(node, path, field, null);
            try {
                return Ip4.parse(text);
            } catch (IllegalArgumentException e) {
                throw error(path + "." + field, e.getMessage());
            }
        }

        /** The field's IPv6 address when its text has a colon, null for IPv4 text. */
        private Ip6Address address6(JsonNode node, String path, String field) {
            String text = text(node, path, field, null);
            if (!Ip6Address.looksLikeIpv6(text)) return null;
            try {
                return Ip6Address.parse(text);
            } catch (IllegalArgumentException e) {
                throw error(path + "." + field, e.getMessage());
            }
        }

        private int flags(JsonNode s, String path, String scheduler) {
            JsonNode list = s.get("flags");
            if (list == null) return 0;
            if (!list.isArray()) throw error(path + ".flags", "must be an array of flag names");
            List<String> names = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                if (!list.get(i).isTextual()) throw error(path + ".flags[" + i + "]", "must be a string");
                names.add(list.get(i).asText());
            }
            try {
                return IpvsadmOptions.schedulerFlags(scheduler, String.join(",", names));
            } catch (IllegalArgumentException e) {
                throw error(path + ".flags", e.getMessage());
            }
        }
    }
}
