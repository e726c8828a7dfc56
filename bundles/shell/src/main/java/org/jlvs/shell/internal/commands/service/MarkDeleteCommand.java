package org.jlvs.shell.internal.commands.service;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.api.MarkRule;

@Service
@Command(scope = "lvs", name = "mark-delete", description = "Deletes a mark rule, named as lvs:mark-add added it"
        + " (or as lvs:mark-list prints it): lvs:mark-delete MARK tcp|udp|any ADDRESSES [PORTS]")
public class MarkDeleteCommand extends MarkRuleAction {
    @Override
    protected void run() {
        MarkRule rule = rule();
        List<MarkRule> rules = new ArrayList<>(table.markRules());
        if (!rules.remove(rule)) throw refuse("no such mark rule: '" + rule + "'");
        table.setMarkRules(rules);
    }
}
