package org.jlvs.keepalived.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.jlvs.api.MarkRule;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.VirtualServerTable;

/** The mark rules an import adds to the rules in force. */
final class MarkImport {
    private MarkImport() {}

    /** The marks of the table's rules and mark services. */
    static Set<Integer> inUse(VirtualServerTable table) {
        Set<Integer> marks = new HashSet<>();
        for (MarkRule r : table.markRules()) marks.add(r.mark());
        for (ServiceInfo s : table.list()) {
            if (s.config().key().isFwmark()) marks.add(s.config().key().fwmark());
        }
        return marks;
    }

    /**
     * The rules in force, then the imported ones that are not there yet. An import never drops a rule: the
     * rules of a {@code virtual_server fwmark} were given by hand (lvs:mark-add) and stay.
     */
    static List<MarkRule> merged(List<MarkRule> inForce, List<MarkRule> imported) {
        List<MarkRule> all = new ArrayList<>(inForce);
        for (MarkRule r : imported) {
            if (!all.contains(r)) all.add(r);
        }
        return all;
    }
}
