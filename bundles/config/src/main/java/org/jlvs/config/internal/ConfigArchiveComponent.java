package org.jlvs.config.internal;

import java.io.PrintStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.jlvs.api.LvsException;
import org.jlvs.api.MarkRule;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.VirtualServerTable;
import org.jlvs.api.config.ConfigArchive;
import org.jlvs.ipvsadm.ConfigException;
import org.jlvs.ipvsadm.IpvsadmModel;
import org.jlvs.ipvsadm.IpvsadmRules;
import org.jlvs.ipvsadm.ServiceDef;
import org.jlvs.ipvsadm.TableUpdate;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** lvs:save and lvs:restore's work: the table as jlvs's JSON document or ipvsadm's rules, and back. */
@Component(service = ConfigArchive.class)
public class ConfigArchiveComponent implements ConfigArchive {
    private final VirtualServerTable table;

    @Activate
    public ConfigArchiveComponent(@Reference VirtualServerTable table) {
        this.table = table;
    }

    @Override
    public String save(Format format) {
        Collection<ServiceDef> services = ServiceDef.of(table.list()).values();
        return format == Format.JSON ? JsonConfig.write(services, table.markRules()) : IpvsadmRules.save(services);
    }

    @Override
    public int size() {
        return table.list().size();
    }

    @Override
    public void restore(String text, Format format, String source, boolean merge, boolean dryRun, PrintStream out) {
        try {
            Map<ServiceKey, ServiceDef> current = ServiceDef.of(table.list());
            Map<ServiceKey, ServiceDef> target;
            Collection<ServiceKey> scope;
            List<MarkRule> marks = null; // null: the text does not say (ipvsadm's rules have no mark rules)
            if ((format != null ? format : Format.of(text)) == Format.JSON) {
                target = JsonConfig.read(text);
                marks = JsonConfig.readMarks(text);
                scope = merge ? target.keySet() : union(current.keySet(), target.keySet());
            } else {
                IpvsadmModel model = new IpvsadmModel(merge ? current : Map.of(), table.schedulers(), table.forwardMethods());
                IpvsadmRules.restore(text, model);
                target = model.services();
                scope = merge ? model.touched() : union(current.keySet(), target.keySet());
            }
            TableUpdate.Plan plan = TableUpdate.plan(table, target, scope);
            if (dryRun) {
                TableUpdate.check(plan, table.schedulers(), table.forwardMethods());
                for (TableUpdate.Op op : plan.ops()) out.println(op.describe());
                out.println("would restore from " + source + ": " + plan.summary());
            } else {
                TableUpdate.check(plan, table.schedulers(), table.forwardMethods());
                if (marks != null && !marks.equals(table.markRules())) {
                    table.setMarkRules(marks); // checked whole by the table: refused, it changes nothing
                    out.println("mark rules: " + marks.size());
                }
                TableUpdate.execute(table, plan);
                out.println("restored from " + source + ": " + plan.summary());
            }
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.in(source).getMessage() + " (nothing was changed)");
        } catch (LvsException | IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage() + " (nothing was changed)");
        }
    }

    private static Set<ServiceKey> union(Set<ServiceKey> a, Set<ServiceKey> b) {
        Set<ServiceKey> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
