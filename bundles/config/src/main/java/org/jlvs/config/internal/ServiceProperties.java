package org.jlvs.config.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jlvs.api.LvsException;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.ipvsadm.ConfigException;
import org.jlvs.ipvsadm.IpvsadmArgs;
import org.jlvs.ipvsadm.IpvsadmModel;
import org.jlvs.ipvsadm.IpvsadmRules;
import org.jlvs.ipvsadm.ServiceDef;

/**
 * A virtual service as the properties of its Config Admin factory configuration (PID {@value #FACTORY_PID},
 * one per service, kept by Karaf in {@code etc/org.jlvs.service-NAME.cfg}). The values are ipvsadm's options,
 * which every LVS operator reads:
 * <pre>
 * service  = -t 10.0.0.1:80 -s wlc -p 360 -M 255.255.255.0
 * server.1 = -r 10.0.1.1:80 -m -w 1
 * server.2 = -r 10.0.1.2:80 -m -w 2 -x 100 -y 50
 * </pre>
 * Unlike ipvsadm -S, the thresholds are kept. A value is read as ipvsadm reads the same options after -A or
 * -a, with ipvsadm's defaults (-s wlc, -w 1, and -g: write -m for NAT) and its messages.
 */
public final class ServiceProperties {
    private ServiceProperties() {}

    public static final String FACTORY_PID = "org.jlvs.service";
    static final String SERVICE = "service";
    static final String SERVER = "server.";

    /** service, then server.1, server.2, ... in the table's order. */
    public static Map<String, String> toProperties(ServiceDef def) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put(SERVICE, IpvsadmRules.serviceOptions(def.config(), true));
        int n = 1;
        for (ServerConfig s : def.servers()) props.put(SERVER + n++, IpvsadmRules.serverOptions(s, true));
        return props;
    }

    /**
     * Reads a configuration's properties; Config Admin's and Karaf's own ones (service.*, felix.*) are
     * ignored. Throws ConfigException naming the key and its value.
     */
    public static ServiceDef parse(Map<String, ?> props) {
        Object serviceValue = props.get(SERVICE);
        if (serviceValue == null) {
            throw new ConfigException("", "missing key 'service' (e.g. service = -t 10.0.0.1:80 -s wlc)");
        }
        IpvsadmArgs service = args(SERVICE, serviceValue, List.of("-A"));
        TreeMap<Long, String> serverKeys = new TreeMap<>();
        for (String key : props.keySet()) {
            if (key.equals(SERVICE) || ignored(key)) continue;
            String number = key.startsWith(SERVER) ? key.substring(SERVER.length()) : "";
            if (number.isEmpty() || number.length() > 9 || !number.chars().allMatch(Character::isDigit)) {
                throw new ConfigException("key " + key, "unknown key: a service's file holds 'service' and"
                        + " 'server.N' (N a number) only");
            }
            if (serverKeys.put(Long.parseLong(number), key) != null) {
                throw new ConfigException("key " + key, "the number " + number + " is used twice");
            }
        }
        List<ServerConfig> servers = new ArrayList<>();
        List<String> prefix = new ArrayList<>(List.of("-a"));
        prefix.addAll(List.of(service.service().toIpvsadm().split(" "))); // "-t VIP:PORT" or "-f MARK"
        for (String key : serverKeys.values()) {
            ServerConfig server = args(key, props.get(key), prefix).serverConfig();
            try {
                IpvsadmModel.requireFamily(service.service(), server);
            } catch (LvsException e) {
                throw new ConfigException(where(key, props.get(key)), e.getMessage());
            }
            for (ServerConfig other : servers) {
                if (other.sameEndpoint(server)) {
                    throw new ConfigException(where(key, props.get(key)), "real server " + server.endpoint()
                            + " is given twice");
                }
            }
            servers.add(server);
        }
        return new ServiceDef(service.serviceConfig(), servers);
    }

    /** The service named by the 'service' key, or null when there is none that parses. */
    public static ServiceKey keyOf(Map<String, ?> props) {
        Object value = props.get(SERVICE);
        if (value == null) return null;
        try {
            return args(SERVICE, value, List.of("-A")).service();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static IpvsadmArgs args(String key, Object value, List<String> prefix) {
        try {
            List<String> words = new ArrayList<>(prefix);
            words.addAll(IpvsadmRules.words(value.toString()));
            return IpvsadmArgs.parse(words);
        } catch (LvsException | IllegalArgumentException e) {
            throw new ConfigException(where(key, value), e.getMessage());
        }
    }

    private static String where(String key, Object value) {
        return "key " + key + " (" + value + ")";
    }

    /** Properties that Config Admin, Felix fileinstall or Karaf put there, not the operator. */
    static boolean ignored(String key) {
        return key.startsWith("service.") || key.startsWith("felix.") || key.startsWith("component.")
                || key.startsWith(".");
    }

    /**
     * The name of a new service's configuration and file: "tcp-10.0.0.1-80" (org.jlvs.service-tcp-10.0.0.1-80.cfg);
     * an IPv6 address with '_' for its colons, which have no place in a PID or a file name ("tcp-2001_db8__1-80").
     */
    public static String name(ServiceKey key) {
        if (key.isFwmark()) return "fwm-" + key.fwmarkText(); // org.jlvs.service-fwm-7.cfg
        String address = key.isIpv6() ? key.address6().toString().replace(':', '_') : org.jlvs.api.Ip4.toString(key.address());
        return key.protocol().name().toLowerCase() + "-" + address + "-" + key.port();
    }

    /** The text of a new service's .cfg file: a short explanation, then the properties. */
    public static String fileText(ServiceDef def) {
        StringBuilder out = new StringBuilder();
        out.append("# jlvs virtual service ").append(def.key()).append(" (Config Admin factory PID ")
                .append(FACTORY_PID).append(").\n")
                .append("# Written by jlvs when the service is changed from the console; edit it freely: jlvs applies\n")
                .append("# the change to this service alone. A change that does not parse or validate is refused\n")
                .append("# (lvs:config-status, data/log/karaf.log) and the service keeps running as it was.\n")
                .append("# Delete this file to delete the service. The values are ipvsadm's options: -s scheduler,\n")
                .append("# -p timeout, -M netmask, -b flags; per real server -m|-g|-i, -w weight, -x/-y thresholds.\n");
        toProperties(def).forEach((k, v) -> out.append(k).append(" = ").append(v).append('\n'));
        return out.toString();
    }
}
