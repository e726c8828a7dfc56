package org.jlvs.shell.internal.commands.service;

import java.io.PrintStream;
import java.util.function.Predicate;

import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.ConnectionTable;
import org.jlvs.api.ServiceKey;
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
     * Prints the title and up to {@code limit} rows, only those of {@code service} when it is not null
     * (port 0 = every port of the address). A note on {@code err} says when the limit cut the listing.
     */
    static void print(ConnectionTable connections, ServiceKey service, long limit, PrintStream out, PrintStream err) {
        print(connections, service, limit, false, out, err);
    }

    /** As {@link #print(ConnectionTable, ServiceKey, long, PrintStream, PrintStream)}, with an origin column. */
    static void print(ConnectionTable connections, ServiceKey service, long limit, boolean origin, PrintStream out,
                      PrintStream err) {
        Predicate<ConnectionInfo> filter = matching(service); // a refused filter prints nothing
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

    static Predicate<ConnectionInfo> matching(ServiceKey service) {
        if (service == null) return c -> true;
        if (service.isFwmark()) { // an entry carries its flow's addresses, not the mark its rules gave it
            throw new IllegalArgumentException("the connections of a mark service (-f) are not filtered: list them"
                    + " all, its template is the IP entry with virtual address " + org.jlvs.api.Ip4.toString(
                    service.fwmark(), 0));
        }
        return c -> c.protocol() == service.protocol() && c.virtualAddress() == service.address()
                && (service.port() == 0 || c.virtualPort() == service.port());
    }
}
