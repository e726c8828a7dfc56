package org.jlvs.config.internal.commands;

import java.util.Collection;
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
import org.jlvs.api.LvsException;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.VirtualServerTable;
import org.jlvs.config.internal.ConfigException;
import org.jlvs.config.internal.IpvsadmModel;
import org.jlvs.config.internal.IpvsadmRules;
import org.jlvs.config.internal.JsonConfig;
import org.jlvs.config.internal.ServiceDef;
import org.jlvs.config.internal.TableUpdate;

@Service
@Command(scope = "lvs", name = "restore", description = "Makes the table what a saved configuration says:"
        + " lvs:restore [--format json|ipvsadm] [--merge] [--dry-run] [FILE]. Everything is checked first and"
        + " applied all or nothing; services that already match are not touched and changed ones are edited in"
        + " place (their connections continue). Without --merge, services absent from the file are deleted (as"
        + " ipvsadm-restore's -C); with it, they stay and ipvsadm rules apply to the current table (as ipvsadm -R)."
        + " The format is found from the text when not given. Without FILE, from the console's input.")
public class RestoreCommand implements Action {
    @Reference
    VirtualServerTable table;

    @Option(name = "--format", description = "json or ipvsadm (default: found from the text)")
    String format;

    @Option(name = "--merge", description = "keep the services the file does not name")
    boolean merge;

    @Option(name = "--dry-run", description = "print the changes without making them")
    boolean dryRun;

    @Argument(index = 0, name = "file", description = "what to restore (a relative name is in the distribution's folder)")
    String file;

    @Override
    public Object execute() throws Exception {
        String source = file == null ? "the input" : file;
        try {
            String text = ConfigText.read(file, System.in);
            String kind = ConfigText.format(format, ConfigText.detect(text));
            Map<ServiceKey, ServiceDef> current = ServiceDef.of(table.list());
            Map<ServiceKey, ServiceDef> target;
            Collection<ServiceKey> scope;
            java.util.List<org.jlvs.api.MarkRule> marks = null; // null: the text does not say (ipvsadm rules)
            if (kind.equals(ConfigText.JSON)) {
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
                for (TableUpdate.Op op : plan.ops()) System.out.println(op.describe());
                System.out.println("would restore from " + source + ": " + plan.summary());
            } else {
                TableUpdate.check(plan, table.schedulers(), table.forwardMethods());
                if (marks != null && !marks.equals(table.markRules())) {
                    table.setMarkRules(marks); // checked whole by the table: refused, it changes nothing
                    System.out.println("mark rules: " + marks.size());
                }
                TableUpdate.execute(table, plan);
                System.out.println("restored from " + source + ": " + plan.summary());
            }
            System.out.flush();
        } catch (ConfigException e) {
            throw new CommandException(e.in(source).getMessage() + " (nothing was changed)");
        } catch (LvsException | IllegalArgumentException e) {
            throw new CommandException(source + ": " + e.getMessage() + " (nothing was changed)");
        }
        return null;
    }

    private static Set<ServiceKey> union(Set<ServiceKey> a, Set<ServiceKey> b) {
        Set<ServiceKey> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
