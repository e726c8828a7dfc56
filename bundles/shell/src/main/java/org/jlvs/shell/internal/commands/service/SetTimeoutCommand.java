package org.jlvs.shell.internal.commands.service;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.api.ConnectionTable;
import org.jlvs.ipvsadm.IpvsadmOptions;
import org.jlvs.shell.internal.commands.LvsAction;

@Service
@Command(scope = "lvs", name = "set-timeout", description = "Sets the TCP ESTABLISHED, TCP FIN_WAIT and UDP"
        + " timeouts in seconds (ipvsadm --set TCP TCPFIN UDP); 0 keeps a value. Shown by lvs:list --timeout.")
public class SetTimeoutCommand extends LvsAction {
    // Optional like in lvs:list: a missing table must not hide the other commands of this bundle.
    @Reference(optional = true)
    ConnectionTable connections;

    @Argument(index = 0, name = "tcp", description = "TCP ESTABLISHED timeout (s), 0 = unchanged", required = true)
    String tcp;

    @Argument(index = 1, name = "tcpfin", description = "TCP FIN_WAIT timeout (s), 0 = unchanged", required = true)
    String tcpFin;

    @Argument(index = 2, name = "udp", description = "UDP timeout (s), 0 = unchanged", required = true)
    String udp;

    /** The largest value ipvsadm accepts (a timeout is kept in jiffies in an int by the kernel too). */
    static final int MAX = 1 << 24;

    @Override
    protected void run() {
        // all three are checked before anything changes
        int t = (int) IpvsadmOptions.number(tcp, 0, MAX, "tcp timeout");
        int f = (int) IpvsadmOptions.number(tcpFin, 0, MAX, "tcpfin timeout");
        int u = (int) IpvsadmOptions.number(udp, 0, MAX, "udp timeout");
        ConnectionPrinter.require(connections).setTimeouts(t, f, u);
    }
}
