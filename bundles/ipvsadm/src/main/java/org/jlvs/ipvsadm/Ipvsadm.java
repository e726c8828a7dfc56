package org.jlvs.ipvsadm;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.ConnectionTable;
import org.jlvs.api.LvsException;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.VirtualServerTable;
import org.jlvs.api.sync.SyncDaemon;
import org.jlvs.api.sync.SyncSettings;
import org.jlvs.api.sync.SyncStatus;
import org.jlvs.ipvsadm.IpvsadmArgs.Opt;

/**
 * Runs one ipvsadm command line against the table and prints what ipvsadm 1.31 prints. Changes are played on a
 * copy first ({@link IpvsadmModel}), so a refused command (or any refused line of -R) changes nothing, and are
 * then applied to the services they touched only ({@link TableUpdate}).
 *
 * <p>Differences from ipvsadm, all deliberate: addresses are always printed numerically (as with -n); -R
 * applies all of its lines or none (ipvsadm stops at a bad line, keeping the earlier ones); the sync daemons
 * need the jlvs-sync feature (their settings persist in etc/org.jlvs.sync.cfg); firewall-mark and SCTP services, IPv6, -o, --pe, GRE and GUE checksums are refused by name.
 */
public final class Ipvsadm {
    /** What ipvsadm -v prints for the version this one reproduces. */
    static final String VERSION = "ipvsadm v1.31 2019/12/24 (compiled with popt and IPVS v1.2.1)";

    private final VirtualServerTable table;
    private final ConnectionTable connections;
    private final SyncDaemon daemons;

    /** @param connections may be null: then -c, --timeout and --set are refused */
    public Ipvsadm(VirtualServerTable table, ConnectionTable connections) {
        this(table, connections, null);
    }

    /** @param daemons may be null (no jlvs-sync): then --start-daemon and --stop-daemon are refused */
    public Ipvsadm(VirtualServerTable table, ConnectionTable connections, SyncDaemon daemons) {
        this.table = table;
        this.connections = connections;
        this.daemons = daemons;
    }

    /**
     * Runs {@code argv} (without the program name). Output goes to {@code out}; {@code in} is -R's input
     * unless --input names a file. Throws IllegalArgumentException or LvsException with ipvsadm's message.
     */
    public void run(List<String> argv, InputStream in, PrintStream out) throws IOException {
        IpvsadmArgs a = IpvsadmArgs.parse(argv);
        switch (a.cmd()) {
            case HELP -> out.print(usage());
            case VERSION -> out.println(VERSION);
            case LIST -> list(a, out);
            case SAVE -> out.print(IpvsadmRules.save(ServiceDef.of(table.list()).values()));
            case RESTORE -> {
                String text = a.input() != null ? Files.readString(Path.of(a.input()), StandardCharsets.UTF_8)
                        : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                IpvsadmModel model = model();
                IpvsadmRules.restore(text, model);
                TableUpdate.apply(table, model.services(), model.touched());
            }
            case ZERO -> {
                ServiceKey key = a.service();
                if (key != null && table.get(key) == null) throw new LvsException("No such service");
                table.zero(key);
            }
            case STARTDAEMON -> {
                try {
                    requireDaemons().start(role(a), a.syncSettings());
                } catch (IllegalStateException e) {
                    throw new LvsException(e.getMessage());
                }
            }
            case STOPDAEMON -> requireDaemons().stop(role(a)); // none running: quiet, as the kernel's stop
            case TIMEOUT -> {
                int[] t = a.timeouts();
                requireConnections().setTimeouts(t[0], t[1], t[2]);
            }
            default -> {
                IpvsadmModel model = model();
                model.apply(a);
                TableUpdate.apply(table, model.services(), model.touched());
            }
        }
        out.flush();
    }

    private IpvsadmModel model() {
        return new IpvsadmModel(ServiceDef.of(table.list()), table.schedulers(), table.forwardMethods());
    }

    private SyncDaemon requireDaemons() {
        if (daemons == null) {
            throw new LvsException("connection sync is not available (feature:install jlvs-sync)");
        }
        return daemons;
    }

    private static SyncDaemon.Role role(IpvsadmArgs a) {
        return "master".equals(a.daemonRole()) ? SyncDaemon.Role.MASTER : SyncDaemon.Role.BACKUP;
    }

    private ConnectionTable requireConnections() {
        if (connections == null) {
            throw new LvsException("the connection table is not available (is the jlvs-core feature running?)");
        }
        return connections;
    }

