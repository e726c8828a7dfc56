package org.jlvs.core.internal;

import java.util.ArrayList;
import java.util.List;

import org.jlvs.api.LvsException;
import org.jlvs.api.MarkRule;
import org.jlvs.api.VirtualServerTable;

/** The checks a new set of mark rules passes before it replaces the rules in force. */
final class MarkRules {
    private MarkRules() {}

    /**
     * The rules, with exact duplicates dropped, or LvsException naming the problem: more than
     * {@link VirtualServerTable#MAX_MARK_RULES}, or two rules of different marks that a flow could match
     * both (then which mark it gets would depend on the order; iptables would take the last, and an operator
     * reading the list would not see that).
     */
    static List<MarkRule> check(List<MarkRule> rules) {
        if (rules == null) throw new LvsException("missing mark rules");
        if (rules.size() > VirtualServerTable.MAX_MARK_RULES) {
            throw new LvsException("too many mark rules: " + rules.size() + " (at most "
                    + VirtualServerTable.MAX_MARK_RULES + ")");
        }
        List<MarkRule> out = new ArrayList<>(rules.size());
        for (MarkRule r : rules) {
            if (r == null) throw new LvsException("missing mark rule");
            if (out.contains(r)) continue;
            for (MarkRule o : out) {
                if (o.mark() != r.mark() && o.overlaps(r)) {
                    throw new LvsException("mark rule '" + r + "' overlaps '" + o + "' of another mark: a flow"
                            + " would match both");
                }
            }
            out.add(r);
        }
        return List.copyOf(out);
    }
}
