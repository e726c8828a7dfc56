package org.jlvs.api.fake;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.ConnectionTable;

/** A ConnectionTable over a list a test fills, with the core's default timeouts (900, 120, 300 s). */
public class FakeConnectionTable implements ConnectionTable {
    public final List<ConnectionInfo> entries = new ArrayList<>();
    /** The limit of the last forEach call (a listing must not ask for everything to show a few). */
    public long askedLimit = -1;
    private final int[] timeouts = {900, 120, 300};

    public FakeConnectionTable() {
    }

    public FakeConnectionTable(List<ConnectionInfo> entries) {
        this.entries.addAll(entries);
    }

    @Override
    public synchronized long size() {
        return entries.size();
    }

    @Override
    public synchronized long forEach(Predicate<ConnectionInfo> filter, long limit, Consumer<ConnectionInfo> sink) {
        askedLimit = limit;
        long passed = 0;
        for (ConnectionInfo c : entries) {
            if (passed >= limit) break;
            if (filter.test(c)) {
                sink.accept(c);
                passed++;
            }
        }
        return passed;
    }

    @Override
    public synchronized int[] timeouts() {
        return timeouts.clone();
    }

    /** As the core does: 0 keeps a value. */
    @Override
    public synchronized void setTimeouts(int tcp, int tcpFin, int udp) {
        if (tcp > 0) timeouts[0] = tcp;
        if (tcpFin > 0) timeouts[1] = tcpFin;
        if (udp > 0) timeouts[2] = udp;
    }
}
