package org.jlvs.config.internal.commands;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.jlvs.api.HealthMonitor;
import org.jlvs.api.LvsException;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.VirtualServerTable;
import org.jlvs.config.internal.ConfigException;
import org.jlvs.config.internal.HealthImport;
import org.jlvs.config.internal.KeepalivedConf;
import org.jlvs.config.internal.KeepalivedImport;
import org.jlvs.config.internal.KeepalivedSource;
import org.jlvs.config.internal.KeepalivedSyncDaemon;
import org.jlvs.config.internal.SyncConfigWriter;
import org.jlvs.config.internal.KeepalivedVrrp;
import org.jlvs.config.internal.VrrpConfigWriter;
import org.osgi.service.cm.ConfigurationAdmin;
import org.jlvs.config.internal.TableUpdate;

@Service
@Command(scope = "lvs", name = "import-keepalived", description = "Makes the virtual services what a keepalived.conf"
        + " says: lvs:import-keepalived [--merge] [--dry-run] FILE. Its virtual_server and real_server settings are"
        + " imported (virtual_server fwmark N as the mark service -f N, whose mark rules lvs:mark-add gives;"
        + " virtual_server group NAME as a mark service and its virtual_server_group's addresses and ranges as"
        + " mark rules; scheduler, flags, persistence, method, weight, thresholds), checked first and applied all or"
        + " nothing, as lvs:restore; with jlvs-healthcheck installed, so are the health checks (TCP_CHECK, HTTP_GET,"
        + " SSL_GET, DNS_CHECK, MISC_CHECK, UDP_CHECK, PING_CHECK), quorum, hysteresis and sorry_server. Everything"
        + " else (unknown keywords) is listed by line as not carried over. Without --merge, services the file does not name are deleted."
        + " vrrp_instance, vrrp_sync_group and vrrp_script blocks become the ha bundle's configurations"
        + " (org.jlvs.vrrp.instance, org.jlvs.vrrp.script); without --merge, instances and scripts the file does not"
        + " name are deleted when it has any VRRP block. lvs_sync_daemon (or lvs_sync_daemon_interface) becomes the sync"
        + " daemons' settings (org.jlvs.sync). The file is read as keepalived reads it: bytes (a Latin-1 comment is a"
        + " comment), include with relative paths and globs; a value keepalived ignores is listed, with FILE:LINE, and"
        + " its default kept.")
public class ImportKeepalivedCommand implements Action {
    @Reference
    VirtualServerTable table;

    /** Optional: without jlvs-healthcheck the checks, sorry servers and quorum are listed as not carried over. */
    @Reference(optional = true)
    HealthMonitor monitor;

    /** Where the VRRP instances and track scripts go (the ha bundle's factory configurations). */
    @Reference(optional = true)
    ConfigurationAdmin cm;

    @Option(name = "--merge", description = "keep the services the file does not name")
    boolean merge;

    @Option(name = "--dry-run", description = "print the changes without making them")
    boolean dryRun;

    @Argument(index = 0, name = "file", required = true, description = "keepalived.conf (a relative name is in the distribution's folder)")
    String file;

    @Override
    public Object execute() throws Exception {
        try {
            KeepalivedConf conf = KeepalivedConf.read(KeepalivedSource.read(ConfigText.path(file)), monitor != null,
                    MarkImport.inUse(table));
            KeepalivedImport.Result result = conf.lvs();
            KeepalivedVrrp.Result vrrp = conf.vrrp();
            KeepalivedSyncDaemon.Result sync = conf.sync();
            if ((!vrrp.empty() || !sync.empty()) && cm == null) {
                throw new CommandException("no Config Admin for the VRRP blocks and the sync daemon");
            }
            Set<ServiceKey> scope = new TreeSet<>(result.services().keySet());
            if (!merge) scope.addAll(org.jlvs.config.internal.ServiceDef.of(table.list()).keySet());
            TableUpdate.Plan plan = TableUpdate.plan(table, Map.copyOf(result.services()), scope);
            // checked in full before anything is written: the services' plan, then the VRRP configurations
            if (dryRun) TableUpdate.check(plan, table.schedulers(), table.forwardMethods());
            List<String> vrrpChanges = VrrpConfigWriter.apply(cm, vrrp, merge, true);
            List<String> syncChanges = SyncConfigWriter.apply(cm, sync, true);
            if (dryRun) {
                for (org.jlvs.api.MarkRule r : result.marks()) System.out.println("add mark rule " + r);
                for (TableUpdate.Op op : plan.ops()) System.out.println(op.describe());
                vrrpChanges.forEach(System.out::println);
                syncChanges.forEach(System.out::println);
                if (monitor != null) HealthImport.describe(result).forEach(System.out::println);
            } else {
                TableUpdate.check(plan, table.schedulers(), table.forwardMethods());
                List<org.jlvs.api.MarkRule> before = table.markRules();
                List<org.jlvs.api.MarkRule> marks = MarkImport.merged(before, result.marks());
                if (!marks.equals(before)) {
                    table.setMarkRules(marks); // checked whole (no overlap with the rules in force): else nothing changes
                    System.out.println("mark rules: " + (marks.size() - before.size()) + " added from the file's"
                            + " virtual_server_group blocks, " + marks.size() + " in force");
                }
                TableUpdate.execute(table, plan);
                if (!vrrp.empty()) {
                    VrrpConfigWriter.apply(cm, vrrp, merge, false);
                    System.out.println("VRRP: " + vrrp.instances().size() + " instances, " + vrrp.scripts().size()
                            + " track scripts (" + (vrrpChanges.isEmpty() ? "unchanged" : String.join(", ", vrrpChanges))
                            + ")");
                }
                if (!sync.empty()) {
                    SyncConfigWriter.apply(cm, sync, false);
                    System.out.println("sync: " + sync.description() + (syncChanges.isEmpty() ? " (unchanged)" : ""));
                }
                if (monitor != null) {
                    List<String> refused = HealthImport.apply(monitor, result);
                    System.out.println("health checks: " + (result.checks().size() - refused.size()) + " added, "
                            + result.quorums().size() + " quorum settings");
                    if (!refused.isEmpty()) {
                        System.out.println("checks refused by the health monitor:");
                        for (String line : refused) System.out.println("  " + line);
                    }
                }
            }
            System.out.println((dryRun ? "would import " : "imported ") + result.services().size() + " virtual servers from "
                    + file + ": " + plan.summary());
            if (!conf.notCarried().isEmpty()) {
                System.out.println("not carried over:");
                for (String line : conf.notCarried()) System.out.println("  " + line);
            }
            System.out.flush();
        } catch (java.nio.file.NoSuchFileException e) {
            throw new CommandException(file + ": no such file (nothing was changed)");
        } catch (ConfigException e) {
            throw new CommandException(e.getMessage() + " (nothing was changed)");
        } catch (LvsException | IllegalArgumentException e) {
            throw new CommandException(file + ": " + e.getMessage() + " (nothing was changed)");
        }
        return null;
    }

}
