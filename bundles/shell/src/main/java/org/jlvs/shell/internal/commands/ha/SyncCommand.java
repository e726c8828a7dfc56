package org.jlvs.shell.internal.commands.ha;

import java.util.Map;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.api.sync.SyncDaemon;
import org.jlvs.api.sync.SyncSettings;
import org.jlvs.api.sync.SyncStatus;
import org.jlvs.ipvsadm.IpvsadmOptions;
import org.jlvs.ipvsadm.JlvsJson;
import org.jlvs.shell.internal.commands.LvsAction;

@Service
@Command(scope = "lvs", name = "sync", description = "The connection sync daemons (ipvsadm --start-daemon,"
        + " --stop-daemon): lvs:sync start master|backup --mcast-interface IF --syncid N [--group G] [--port P]"
        + " [--ttl T] [--maxlen L], lvs:sync stop master|backup, lvs:sync status (state, counters, last full"
        + " resync; --json for machines). The settings persist (etc/org.jlvs.sync.cfg). Needs the jlvs-sync feature.")
public class SyncCommand extends LvsAction {
    // Optional: without jlvs-sync the command says so instead of vanishing with its bundle's other commands.
    @Reference(optional = true)
    SyncDaemon daemon;

    /**
     * start|stop|status, master|backup, then the daemon's options: Karaf reads options only before the first
     * argument, and ipvsadm's habit (and this command's usage) puts them after the role, so they are read here.
     */
    @Argument(index = 0, name = "action role [options]", description = "start, stop or status (default), then master"
            + " or backup, then --mcast-interface IF --syncid N ...", multiValued = true)
    java.util.List<String> words;

    String action;
    String role;

    @Option(name = "--mcast-interface", description = "the interface: the master sends from its own address, the backup joins on it")
    String mcastInterface;

    @Option(name = "--syncid", description = "sync id 0..255 (a backup with 0 takes every id)")
    String syncId;

    @Option(name = "--group", aliases = "--mcast-group", description = "multicast group, default " + SyncSettings.DEFAULT_GROUP)
    String group;

    @Option(name = "--port", aliases = "--mcast-port", description = "UDP port, default 8848")
    String port;

    @Option(name = "--ttl", aliases = "--mcast-ttl", description = "multicast TTL 1..255, default 1")
    String ttl;

    @Option(name = "--maxlen", aliases = "--sync-maxlen", description = "largest datagram payload, default 1472")
    String maxLen;

    @Option(name = "--json", description = "with status: the daemons as JSON (format jlvs-sync, version 1)")
    boolean json;

    /** Takes action, role and trailing options out of {@link #words}. */
    private void readWords() {
        if (words == null) return;
        int i = 0;
        if (i < words.size() && !words.get(i).startsWith("-")) action = words.get(i++);
        if (i < words.size() && !words.get(i).startsWith("-")) role = words.get(i++);
        while (i < words.size()) {
            String name = words.get(i++);
            if (name.equals("--json")) { // a flag: "lvs:sync status --json" as well as "lvs:sync --json status"
                json = true;
                continue;
            }
            if (i >= words.size()) throw refuse(name.startsWith("-") ? name + " needs a value" : "unexpected '" + name + "'");
            String value = words.get(i++);
            switch (name) {
                case "--mcast-interface" -> mcastInterface = value;
                case "--syncid" -> syncId = value;
                case "--group", "--mcast-group" -> group = value;
                case "--port", "--mcast-port" -> port = value;
                case "--ttl", "--mcast-ttl" -> ttl = value;
                case "--maxlen", "--sync-maxlen" -> maxLen = value;
                default -> throw refuse("unknown option '" + name + "'");
            }
        }
    }

