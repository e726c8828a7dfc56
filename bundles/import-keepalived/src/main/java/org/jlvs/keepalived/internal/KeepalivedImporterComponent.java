package org.jlvs.keepalived.internal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jlvs.api.HealthMonitor;
import org.jlvs.api.LvsException;
import org.jlvs.api.MarkRule;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.VirtualServerTable;
import org.jlvs.api.config.KeepalivedImporter;
import org.jlvs.ipvsadm.ConfigException;
import org.jlvs.ipvsadm.ServiceDef;
import org.jlvs.ipvsadm.TableUpdate;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * lvs:import-keepalived's work: the file read as keepalived reads it, the services' plan checked in full, then
 * the VRRP and sync configurations, then the table changed, then the health checks given to the monitor.
 */
@Component(service = KeepalivedImporter.class)
public class KeepalivedImporterComponent implements KeepalivedImporter {
    private final VirtualServerTable table;

    /** Optional: without jlvs-healthcheck the checks, sorry servers and quorum are listed as not carried over. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile HealthMonitor monitor;

    /** Where the VRRP instances and track scripts go (the ha bundle's factory configurations). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ConfigurationAdmin cm;

    @Activate
    public KeepalivedImporterComponent(@Reference VirtualServerTable table) {
        this.table = table;
    }

    @Override
    public void importFile(Path path, String file, boolean merge, boolean dryRun, PrintStream out) throws IOException {
        HealthMonitor monitor = this.monitor;
        ConfigurationAdmin cm = this.cm;
        try {
            KeepalivedConf conf = KeepalivedConf.read(KeepalivedSource.read(path), monitor != null,
                    MarkImport.inUse(table));
            KeepalivedImport.Result result = conf.lvs();
            KeepalivedVrrp.Result vrrp = conf.vrrp();
            KeepalivedSyncDaemon.Result sync = conf.sync();
            if ((!vrrp.empty() || !sync.empty()) && cm == null) {
                throw new NoConfigAdmin("no Config Admin for the VRRP blocks and the sync daemon");
            }
            Set<ServiceKey> scope = new TreeSet<>(result.services().keySet());
            if (!merge) scope.addAll(ServiceDef.of(table.list()).keySet());
            TableUpdate.Plan plan = TableUpdate.plan(table, Map.copyOf(result.services()), scope);
            // checked in full before anything is written: the services' plan, then the VRRP configurations
            if (dryRun) TableUpdate.check(plan, table.schedulers(), table.forwardMethods());
            List<String> vrrpChanges = VrrpConfigWriter.apply(cm, vrrp, merge, true);
            List<String> syncChanges = SyncConfigWriter.apply(cm, sync, true);
            if (dryRun) {
                for (MarkRule r : result.marks()) out.println("add mark rule " + r);
                for (TableUpdate.Op op : plan.ops()) out.println(op.describe());
                vrrpChanges.forEach(out::println);
                syncChanges.forEach(out::println);
                if (monitor != null) HealthImport.describe(result).forEach(out::println);
            } else {
                TableUpdate.check(plan, table.schedulers(), table.forwardMethods());
                List<MarkRule> before = table.markRules();
                List<MarkRule> marks = MarkImport.merged(before, result.marks());
                if (!marks.equals(before)) {
                    table.setMarkRules(marks); // checked whole (no overlap with the rules in force): else nothing changes
                    out.println("mark rules: " + (marks.size() - before.size()) + " added from the file's"
                            + " virtual_server_group blocks, " + marks.size() + " in force");
                }
                TableUpdate.execute(table, plan);
                if (!vrrp.empty()) {
                    VrrpConfigWriter.apply(cm, vrrp, merge, false);
                    out.println("VRRP: " + vrrp.instances().size() + " instances, " + vrrp.scripts().size()
                            + " track scripts (" + (vrrpChanges.isEmpty() ? "unchanged" : String.join(", ", vrrpChanges))
                            + ")");
                }
                if (!sync.empty()) {
                    SyncConfigWriter.apply(cm, sync, false);
                    out.println("sync: " + sync.description() + (syncChanges.isEmpty() ? " (unchanged)" : ""));
                }
                if (monitor != null) {
                    List<String> refused = HealthImport.apply(monitor, result);
                    out.println("health checks: " + (result.checks().size() - refused.size()) + " added, "
                            + result.quorums().size() + " quorum settings");
                    if (!refused.isEmpty()) {
                        out.println("checks refused by the health monitor:");
                        for (String line : refused) out.println("  " + line);
                    }
                }
            }
            out.println((dryRun ? "would import " : "imported ") + result.services().size() + " virtual servers from "
                    + file + ": " + plan.summary());
            if (!conf.notCarried().isEmpty()) {
                out.println("not carried over:");
                for (String line : conf.notCarried()) out.println("  " + line);
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(file + ": no such file (nothing was changed)");
        } catch (NoConfigAdmin e) {
            throw new IllegalArgumentException(e.getMessage());
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage() + " (nothing was changed)");
        } catch (LvsException | IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage() + " (nothing was changed)");
        }
    }

    /** The file has VRRP or sync blocks and there is no Config Admin to write them to: said as it is. */
    private static final class NoConfigAdmin extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoConfigAdmin(String message) {
            super(message);
        }
    }
}
