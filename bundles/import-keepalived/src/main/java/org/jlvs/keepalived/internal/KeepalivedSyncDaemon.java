package org.jlvs.keepalived.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jlvs.api.sync.SyncSettings;
import org.jlvs.ipvsadm.ConfigException;
import org.jlvs.keepalived.internal.KeepalivedImport.Node;

/**
 * keepalived's sync daemon as the sync bundle's configuration ({@value #PID}): {@code global_defs}'s
 * {@code lvs_sync_daemon IF [[inst] VRRP_INSTANCE] [id N] [maxlen L] [port P] [ttl T] [group G]}, or the older
 * {@code lvs_sync_daemon_interface IF} inside a {@code vrrp_instance} (which names that instance).
 *
 * <p>What keepalived does with it: without an instance both daemons run all the time; with one, the master
 * daemon runs while the instance is MASTER. jlvs writes that as {@code master.instance}; its backup daemon runs
 * whatever the role (a master that steps down keeps receiving), which is jlvs's way, not a difference a peer sees.
 * The sync id defaults to the instance's virtual_router_id (0 without an instance), as in keepalived.
 *
 * <p>As keepalived, a value out of its range or an unknown option is ignored (listed, the default kept); a
 * lvs_sync_daemon naming an instance the file does not have is not carried over (keepalived drops it too). A value
 * keepalived takes but jlvs cannot (a maxlen below one full entry, an IPv6 group) is refused or listed with its line.
 * The other statements of global_defs are listed as not carried over.
 */
public final class KeepalivedSyncDaemon {
    public static final String PID = "org.jlvs.sync";
    static final String KEYWORD = "lvs_sync_daemon";
    static final String OLD_KEYWORD = "lvs_sync_daemon_interface";

    /**
     * @param properties   the keys to write into {@value #PID} (null: the file has no sync daemon)
     * @param description  one line for the operator ("master and backup on eth1, syncid 51, master while VI_1 is MASTER")
     * @param carriedLines the global_defs lines (their other statements are listed one by one)
     * @param notCarried   "line N: ..." for what was not carried over
     */
    public record Result(Map<String, Object> properties, String description, Set<Integer> carriedLines,
                         List<String> notCarried) {
        public boolean empty() {
            return properties == null;
        }
    }

    private final List<String> notCarried = new ArrayList<>();

    private KeepalivedSyncDaemon() {}

    /** Reads the statements of a whole (expanded) file; "line N" are its lines, as KeepalivedImport's. */
    static Result read(List<Node> nodes, Map<String, Map<String, Object>> vrrpInstances) {
        KeepalivedSyncDaemon reader = new KeepalivedSyncDaemon();
        Set<Integer> carried = new TreeSet<>();
        Node statement = null;
        String instance = null;
        for (Node node : nodes) {
            if (node.keyword.equals("global_defs") && node.block) {
                carried.add(node.line);
                for (Node n : node.children) {
                    if (n.keyword.equals(KEYWORD) && !n.block) {
                        if (statement != null) reader.skip(n, KEYWORD, "given again: the one before is kept");
                        else statement = n;
                    } else {
                        reader.skip(n, "global_defs: " + n.keyword + (n.block ? " { ... }" : ""),
                                "not carried over: jlvs has no such global setting");
                    }
                }
            }
        }
        Node old = null;
        for (Node node : nodes) {
            if (!node.keyword.equals("vrrp_instance") || !node.block || node.args.size() != 1) continue;
            for (Node n : node.children) {
                if (!n.keyword.equals(OLD_KEYWORD)) continue;
                if (statement != null || old != null) {
                    reader.skip(n, "vrrp_instance " + node.args.get(0) + ": " + OLD_KEYWORD,
                            "the sync daemon of line " + (statement != null ? statement : old).line + " is kept");
                } else {
                    old = n;
                    instance = node.args.get(0);
                }
            }
        }
        Map<String, Object> props = null;
        String description = null;
        if (statement != null) {
            Daemon d = reader.daemon(statement, vrrpInstances);
            if (d != null) {
                props = d.properties();
                description = d.describe();
            }
        } else if (old != null) {
            if (old.args.size() != 1) {
                reader.skip(old, OLD_KEYWORD, "keepalived takes one interface name");
            } else {
                Daemon d = reader.settings(old, old.args.get(0), instance, null, vrrpInstances);
                props = d.properties();
                description = d.describe();
            }
        }
        return new Result(props, description, carried, List.copyOf(reader.notCarried));
    }

