package org.jlvs.api.config;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Makes the director what a keepalived.conf says (lvs:import-keepalived): its virtual and real servers, with
 * jlvs-healthcheck their checks and quorum settings, its VRRP blocks and its sync daemon. Offered by
 * jlvs-import-keepalived, a migration tool.
 */
@ProviderType
public interface KeepalivedImporter {
    /**
     * Imports {@code file} ({@code name} is how it is named to the operator). Without {@code merge}, services
     * (and VRRP instances and scripts, when the file has any) that the file does not name are deleted. Prints
     * the changes (with {@code dryRun}, without making them), a summary and what was not carried over on
     * {@code out}. What cannot be imported throws IllegalArgumentException with the reason and FILE:LINE, and
     * nothing is changed.
     */
    void importFile(Path file, String name, boolean merge, boolean dryRun, PrintStream out) throws IOException;
}
