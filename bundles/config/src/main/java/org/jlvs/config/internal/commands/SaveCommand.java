package org.jlvs.config.internal.commands;

import java.nio.file.Path;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.CommandException;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.VirtualServerTable;
import org.jlvs.config.internal.IpvsadmRules;
import org.jlvs.config.internal.JsonConfig;
import org.jlvs.config.internal.ServiceDef;

@Service
@Command(scope = "lvs", name = "save", description = "Writes the virtual services and real servers:"
        + " lvs:save [--format json|ipvsadm] [FILE]. JSON (the default) is jlvs's versioned format with every"
        + " setting; ipvsadm is ipvsadm-save's rules (ipvsadm -S -n: no thresholds). Without FILE, to the console;"
        + " a relative FILE is in the distribution's folder.")
public class SaveCommand implements Action {
    @Reference
    VirtualServerTable table;

    @Option(name = "--format", description = "json (default) or ipvsadm")
    String format;

    @Argument(index = 0, name = "file", description = "where to write (replaced at once, never half-written)")
    String file;

    @Override
    public Object execute() throws Exception {
        try {
            Map<ServiceKey, ServiceDef> services = ServiceDef.of(table.list());
            String text = ConfigText.format(format, ConfigText.JSON).equals(ConfigText.JSON)
                    ? JsonConfig.write(services.values(), table.markRules()) : IpvsadmRules.save(services.values());
            if (file == null) {
                System.out.print(text);
            } else {
                Path written = ConfigText.write(file, text);
                System.out.println("saved " + services.size() + " services to " + written);
            }
            System.out.flush();
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        return null;
    }
}
