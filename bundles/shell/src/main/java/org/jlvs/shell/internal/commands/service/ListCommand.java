package org.jlvs.shell.internal.commands.service;

import java.util.List;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.api.ConnectionTable;
import org.jlvs.api.HealthStatus;
import org.jlvs.api.ServiceKey;
import org.jlvs.ipvsadm.IpvsadmFormat;
import org.jlvs.ipvsadm.ListJson;
import org.jlvs.ipvsadm.ListView;
import org.jlvs.shell.internal.commands.ServiceAction;
import org.jlvs.shell.internal.commands.ha.SyncCommand;
import org.jlvs.shell.internal.format.HealthColumn;
import org.jlvs.shell.internal.format.LvsFormat;

@Service
@Command(scope = "lvs", name = "list", description = "Lists the virtual services and real servers in the layouts of"
        + " ipvsadm -L (1.31): lvs:list [-n] [--stats|--rate|--thresholds|--persistent-conn|--tun-info] [--exact]"
        + " [-t|-u VIP:PORT], or the connection entries as ipvsadm -L -n -c: lvs:list -c [--limit N] [-t|-u VIP:PORT],"
        + " or the timeouts as ipvsadm -L --timeout: lvs:list --timeout."
        + " Addresses and ports are always printed numerically (ipvsadm resolves names without -n); the layout"
        + " is the same.")
public class ListCommand extends ServiceAction {
    // Optional: a missing connection table must not hide the commands of this bundle.
    @Reference(optional = true)
    ConnectionTable connections;

    // Optional: the health monitor (jlvs-healthcheck) adds each watched real server's state to the listing.
    @Reference(optional = true)
    HealthStatus health;

    @Option(name = "-n", aliases = "--numeric", description = "numeric addresses and ports (always the case here)")
    boolean numeric;

    @Option(name = "-c", aliases = "--connection", description = "list the connection entries")
    boolean connection;

    @Option(name = "--origin", description = "with -c: an origin column, LOCAL or SYNC (learnt from a peer director by connection sync)")
    boolean origin;

    @Option(name = "--limit", description = "with -c: at most this many entries, default 1000, 0 = all")
    String limit;

    // Optional: without jlvs-sync, --daemon lists nothing, as ipvsadm does with no daemon running.
    @Reference(optional = true)
    public org.jlvs.api.sync.SyncDaemon syncDaemon;

    @Option(name = "--daemon", description = "the connection sync daemons, as ipvsadm -L --daemon (see lvs:sync)")
    public boolean daemon;

    @Option(name = "--timeout", description = "the TCP, TCP FIN_WAIT and UDP timeouts (see lvs:set-timeout)")
    boolean timeout;

    @Option(name = "--stats", description = "counters: conns, packets, bytes")
    boolean stats;

    @Option(name = "--rate", description = "rates from the 2-second estimator")
    boolean rate;

    @Option(name = "--thresholds", description = "upper and lower connection thresholds")
    boolean thresholds;

    @Option(name = "--persistent-conn", description = "weight and persistence templates")
    boolean persistentConn;

    @Option(name = "--tun-info", description = "tunnel type and port of each real server")
    boolean tunInfo;

    @Option(name = "--json", description = "for machines: the listing (services, -c or --timeout) as JSON")
    boolean json;

    @Option(name = "--exact", description = "whole numbers instead of K, M, G, T from 10^8 on")
    boolean exact;

    @Override
    protected void run() {
        if (daemon) {
            if (timeout || connection || stats || rate || thresholds || persistentConn || tunInfo || json || tcp != null
                    || udp != null) {
                throw refuse("--daemon cannot be combined with other listing options");
            }
            out().print(SyncCommand.DaemonListing.ipvsadm(syncDaemon));
            out().flush();
            return;
        }
        if (timeout) {
            if (connection || stats || rate || thresholds || persistentConn || tunInfo || tcp != null || udp != null) {
                throw refuse("--timeout cannot be combined with other listing options");
            }
            out().print(json ? ListJson.timeouts(ConnectionPrinter.require(connections).timeouts())
                    : ConnectionPrinter.timeouts(connections));
            out().flush();
            return;
        }
        ServiceKey key = serviceKey(false);
        if (connection) {
            if (stats || rate || thresholds) throw refuse("-c cannot be combined with --stats, --rate or --thresholds");
            if (json) {
                ListJson.connections(ConnectionPrinter.require(connections), ConnectionPrinter.matching(key, table),
                        ConnectionPrinter.limit(limit), out());
            } else {
                ConnectionPrinter.print(connections, ConnectionPrinter.matching(key, table), ConnectionPrinter.limit(limit),
                        origin, out(), err());
            }
            return;
        }
        if (limit != null) throw refuse("--limit applies to the connection listing (-c) only");
        if (origin) throw refuse("--origin applies to the connection listing (-c) only");
        if (json) { // every counter, rate, threshold and tunnel setting is in the one JSON form
            out().print(ListJson.services(key != null ? List.of(existingService(key)) : table.list(), table.dataPathDown()));
            out().flush();
            return;
        }
        ListView view = ListView.of(stats, rate, thresholds, persistentConn, tunInfo);
        String text = health != null && view == ListView.DEFAULT
                ? HealthColumn.list(key != null ? List.of(existingService(key)) : table.list(), exact, health, key == null)
                : key != null
                ? IpvsadmFormat.listOne(existingService(key), view, exact)
                : IpvsadmFormat.list(table.list(), view, exact);
        out().print(text);
        // after the listing, so that its head stays ipvsadm's: the operator sees why nothing flows
        out().print(LvsFormat.dataPathDown(table.dataPathDown()));
        out().flush();
    }
}
