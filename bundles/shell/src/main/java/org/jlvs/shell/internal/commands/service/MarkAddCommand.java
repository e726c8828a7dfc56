package org.jlvs.shell.internal.commands.service;

import java.util.ArrayList;
import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.api.MarkRule;

@Service
@Command(scope = "lvs", name = "mark-add", description = "Adds a mark rule: new flows of PROTOCOL to ADDRESSES"
        + " and PORTS get MARK, and the firewall-mark service -f MARK balances them (on Linux, iptables -t mangle"
        + " ... -j MARK --set-mark does this before IPVS). lvs:mark-add MARK tcp|udp|any ADDRESSES [PORTS], e.g."
        + " lvs:mark-add 1 tcp 10.0.0.100 443. Refused when it overlaps a rule of another mark.")
public class MarkAddCommand extends MarkRuleAction {
    @Override
    protected void run() {
        MarkRule rule = rule();
        List<MarkRule> rules = new ArrayList<>(table.markRules());
        if (rules.contains(rule)) throw refuse("mark rule '" + rule + "' exists already");
        rules.add(rule);
        table.setMarkRules(rules);
    }
}