    @Override
    protected void run() {
        readWords();
        String a = action == null ? "status" : action;
        if (json && !a.equals("status")) throw refuse("--json applies to lvs:sync status only");
        switch (a) {
            case "start" -> start();
            case "stop" -> {
                noSettings("stop");
                if (!require().stop(role())) throw refuse("no " + role().label() + " sync daemon runs");
            }
            case "status" -> {
                if (role != null) role();
                noSettings("status");
                SyncDaemon.Role only = role == null ? null : role();
                out().print(json ? JlvsJson.sync(daemon, only) : DaemonListing.status(require(), only));
                out().flush();
            }
            default -> throw refuse("unknown action '" + a + "': start, stop or status");
        }
    }

    private void start() {
        SyncDaemon.Role r = role();
        if (mcastInterface == null) throw refuse("--mcast-interface is required");
        SyncSettings s = new SyncSettings(mcastInterface,
                syncId == null ? 0 : (int) IpvsadmOptions.number(syncId, 0, 255, "syncid"),
                group == null ? SyncSettings.DEFAULT_GROUP : group,
                port == null ? SyncSettings.DEFAULT_PORT : (int) IpvsadmOptions.number(port, 1, 65535, "port"),
                ttl == null ? SyncSettings.DEFAULT_TTL : (int) IpvsadmOptions.number(ttl, 1, 255, "ttl"),
                maxLen == null ? SyncSettings.DEFAULT_MAXLEN
                        : (int) IpvsadmOptions.number(maxLen, SyncSettings.MIN_MAXLEN, SyncSettings.MAX_MAXLEN, "maxlen"));
        try {
            require().start(r, s);
        } catch (IllegalStateException e) {
            throw refuse(e.getMessage());
        }
    }

    private void noSettings(String what) {
        if (mcastInterface != null || syncId != null || group != null || port != null || ttl != null || maxLen != null) {
            throw refuse("lvs:sync " + what + " takes no daemon settings");
        }
    }

    private SyncDaemon.Role role() {
        if ("master".equals(role)) return SyncDaemon.Role.MASTER;
        if ("backup".equals(role)) return SyncDaemon.Role.BACKUP;
        throw refuse(role == null ? "master or backup is required" : "not master or backup: " + role);
    }

    private SyncDaemon require() {
        if (daemon == null) throw refuse("connection sync is not installed (feature:install jlvs-sync)");
        return daemon;
    }

    /** The daemons' listings: ipvsadm's -L --daemon lines, and the status with counters and the last resync. */
    public static final class DaemonListing {
        private DaemonListing() {}

        /** ipvsadm -L --daemon: one line per running daemon, master first; nothing when none runs. */
        public static String ipvsadm(SyncDaemon d) {
            StringBuilder out = new StringBuilder();
            if (d == null) return "";
            for (SyncDaemon.Role r : SyncDaemon.Role.values()) {
                SyncStatus s = d.status(r);
                if (s != null) out.append(s.describe()).append('\n');
            }
            return out.toString();
        }

        static String status(SyncDaemon d, SyncDaemon.Role only) {
            StringBuilder out = new StringBuilder();
            for (SyncDaemon.Role r : SyncDaemon.Role.values()) {
                if (only != null && r != only) continue;
                SyncStatus s = d.status(r);
                if (s == null) {
                    out.append(r.label()).append(" sync daemon: not configured\n");
                    continue;
                }
                out.append(s.describe()).append('\n');
                out.append("  state: ").append(s.state()).append('\n');
                for (Map.Entry<String, Long> c : s.counters().entrySet()) {
                    out.append("  ").append(c.getKey()).append(' ').append(c.getValue()).append('\n');
                }
                SyncStatus.ResyncReport rr = s.lastResync();
                out.append("  last resync: ").append(rr == null ? "none"
                        : rr.peer() + ", " + rr.entries() + " entries in " + rr.durationMillis() + " ms, "
                        + rr.result() + ", at " + java.time.Instant.ofEpochMilli(rr.startedMillis())).append('\n');
            }
            return out.toString();
        }
    }
}
