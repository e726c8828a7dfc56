package org.jlvs.shell.internal.commands;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.api.Protocol;
import org.jlvs.api.VirtualServerTable;

/** The TCP services' VIP:PORT, for -t. */
@Service
public class TcpServiceCompleter extends ServiceCompleter {
    @Reference
    VirtualServerTable table;

    public TcpServiceCompleter() {
        super(Protocol.TCP);
    }

    @Override
    VirtualServerTable table() {
        return table;
    }
}
