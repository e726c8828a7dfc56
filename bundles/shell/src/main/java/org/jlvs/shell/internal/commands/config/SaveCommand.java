package org.jlvs.shell.internal.commands.config;

import java.nio.file.Path;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.jlvs.api.config.ConfigArchive;
import org.jlvs.shell.internal.commands.LvsAction;

@Service
@Command(scope = "lvs", name = "save", description = "Writes the virtual services and real servers:"
        + " lvs:save [--format json|ipvsadm] [FILE]. JSON (the default) is jlvs's versioned format with every"
        + " setting; ipvsadm is ipvsadm-save's rules (ipvsadm -S -n: no thresholds). Without FILE, to the console;"
        + " a relative FILE is in the distribution's folder. Needs jlvs-config.")
public class SaveCommand extends LvsAction {
    @Reference(optional = true)
    ConfigArchive archive;

    @Option(name = "--format", description = "json (default) or ipvsadm")
    String format;

    @Argument(index = 0, name = "file", description = "where to write (replaced at once, never half-written)")
    @Completion(FileCompleter.class)
    String file;

    @Override
    protected void run() throws Exception {
        ConfigArchive archive = require(this.archive, "the configuration", "jlvs-config");
        ConfigArchive.Format kind = format == null ? ConfigArchive.Format.JSON : ConfigArchive.Format.parse(format);
        int size = archive.size();
        String text = archive.save(kind);
        if (file == null) {
            out().print(text);
        } else {
            Path written = ConfigText.write(file, text);
            out().println("saved " + size + " services to " + written);
        }
        out().flush();
    }
}
