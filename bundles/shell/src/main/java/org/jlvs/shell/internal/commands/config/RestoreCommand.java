package org.jlvs.shell.internal.commands.config;

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
@Command(scope = "lvs", name = "restore", description = "Makes the table what a saved configuration says:"
        + " lvs:restore [--format json|ipvsadm] [--merge] [--dry-run] [FILE]. Everything is checked first and"
        + " applied all or nothing; services that already match are not touched and changed ones are edited in"
        + " place (their connections continue). Without --merge, services absent from the file are deleted (as"
        + " ipvsadm-restore's -C); with it, they stay and ipvsadm rules apply to the current table (as ipvsadm -R)."
        + " The format is found from the text when not given. Without FILE, from the console's input. Needs jlvs-config.")
public class RestoreCommand extends LvsAction {
    @Reference(optional = true)
    ConfigArchive archive;

    @Option(name = "--format", description = "json or ipvsadm (default: found from the text)")
    String format;

    @Option(name = "--merge", description = "keep the services the file does not name")
    boolean merge;

    @Option(name = "--dry-run", description = "print the changes without making them")
    boolean dryRun;

    @Argument(index = 0, name = "file", description = "what to restore (a relative name is in the distribution's folder)")
    @Completion(FileCompleter.class)
    String file;

    @Override
    protected void run() throws Exception {
        ConfigArchive archive = require(this.archive, "the configuration", "jlvs-config");
        String source = file == null ? "the input" : file;
        String text = ConfigText.read(file, System.in);
        ConfigArchive.Format kind;
        try {
            kind = format == null ? ConfigArchive.Format.of(text) : ConfigArchive.Format.parse(format);
        } catch (IllegalArgumentException e) {
            throw refuse(source + ": " + e.getMessage() + " (nothing was changed)");
        }
        archive.restore(text, kind, source, merge, dryRun, out());
        out().flush();
    }
}
