package org.jlvs.shell.internal.commands.config;

import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.FileCompleter;
import org.jlvs.api.config.KeepalivedImporter;
import org.jlvs.shell.internal.commands.LvsAction;

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
        + " its default kept. Needs jlvs-import-keepalived.")
public class ImportKeepalivedCommand extends LvsAction {
    /** Offered by jlvs-import-keepalived, a migration tool that need not be installed. */
    @Reference(optional = true)
    KeepalivedImporter importer;

    @Option(name = "--merge", description = "keep the services the file does not name")
    boolean merge;

    @Option(name = "--dry-run", description = "print the changes without making them")
    boolean dryRun;

    @Argument(index = 0, name = "file", required = true, description = "keepalived.conf (a relative name is in the distribution's folder)")
    @Completion(FileCompleter.class)
    String file;

    @Override
    protected void run() throws Exception {
        require(importer, "the keepalived import", "jlvs-import-keepalived")
                .importFile(ConfigText.path(file), file, merge, dryRun, out());
        out().flush();
    }
}
