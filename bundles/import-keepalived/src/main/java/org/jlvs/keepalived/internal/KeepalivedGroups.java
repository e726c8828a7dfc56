package org.jlvs.keepalived.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jlvs.api.MarkRule;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServiceKey;
import org.jlvs.ipvsadm.ConfigException;

/**
 * keepalived's {@code virtual_server_group NAME { IP PORT; IP-LAST PORT; fwmark N }} for jlvs: a
 * {@code virtual_server group NAME} becomes one mark service, and the group's addresses and ranges become
 * mark rules of that mark with the virtual server's protocol (port 0: every port). The mark is the group's
 * own {@code fwmark} when it lists one that no other virtual server took, else the next mark that neither
 * the file nor the table in force uses. The rules an imported {@code fwmark} stands for are iptables rules that jlvs does not read:
 * {@link #fwmarkNote} tells the operator to give them with lvs:mark-add.
 */
final class KeepalivedGroups {
    private record Entry(String addresses, String port, int line) {}

    private record Group(List<Entry> entries, List<Integer> fwmarks) {}

    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Set<Integer> usedMarks = new HashSet<>();
    /** Marks whose rules this file gives (through a group's addresses). */
    private final Set<Integer> ruled = new HashSet<>();
    final List<MarkRule> rules = new ArrayList<>();
    /** The group entries that are not carried over ("line N: ..."), for the import's list. */
    final List<String> notCarried = new ArrayList<>();

    /** Reads every group, and notes every mark the file names, before any virtual server is imported. */
    KeepalivedGroups(List<KeepalivedImport.Node> nodes, Set<Integer> marksInUse) {
        usedMarks.addAll(marksInUse); // the table's: a group must not take over a mark service the file does not name
        for (KeepalivedImport.Node n : nodes) {
            if (n.keyword.equals("virtual_server_group") && n.args.size() == 1 && n.block) {
                List<Entry> entries = new ArrayList<>();
                List<Integer> fwmarks = new ArrayList<>();
                for (KeepalivedImport.Node e : n.children) {
                    if (e.keyword.equals("fwmark")) {
                        fwmarks.add(mark(e.args.size() == 1 ? e.args.get(0) : "", e.line));
                    } else if (e.args.size() == 1 && !e.block) {
                        entries.add(new Entry(e.keyword, e.args.get(0), e.line));
                    } else {
                        throw new ConfigException("line " + e.line, "virtual_server_group " + n.args.get(0)
                                + ": expected IP PORT, IP-LAST PORT or fwmark N, not '" + e.keyword + "'");
                    }
                }
                groups.put(n.args.get(0), new Group(entries, fwmarks));
                usedMarks.addAll(fwmarks);
            } else if (n.keyword.equals("virtual_server") && n.args.size() == 2 && n.args.get(0).equals("fwmark")) {
                usedMarks.add(mark(n.args.get(1), n.line));
            }
        }
    }

    static int mark(String text, int line) {
        try {
            return ServiceKey.parseFwmark(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("line " + line, e.getMessage());
        }
    }

    boolean has(String name) {
        return groups.containsKey(name);
    }

    /**
     * The mark of the service that {@code virtual_server group NAME} becomes, with the rules of its
     * addresses for {@code protocol}.
     */
    int serviceMark(String name, Protocol protocol) {
        Group g = groups.get(name);
        Integer mark = null;
        for (int m : g.fwmarks) {
            if (!ruled.contains(m)) {
                mark = m;
                break;
            }
        }
        if (mark == null || (g.fwmarks.size() > 0 && g.entries.size() > 0 && ruled.contains(mark))) {
            int next = 1;
            while (usedMarks.contains(next)) next++;
            mark = next;
        }
        usedMarks.add(mark);
        ruled.add(mark);
        for (Entry e : g.entries) {
            if (e.addresses.indexOf(':') >= 0) { // IPv6, or keepalived's IPv6 range "2001:db8::1-10"
                notCarried.add("line " + e.line + ": virtual_server_group " + name + ": " + e.addresses + " " + e.port
                        + " (not carried over yet: jlvs's mark rules hold IPv4 addresses and ranges)");
                continue;
            }
            String port = e.port.equals("0") ? "" : " " + e.port;
            try {
                rules.add(MarkRule.parse(Integer.toUnsignedString(mark) + " "
                        + protocol.name().toLowerCase(java.util.Locale.ROOT) + " " + e.addresses + port));
            } catch (IllegalArgumentException ex) {
                throw new ConfigException("line " + e.line, "virtual_server_group " + name + ": " + ex.getMessage());
            }
        }
        return mark;
    }

    /** Whether the group lists fwmarks beyond the one its service took: those flows are not carried. */
    List<Integer> otherFwmarks(String name, int taken) {
        List<Integer> others = new ArrayList<>(groups.get(name).fwmarks);
        others.remove((Integer) taken);
        return others;
    }

    /** What to tell of a {@code virtual_server fwmark N}, or null when the file's groups give its rules. */
    String fwmarkNote(int mark) {
        if (ruled.contains(mark)) return null;
        return "the marks of a keepalived setup come from iptables or nftables rules, which jlvs does not read:"
                + " give the flows of mark " + Integer.toUnsignedString(mark) + " with lvs:mark-add "
                + Integer.toUnsignedString(mark) + " tcp|udp|any ADDRESSES [PORTS] (etc/org.jlvs.marks.cfg)";
    }
}