    private void list(IpvsadmArgs a, PrintStream out) throws IOException {
        boolean exact = a.has(Opt.EXACT);
        boolean sorted = !a.has(Opt.NOSORT);
        if (a.has(Opt.CONNECTION)) {
            listConnections(a, out);
        } else if (a.has(Opt.SERVICE)) {
            ServiceInfo info = table.get(a.service());
            if (info == null) throw new LvsException("No such service");
            if (a.json()) {
                out.print(ListJson.pretty(ListJson.services(List.of(info))));
            } else {
                out.print(IpvsadmFormat.title(a.view()));
                out.print(service(info, a.view(), exact, sorted));
            }
        } else if (a.has(Opt.TIMEOUT)) {
            int[] t = requireConnections().timeouts();
            out.print(a.json() ? ListJson.pretty(ListJson.timeouts(t))
                    : "Timeout (tcp tcpfin udp): " + t[0] + " " + t[1] + " " + t[2] + "\n");
        } else if (a.has(Opt.DAEMON)) {
            // one line per running daemon, master first; nothing when none runs (or no jlvs-sync), as ipvsadm
            List<SyncStatus> running = new java.util.ArrayList<>();
            for (SyncDaemon.Role r : SyncDaemon.Role.values()) {
                SyncStatus st = daemons == null ? null : daemons.status(r);
                if (st != null) running.add(st);
            }
            if (a.json()) {
                StringBuilder j = new StringBuilder("{\n  \"daemons\": [");
                for (int i = 0; i < running.size(); i++) {
                    SyncStatus st = running.get(i);
                    SyncSettings ss = st.settings();
                    j.append(i == 0 ? "\n" : ",\n").append("    {\"role\": \"").append(st.role().label())
                            .append("\", \"mcast_interface\": \"").append(ss.mcastInterface()).append("\", \"syncid\": ")
                            .append(ss.syncId()).append(", \"maxlen\": ").append(ss.maxLen()).append(", \"group\": \"")
                            .append(ss.group()).append("\", \"port\": ").append(ss.port()).append(", \"ttl\": ")
                            .append(ss.ttl()).append('}');
                }
                out.print(j.append(running.isEmpty() ? "]\n}\n" : "\n  ]\n}\n"));
            } else {
                for (SyncStatus st : running) out.println(st.describe());
            }
        } else if (a.json()) {
            out.print(ListJson.pretty(ListJson.services(table.list())));
        } else {
            StringBuilder text = new StringBuilder(IpvsadmFormat.VERSION_LINE).append('\n').append(IpvsadmFormat.title(a.view()));
            for (ServiceInfo info : table.list()) text.append(service(info, a.view(), exact, sorted));
            out.print(text);
        }
    }

    /** A service and its real servers; --nosort keeps the table's order of the servers (the order of adding). */
    static String service(ServiceInfo info, ListView view, boolean exact, boolean sorted) {
        if (sorted) return IpvsadmFormat.service(info, view, exact);
        StringBuilder out = new StringBuilder(IpvsadmFormat.serviceLine(info, view, exact));
        for (ServerInfo server : info.servers()) out.append(IpvsadmFormat.serverLine(server, view, exact));
        return out.toString();
    }

    private void listConnections(IpvsadmArgs a, PrintStream out) throws IOException {
        ConnectionTable conns = requireConnections();
        Predicate<ConnectionInfo> all = c -> true;
        if (a.json()) {
            ListJson.connections(conns, all, Long.MAX_VALUE, out);
            return;
        }
        if (a.has(Opt.PERSISTENTCONN)) {
            // the title gains the persistence-engine columns; jlvs entries have no engine data, so rows do not
            out.print("IPVS connection entries\n" + String.format("pro expire %-11s %-18s %-18s %-18s %-16s %s\n",
                    "state", "source", "virtual", "destination", "pe name", "pe_data"));
        } else {
            out.print(IpvsadmFormat.connectionsTitle());
        }
        conns.forEach(all, Long.MAX_VALUE, c -> out.print(IpvsadmFormat.connection(c) + "\n"));
    }

    /** ipvsadm's usage, limited to what jlvs does. */
    static String usage() {
        List<String> lines = new ArrayList<>(List.of(
                VERSION,
                "Usage:",
                "  ipvsadm -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask] [-b sched-flags]",
                "  ipvsadm -D virtual-service",
                "  ipvsadm -C",
                "  ipvsadm -R [--input file]",
                "  ipvsadm -S [-n]",
                "  ipvsadm -a|e virtual-service -r server-address [options]",
                "  ipvsadm -d virtual-service -r server-address",
                "  ipvsadm -L|l [virtual-service] [options]",
                "  ipvsadm -Z [virtual-service]",
                "  ipvsadm --set tcp tcpfin udp",
                "  ipvsadm -h",
                "",
                "virtual-service:",
                "  --tcp-service|-t  service-address   service-address is host[:port] (numeric)",
                "  --udp-service|-u  service-address   service-address is host[:port] (numeric)",
                "",
                "Options:",
                "  --scheduler    -s scheduler         default wlc (lvs:schedulers lists the installed ones)",
                "  --persistent   -p [timeout]         persistent service",
                "  --netmask      -M netmask           persistent granularity mask",
                "  --real-server  -r server-address    server-address is host (and port)",
                "  --gatewaying   -g                   gatewaying (direct routing) (default)",
                "  --ipip         -i                   ipip encapsulation (tunneling)",
                "  --masquerading -m                   masquerading (NAT)",
                "  --tun-type      type                ipip or gue",
                "  --tun-port      port                tunnel destination port (gue)",
                "  --weight       -w weight            capacity of real server",
                "  --u-threshold  -x uthreshold        upper threshold of connections",
                "  --l-threshold  -y lthreshold        lower threshold of connections",
                "  --connection   -c                   output of current IPVS connections",
                "  --timeout                           output of timeout (tcp tcpfin udp)",
                "  --stats                             output of statistics information",
                "  --rate                              output of rate information",
                "  --exact                             expand numbers (display exact values)",
                "  --thresholds                        output of thresholds information",
                "  --persistent-conn                   output of persistent connection info",
                "  --tun-info                          output of tunnel information",
                "  --nosort                            disable sorting output of server entries",
                "  --numeric      -n                   numeric output (always the case here)",
                "  --sched-flags  -b flags             scheduler flags (comma-separated)",
                "  --json                              (jlvs) listings as JSON",
                "  --input file                        (jlvs) -R reads the rules from this file"));
        return String.join("\n", lines) + "\n";
    }
}
