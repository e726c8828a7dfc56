package org.jlvs.config.internal.commands;

import java.util.ArrayList;
import java.util.List;

import org.jlvs.api.MarkRule;

/** The mark rules an import adds to the rules in force. */
final class MarkImport {
    private MarkImport() {}

    /**
     * The rules in force, then the imported ones that are not there yet. An import never drops a rule: the
     * rules of a {@code virtual_server fwmark} were given by hand (lvs:mark-add) and stay.
     */
    /** The marks of the table's rules and mark services. */
    static java.util.Set<Integer> inUse(org.jlvs.api.VirtualServerTable table) {
        java.util.Set<Integer> marks = new java.util.HashSet<>();
        for (MarkRule r : table.markRules()) marks.add(r.mark());
        for (org.jlvs.api.ServiceInfo s : table.list()) {
            if (s.config().key().isFwmark()) marks.add(s.config().key().fwmark());
        }
        return marks;
    }

    static List<MarkRule> merged(List<MarkRule> inForce, List<MarkRule> imported) {
        List<MarkRule> all = new ArrayList<>(inForce);
        for (MarkRule r : imported) {
            if (!all.contains(r)) all.add(r);
        }
        return all;
    }
}
