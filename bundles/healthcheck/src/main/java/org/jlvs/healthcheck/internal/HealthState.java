package org.jlvs.healthcheck.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jlvs.api.CheckSpec;
import org.jlvs.api.CheckStatus;
import org.jlvs.api.HealthMonitor;
import org.jlvs.api.Ip4;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.Protocol;
import org.jlvs.api.QuorumConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.ServiceInfo;
import org.jlvs.ipvsadm.CheckArgs;
import org.jlvs.ipvsadm.ConfigException;
import org.jlvs.ipvsadm.IpvsadmOptions;
import org.jlvs.ipvsadm.IpvsadmRules;

/**
 * The health monitor's checks and quorum settings as the properties of one configuration (PID
 * {@value #PID}, file etc/org.jlvs.health.cfg), in lvs:check-add's option syntax (the format and PID the
 * config bundle used before the monitor kept them itself, so an existing file keeps working):
 * <pre>
 * check.1  = -t 10.0.0.1:80 -r 10.0.1.1:80 --type http --delay-loop 2 --path /health
 * quorum.1 = -t 10.0.0.1:80 --quorum 3 --hysteresis 1 --sorry-server 10.0.2.1:80
 * </pre>
 */
final class HealthState {
    static final String PID = "org.jlvs.health";
    static final String CHECK = "check.";
    static final String QUORUM = "quorum.";

    /** A stored entry: a check, or a service's quorum settings. */
    record Entry(String key, CheckSpec check, ServiceKey service, QuorumConfig quorum) {}

    private HealthState() {}

    /** The monitor's checks, then the quorum settings that are not the defaults, of the table's services. */
    static Map<String, String> properties(HealthMonitor monitor, List<ServiceInfo> services) {
        Map<String, String> props = new LinkedHashMap<>();
        int n = 1;
        for (CheckStatus s : monitor.checks(null)) {
            props.put(CHECK + n++, service(s.spec().service()) + " " + CheckArgs.of(s.spec()));
        }
        n = 1;
        for (ServiceInfo info : services) {
            ServiceKey key = info.config().key();
            QuorumConfig q = monitor.quorum(key);
            if (q == null || q.equals(QuorumConfig.DEFAULT)) continue;
            props.put(QUORUM + n++, service(key) + " --quorum " + q.quorum() + " --hysteresis " + q.hysteresis()
                    + (q.hasSorryServer() ? " --sorry-server " + Ip4.toString(q.sorryAddress(), q.sorryPort()) : ""));
        }
        return props;
    }

    private static String service(ServiceKey key) {
        return key.toIpvsadm();
    }

    /** Reads the stored entries (other keys, e.g. Config Admin's own, are ignored); ConfigException names a bad one. */
    static List<Entry> parse(Map<String, ?> props) {
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, ?> e : new TreeMap<>(props).entrySet()) {
            String key = e.getKey();
            boolean check = key.startsWith(CHECK);
            if (!check && !key.startsWith(QUORUM)) continue;
            try {
                entries.add(entry(key, check, IpvsadmRules.words(String.valueOf(e.getValue()))));
            } catch (IllegalArgumentException ex) {
                throw new ConfigException("key " + key + " (" + e.getValue() + ")", ex.getMessage());
            }
        }
        return entries;
    }

    private static Entry entry(String key, boolean check, List<String> words) {
        ServiceKey service = null;
        int[] server = null;
        Ip6Address server6 = null;
        String type = null;
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            boolean hasValue = i + 1 < words.size() && !words.get(i + 1).startsWith("-");
            switch (w) {
                case "-t", "-u" -> {
                    if (!hasValue) throw new IllegalArgumentException(w + " needs VIP:PORT");
                    Protocol protocol = w.equals("-t") ? Protocol.TCP : Protocol.UDP;
                    String text = words.get(++i);
                    if (text.startsWith("[")) {
                        service = ServiceKey.parse(protocol, text); // an IPv6 service
                    } else {
                        int[] ap = endpoint(text);
                        service = new ServiceKey(protocol, ap[0], ap[1]);
                    }
                }
                case "-f" -> {
                    if (!hasValue) throw new IllegalArgumentException("-f needs MARK");
                    service = ServiceKey.fwmark(ServiceKey.parseFwmark(words.get(++i)));
                }
                case "-r" -> {
                    if (!hasValue) throw new IllegalArgumentException("-r needs RIP:PORT");
                    String text = words.get(++i);
                    if (text.startsWith("[")) { // an IPv6 real server: [RIP6]:PORT
                        ServiceKey parsed = ServiceKey.parse(Protocol.TCP, text);
                        server6 = parsed.address6();
                        server = new int[] {server6.fold(), parsed.port()};
                    } else {
                        server = endpoint(text);
                    }
                }
                case "--type" -> {
                    if (!hasValue) throw new IllegalArgumentException("--type needs a check type");
                    type = words.get(++i);
                }
                default -> {
                    if (!w.startsWith("--") || w.length() == 2) throw new IllegalArgumentException("unexpected '" + w + "'");
                    options.put(w.substring(2).replace('-', '_'), hasValue ? words.get(++i) : "");
                }
            }
        }
        if (service == null) throw new IllegalArgumentException("missing -t|-u VIP:PORT");
        if (check) {
            if (server == null) throw new IllegalArgumentException("missing -r RIP:PORT");
            return new Entry(key, new CheckSpec(service, server[0], server[1], type, options, server6), service, null);
        }
        String sorry = options.remove("sorry_server");
        int[] sorryAt = sorry == null ? new int[2] : endpoint(sorry);
        QuorumConfig q = new QuorumConfig(number(options.remove("quorum"), 1), number(options.remove("hysteresis"), 0),
                sorryAt[0], sorryAt[1]);
        if (!options.isEmpty()) throw new IllegalArgumentException("unknown option --" + options.keySet().iterator().next());
        return new Entry(key, null, service, q);
    }

    private static int number(String text, int fallback) {
        return text == null ? fallback : (int) IpvsadmOptions.number(text, 0, Integer.MAX_VALUE, "value");
    }

    private static int[] endpoint(String text) {
        int colon = text.lastIndexOf(':');
        if (colon < 0) throw new IllegalArgumentException("bad address '" + text + "': give IP:PORT");
        return new int[] {Ip4.parse(text.substring(0, colon)),
                (int) IpvsadmOptions.number(text.substring(colon + 1), 0, 65535, "port")};
    }

    /**
     * Gives the monitor one stored entry; true when it holds now (added, or already there), false when the
     * monitor refused it (its service or server not in the table yet, its checker not installed yet).
     */
    static boolean apply(HealthMonitor monitor, Entry entry, List<ServiceInfo> services) {
        if (services.stream().noneMatch(s -> s.config().key().equals(entry.service()))) return false;
        if (entry.quorum() != null) {
            monitor.setQuorum(entry.service(), entry.quorum());
            return true;
        }
        CheckSpec c = entry.check();
        for (CheckStatus s : monitor.checks(c.service())) {
            CheckSpec have = s.spec();
            if (have.address() == c.address() && have.port() == c.port() && same(have.type(), c.type())) return true;
        }
        monitor.addCheck(c);
        return true;
    }

    private static boolean same(String a, String b) {
        return a.equalsIgnoreCase(b);
    }
}
