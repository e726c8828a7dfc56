package org.jlvs.keepalived.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jlvs.ipvsadm.ConfigException;

/**
 * The VRRP part of a keepalived.conf as the ha bundle's factory configurations: each {@code vrrp_instance} as an
 * {@value #INSTANCE_PID} configuration, each {@code vrrp_script} as an {@value #SCRIPT_PID} one, and each
 * {@code vrrp_sync_group}'s name written into its members' {@code sync_group}. The keys are keepalived's own
 * (the ha bundle reads them so); lists (addresses, peers, tracked interfaces and scripts) become one value of
 * words. What jlvs does not have is listed by line as not carried over; the ha bundle checks the values.
 */
public final class KeepalivedVrrp {
    public static final String INSTANCE_PID = "org.jlvs.vrrp.instance";
    public static final String SCRIPT_PID = "org.jlvs.vrrp.script";
    static final Set<String> BLOCKS = Set.of("vrrp_instance", "vrrp_sync_group", "vrrp_script");

    /** Instance keywords whose arguments are carried as one value. */
    private static final Set<String> INSTANCE_VALUES = Set.of("state", "interface", "virtual_router_id", "priority",
            "advert_int", "preempt_delay", "unicast_src_ip", "mcast_src_ip", "garp_master_repeat", "garp_master_delay",
            "garp_lower_prio_repeat", "notify_master", "notify_backup", "notify_fault", "notify_stop", "notify");
    /** Instance keywords that are flags in keepalived (no argument). */
    private static final Set<String> INSTANCE_FLAGS = Set.of("nopreempt", "use_vmac");
    /** Instance blocks whose lines' first words are carried as a list. */
    private static final Set<String> INSTANCE_LISTS = Set.of("virtual_ipaddress", "unicast_peer", "track_interface",
            "track_script");
    private static final Set<String> SCRIPT_VALUES = Set.of("script", "interval", "timeout", "weight", "fall", "rise");

    /**
     * @param instances   name → properties of an {@value #INSTANCE_PID} configuration, in file order
     * @param scripts     name → properties of an {@value #SCRIPT_PID} configuration
     * @param carriedLines the lines of the blocks read here (the LVS import lists every other block)
     * @param notCarried  "line N: ..." for what was not carried over
     */
    public record Result(Map<String, Map<String, Object>> instances, Map<String, Map<String, Object>> scripts,
                         Set<Integer> carriedLines, List<String> notCarried) {
        public boolean empty() {
            return instances.isEmpty() && scripts.isEmpty();
        }
    }

    private KeepalivedVrrp() {}

    /** Reads keepalived.conf text; throws ConfigException ("line N: ...") for what cannot be read. */
    public static Result read(String text) {
        KeepalivedSource source = KeepalivedSource.of(text);
        try {
            Result r = read(KeepalivedImport.Node.parse(source.lines()));
            return new Result(r.instances(), r.scripts(), r.carriedLines(), r.notCarried().stream().map(source::place).toList());
        } catch (ConfigException e) {
            throw source.place(e);
        }
    }

    /**
     * The statements of a whole (expanded) file ({@link KeepalivedSource}): lines are "line N" of the expanded
     * text, which {@link KeepalivedSource#place} names as FILE:LINE.
     */
    static Result read(List<KeepalivedImport.Node> nodes) {
        Map<String, Map<String, Object>> instances = new LinkedHashMap<>();
        Map<String, Map<String, Object>> scripts = new LinkedHashMap<>();
        Set<Integer> carried = new TreeSet<>();
        List<String> notCarried = new ArrayList<>();
        List<KeepalivedImport.Node> groups = new ArrayList<>();
        for (KeepalivedImport.Node node : nodes) {
            if (!BLOCKS.contains(node.keyword)) continue;
            if (!node.block || node.args.size() != 1) {
                throw new ConfigException("line " + node.line, node.keyword + " needs a name and a block");
            }
            carried.add(node.line);
            String name = node.args.get(0);
            switch (node.keyword) {
                case "vrrp_instance" -> {
                    if (instances.put(name, instance(node, notCarried)) != null) {
                        throw new ConfigException("line " + node.line, "vrrp_instance " + name + " is defined twice");
                    }
                }
                case "vrrp_script" -> {
                    if (scripts.put(name, script(node, notCarried)) != null) {
                        throw new ConfigException("line " + node.line, "vrrp_script " + name + " is defined twice");
                    }
                }
                default -> groups.add(node);
            }
        }
        for (KeepalivedImport.Node g : groups) syncGroup(g, instances, notCarried);
        return new Result(instances, scripts, carried, notCarried);
    }

