package org.jlvs.shell.internal.commands;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.api.Protocol;
import org.jlvs.api.VirtualServerTable;

/** The UDP services' VIP:PORT, for -u. */
@Service
public class UdpServiceCompleter extends ServiceCompleter {
    @Reference
    VirtualServerTable table;

    public UdpServiceCompleter() {
        super(Protocol.UDP);
    }

    @Override
    VirtualServerTable table() {
        return table;
    }
}
