package org.jlvs.shell.internal.commands;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.support.CommandException;
import org.jlvs.api.LvsException;
import org.jlvs.api.VirtualServerTable;

/**
 * Base of every lvs:* command. A refused input or change ends the command with a Karaf CommandException that
 * carries one line: Karaf prints it as "Error executing command: MESSAGE", logs it at debug level only (no
 * stack trace in karaf.log for a typo) and {@code bin/client} exits non-zero. Nothing is changed before all
 * input has been checked, and the table itself applies a change completely or not at all.
 *
 * <p>Every other service a command uses is an optional reference (the health monitor, the configuration, the
 * importer, sync, VRRP may not be installed): Karaf registers no command of this bundle while a mandatory one
 * is missing. {@link #require} turns an absent one into a line that says what to install.
 */
public abstract class LvsAction implements Action {
    @Reference
    public VirtualServerTable table;

    /** Where the output goes; null = System.out / System.err, which Karaf routes to the calling session. */
    public PrintStream out;
    public PrintStream err;

    @Override
    public final Object execute() throws Exception {
        try {
            run();
        } catch (LvsException | IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
        return null; // a returned value would be printed by the shell
    }

    /** The command's work; LvsException and IllegalArgumentException become one-line errors. */
    protected abstract void run() throws Exception;

    protected PrintStream out() {
        return out != null ? out : System.out;
    }

    protected PrintStream err() {
        return err != null ? err : System.err;
    }

    /** A refusal with a message for the operator. */
    public static IllegalArgumentException refuse(String message) {
        return new IllegalArgumentException(message);
    }

    /** An optional service, or a refusal naming what provides it ("the health monitor", "jlvs-healthcheck"). */
    public static <T> T require(T service, String what, String feature) {
        if (service == null) throw refuse(what + " is not available (feature:install " + feature + ")");
        return service;
    }
}