    private static Map<String, Object> instance(KeepalivedImport.Node node, List<String> notCarried) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", node.args.get(0));
        for (KeepalivedImport.Node n : node.children) {
            String k = n.keyword;
            if (INSTANCE_VALUES.contains(k) && !n.block && !n.args.isEmpty()) {
                p.put(k, String.join(" ", n.args));
            } else if (INSTANCE_FLAGS.contains(k) && !n.block) {
                p.put(k, "true");
            } else if (INSTANCE_LISTS.contains(k) && n.block) {
                List<String> words = new ArrayList<>();
                for (KeepalivedImport.Node item : n.children) {
                    words.add(item.keyword);
                    if (!item.args.isEmpty()) {
                        notCarried.add("line " + item.line + ": " + k + " " + item.keyword + " " + String.join(" ", item.args)
                                + ": only " + item.keyword + " is carried over");
                    }
                }
                p.put(k, String.join(" ", words));
            } else if (k.equals(KeepalivedSyncDaemon.OLD_KEYWORD)) {
                continue; // the sync daemon's, read by KeepalivedSyncDaemon
            } else if (k.equals("preempt") && !n.block) {
                p.put("nopreempt", "false"); // keepalived's default, said explicitly
            } else {
                notCarried.add("line " + n.line + ": " + k + (n.block ? " { ... }" : "") + " in vrrp_instance "
                        + node.args.get(0) + ": not a jlvs VRRP setting");
            }
        }
        return p;
    }

    private static Map<String, Object> script(KeepalivedImport.Node node, List<String> notCarried) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("name", node.args.get(0));
        for (KeepalivedImport.Node n : node.children) {
            if (SCRIPT_VALUES.contains(n.keyword) && !n.block && !n.args.isEmpty()) {
                p.put(n.keyword, String.join(" ", n.args));
            } else if (n.keyword.equals("init_fail") && !n.block) {
                p.put("init_fail", "true");
            } else {
                notCarried.add("line " + n.line + ": " + n.keyword + " in vrrp_script " + node.args.get(0)
                        + ": not a jlvs track-script setting");
            }
        }
        return p;
    }

    private static void syncGroup(KeepalivedImport.Node node, Map<String, Map<String, Object>> instances,
                                  List<String> notCarried) {
        String name = node.args.get(0);
        for (KeepalivedImport.Node n : node.children) {
            if (n.keyword.equals("group") && n.block) {
                for (KeepalivedImport.Node member : n.children) {
                    Map<String, Object> i = instances.get(member.keyword);
                    if (i == null) {
                        throw new ConfigException("line " + member.line, "vrrp_sync_group " + name
                                + ": no vrrp_instance " + member.keyword);
                    }
                    Object other = i.put("sync_group", name);
                    if (other != null && !other.equals(name)) {
                        throw new ConfigException("line " + member.line, "vrrp_instance " + member.keyword
                                + " is in two sync groups (" + other + ", " + name + ")");
                    }
                }
            } else {
                notCarried.add("line " + n.line + ": " + n.keyword + (n.block ? " { ... }" : "") + " in vrrp_sync_group "
                        + name + ": not carried over (the notify scripts of a group are its instances')");
            }
        }
    }
}