    /** The settings of both daemons, and the instance the master follows ("" for none). */
    private record Daemon(SyncSettings settings, String instance) {
        Map<String, Object> properties() {
            Map<String, Object> p = new LinkedHashMap<>();
            for (String role : List.of("master", "backup")) {
                p.put(role + ".enabled", Boolean.TRUE);
                p.put(role + ".interface", settings.mcastInterface());
                p.put(role + ".syncid", settings.syncId());
                p.put(role + ".group", settings.group());
                p.put(role + ".port", settings.port());
                p.put(role + ".ttl", settings.ttl());
                p.put(role + ".maxlen", settings.maxLen());
            }
            p.put("master.instance", instance);
            return p;
        }

        String describe() {
            return "master and backup daemons on " + settings.mcastInterface() + ", syncid " + settings.syncId()
                    + (instance.isEmpty() ? "" : ", the master while " + instance + " is MASTER")
                    + " (group " + settings.group() + ":" + settings.port() + ", ttl " + settings.ttl() + ", maxlen "
                    + settings.maxLen() + ")";
        }
    }

    /** lvs_sync_daemon IF [[inst] NAME] [id N] [maxlen L] [port P] [ttl T] [group G]. */
    private Daemon daemon(Node n, Map<String, Map<String, Object>> instances) {
        List<String> a = n.args;
        if (a.isEmpty()) {
            skip(n, KEYWORD, "keepalived needs an interface: no sync daemon");
            return null;
        }
        String instance = null;
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < a.size(); i++) {
            String w = a.get(i);
            boolean valued = Set.of("id", "maxlen", "port", "ttl", "group").contains(w);
            if (w.equals("inst") && i + 1 < a.size()) {
                instance = a.get(++i);
            } else if (valued && i + 1 < a.size()) {
                options.put(w, a.get(++i));
            } else if (i == 1 && !valued) {
                instance = w; // "inst" may be left out, as in keepalived 1.x
            } else {
                skip(n, KEYWORD + ": " + w, "keepalived ignores an unknown option");
            }
        }
        if (instance != null && !instances.containsKey(instance)) {
            skip(n, KEYWORD + " " + String.join(" ", a), "not carried over: the file has no vrrp_instance " + instance);
            return null;
        }
        String group = options.get("group");
        if (group != null && group.indexOf(':') >= 0) {
            skip(n, KEYWORD + " " + String.join(" ", a), "not carried over: an IPv6 group; jlvs syncs over IPv4");
            return null;
        }
        return settings(n, a.get(0), instance, options, instances);
    }

    private Daemon settings(Node n, String nif, String instance, Map<String, String> options,
                            Map<String, Map<String, Object>> instances) {
        Map<String, String> o = options == null ? Map.of() : options;
        int vrid = 0;
        if (instance != null) {
            Object v = instances.get(instance).get("virtual_router_id");
            Long id = v == null ? null : number(v.toString(), 0, 255);
            vrid = id == null ? 0 : id.intValue();
        }
        int syncId = option(n, o, "id", 0, 255, vrid, "invalid syncid, the instance's virtual_router_id is used");
        int maxLen = option(n, o, "maxlen", 1, 65507, SyncSettings.DEFAULT_MAXLEN, "invalid maxlen");
        int port = option(n, o, "port", 1, 65535, SyncSettings.DEFAULT_PORT, "invalid port");
        int ttl = option(n, o, "ttl", 1, 255, SyncSettings.DEFAULT_TTL, "invalid ttl");
        String group = o.getOrDefault("group", SyncSettings.DEFAULT_GROUP);
        if (!multicast(group)) {
            skip(n, KEYWORD + ": group " + group, "keepalived ignores it: not a multicast address");
            group = SyncSettings.DEFAULT_GROUP;
        }
        try {
            return new Daemon(new SyncSettings(nif, syncId, group, port, ttl, maxLen), instance == null ? "" : instance);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("line " + n.line, n.keyword + ": " + e.getMessage());
        }
    }

    private int option(Node n, Map<String, String> o, String key, long min, long max, int otherwise, String why) {
        String text = o.get(key);
        if (text == null) return otherwise;
        Long v = number(text, min, max);
        if (v != null) return v.intValue();
        skip(n, KEYWORD + ": " + key + " " + text, "keepalived ignores it: " + why + " (" + min + ".." + max + ")");
        return otherwise;
    }

    private static Long number(String text, long min, long max) {
        try {
            long v = Long.parseLong(text);
            return v < min || v > max ? null : v;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean multicast(String text) {
        try {
            int a = org.jlvs.api.Ip4.parse(text);
            return (a >>> 28) == 0xe;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private void skip(Node n, String what, String why) {
        notCarried.add("line " + n.line + ": " + what + " (" + why + ")");
    }
}
