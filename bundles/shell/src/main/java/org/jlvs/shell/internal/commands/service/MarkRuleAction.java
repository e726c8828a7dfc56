package org.jlvs.shell.internal.commands.service;

import org.apache.karaf.shell.api.action.Argument;
import org.jlvs.shell.internal.commands.LvsAction;
import org.jlvs.api.MarkRule;

/** A command that names one mark rule: MARK PROTOCOL ADDRESSES [PORTS]. */
abstract class MarkRuleAction extends LvsAction {
    @Argument(index = 0, name = "mark", required = true, description = "the mark, 1 to 4294967295 (ipvsadm -f MARK)")
    String mark;

    @Argument(index = 1, name = "protocol", required = true, description = "tcp, udp or any")
    String protocol;

    @Argument(index = 2, name = "addresses", required = true,
            description = "an address, a prefix a.b.c.d/len, or a range a.b.c.d-e (keepalived's) or a.b.c.d-w.x.y.z")
    String addresses;

    @Argument(index = 3, name = "ports", description = "a port or a range n-m; every port when left out")
    String ports;

    MarkRule rule() {
        return MarkRule.parse(mark + " " + protocol + " " + addresses + (ports == null ? "" : " " + ports));
    }
}
