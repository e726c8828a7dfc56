package org.jlvs.shell.internal.commands.service;

import java.io.PrintStream;
import java.util.List;
import java.util.function.Predicate;

import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.ConnectionTable;
import org.jlvs.api.MarkRule;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.VirtualServerTable;
import org.jlvs.ipvsadm.IpvsadmFormat;
import org.jlvs.ipvsadm.IpvsadmOptions;

/** Streams connection entries in ipvsadm's -L -n -c layout, row by row, never holding the whole table. */
final class ConnectionPrinter {
    private ConnectionPrinter() {}

    static final long DEFAULT_LIMIT = 1000;

    /** "--limit N": 0 = all entries. */
    static long limit(String text) {
        if (text == null) return DEFAULT_LIMIT;
        long limit = IpvsadmOptions.number(text, 0, Long.MAX_VALUE, "limit");
        return limit == 0 ? Long.MAX_VALUE : limit;
    }

    /**
     * Prints the title and up to {@code limit} rows that pass {@code filter} ({@link #matching}). A note on
     * {@code err} says when the limit cut the listing.
     */
    static void print(ConnectionTable connections, Predicate<ConnectionInfo> filter, long limit, PrintStream out,
                      PrintStream err) {
        print(connections, filter, limit, false, out, err);
    }

    /** As {@link #print(ConnectionTable, Predicate, long, PrintStream, PrintStream)}, with an origin column. */
    static void print(ConnectionTable connections, Predicate<ConnectionInfo> filter, long limit, boolean origin,
                      PrintStream out, PrintStream err) {
        require(connections);
        out.print(IpvsadmFormat.connectionsTitle(origin));
        long shown = connections.forEach(filter, limit,
                c -> out.print(IpvsadmFormat.connection(c, origin) + "\n"));
        out.flush();
        if (shown >= limit && connections.size() > shown) {
            err.println("(listing stopped after " + shown + " entries; the table holds " + connections.size()
                    + ": use --limit N, 0 for all)");
        }
    }

    /** The table, or a one-line refusal when the core is not running. */
    static ConnectionTable require(ConnectionTable connections) {
        if (connections == null) {
            throw new IllegalArgumentException("the connection table is not available (is the jlvs-core feature running?)");
        }
        return connections;
    }

    /** ipvsadm -L --timeout. */
    static String timeouts(ConnectionTable connections) {
        int[] t = require(connections).timeouts();
        return "Timeout (tcp tcpfin udp): " + t[0] + " " + t[1] + " " + t[2] + "\n";
    }

    /** The entries of {@code service} (all when null); a mark service's by the mark rules {@code table} has now. */
    static Predicate<ConnectionInfo> matching(ServiceKey service, VirtualServerTable table) {
        return matching(service, service != null && service.isFwmark() ? table.markRules() : List.of());
    }

    /**
     * The entries of {@code service}, all when it is null (port 0 = every port of the address). A mark service's
     * are its templates (protocol IP, the mark as virtual address) and the connections its mark's rules cover
     * ({@code rules}: the rules in force now; a flow of a covered address and port goes to the mark's service
     * first, as in IPVS).
     */
    static Predicate<ConnectionInfo> matching(ServiceKey service, List<MarkRule> rules) {
        if (service == null) return c -> true;
        if (service.isFwmark()) {
            int mark = service.fwmark();
            List<MarkRule> own = rules.stream().filter(r -> r.mark() == mark).toList();
            return c -> c.protocol() == null ? c.virtualAddress() == mark
                    : own.stream().anyMatch(r -> r.matches(c.protocol().number(), c.virtualAddress(), c.virtualPort()));
        }
        if (service.isIpv6()) {
            return c -> c.protocol() == service.protocol() && service.address6().equals(c.virtual6())
                    && (service.port() == 0 || c.virtualPort() == service.port());
        }
        return c -> c.protocol() == service.protocol() && !c.isIpv6() && c.virtualAddress() == service.address()
                && (service.port() == 0 || c.virtualPort() == service.port());
    }
}
