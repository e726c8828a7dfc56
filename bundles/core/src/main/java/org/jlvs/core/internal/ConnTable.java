package org.jlvs.core.internal;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.ConnectionTable;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Protocol;

/**
 * The connection entries, found from the client side (client, VIP) and, for replies that pass the director,
 * from the real-server side (server, client). Lookups probe with a thread's reused key and allocate nothing;
 * entries expire by a sweep once a second.
 *
 * <p>This is the walking-skeleton table: an object per entry in two concurrent hash maps (about 200 bytes
 * per connection). The compact primitive-array table with a timer wheel replaces it behind the same methods.
 */
final class ConnTable implements ConnectionTable {
    private final ConcurrentHashMap<ConnKey, Conn> byClient = new ConcurrentHashMap<>(1 << 16);
    private final ConcurrentHashMap<ConnKey, Conn> byServer = new ConcurrentHashMap<>(1 << 16);
    private final LongSupplier clock;
    private final int[] tcpTimeouts = TcpStates.DEFAULT_TIMEOUTS.clone();
    private volatile int udpTimeout = TcpStates.UDP_TIMEOUT;
    final LongAdder created = new LongAdder();
    final LongAdder expired = new LongAdder();

    /** @param clock nanoseconds, System::nanoTime in production, a settable clock in tests */
    ConnTable(LongSupplier clock) {
        this.clock = clock;
    }

    long now() {
        return clock.getAsLong();
    }

    Conn findByClient(ConnKey.Probe probe) {
        return byClient.get(probe);
    }

    Conn findByServer(ConnKey.Probe probe) {
        return byServer.get(probe);
    }

    /** Adds a new entry bound to its real server; it lives {@link TcpStates#NEW_CONN_TIMEOUT} s until it changes state. */
    Conn add(Conn c) {
        c.noOutput = c.dest.forwardMethod() != ForwardMethod.MASQ;
        c.expiresAtNanos = now() + TcpStates.NEW_CONN_TIMEOUT * 1_000_000_000L;
        Conn previous = byClient.putIfAbsent(c.inKey, c);
        if (previous != null) return previous; // another thread created it first
        if (!c.noOutput) byServer.put(c.outKey, c);
        c.dest.connectionAdded();
        created.increment();
        return c;
    }

    /**
     * Applies one packet to the entry: the TCP state machine (IPVS's transitions and active/inactive
     * accounting) and the entry's new expiry time.
     *
     * @param dir {@link TcpStates#DIR_INPUT} for client packets, {@link TcpStates#DIR_OUTPUT} for replies
     */
    void update(Conn c, int dir, int tcpFlags) {
        long now = now();
        synchronized (c) {
            if (c.expired) return;
            if (c.protocol == Protocol.TCP.number()) {
                int table = dir;
                if (c.noOutput) {
                    if (dir == TcpStates.DIR_OUTPUT) c.noOutput = false;
                    else table = TcpStates.DIR_INPUT_ONLY;
                }
                int next = TcpStates.next(c.state, table, tcpFlags);
                if (next != c.state) {
                    boolean active = TcpStates.isActive(next);
                    if (!c.inactive && !active) {
                        c.dest.becameInactive();
                        c.inactive = true;
                    } else if (c.inactive && active) {
                        c.dest.becameActive();
                        c.inactive = false;
                    }
                    c.state = next;
                }
                c.timeoutSeconds = tcpTimeouts[next];
            } else {
                c.timeoutSeconds = udpTimeout;
            }
            c.expiresAtNanos = now + c.timeoutSeconds * 1_000_000_000L;
        }
    }

    /** Removes an entry now (expiry, or a reused port); safe to call twice. */
    void remove(Conn c) {
        synchronized (c) {
            if (c.expired) return;
            c.expired = true;
        }
        byClient.remove(c.inKey, c);
        byServer.remove(c.outKey, c);
        c.dest.connectionRemoved(c.inactive);
        expired.increment();
    }

    /** Expires every entry whose time is up; returns how many. */
    int sweep() {
        long now = now();
        int removed = 0;
        for (Iterator<Conn> it = byClient.values().iterator(); it.hasNext(); ) {
            Conn c = it.next();
            if (now - c.expiresAtNanos >= 0) {
                remove(c);
                removed++;
            }
        }
        return removed;
    }

    /** Drops every entry (the table is being shut down). */
    void clear() {
        for (Conn c : byClient.values()) remove(c);
    }

    @Override
    public long size() {
        return byClient.size();
    }

    @Override
    public long forEach(Predicate<ConnectionInfo> filter, long limit, Consumer<ConnectionInfo> sink) {
        long now = now();
        long passed = 0;
        for (Conn c : byClient.values()) {
            if (passed >= limit) break;
            ConnectionInfo info = new ConnectionInfo(Protocol.of(c.protocol), c.stateName(),
                    Math.max(0, (c.expiresAtNanos - now) / 1_000_000), c.clientAddress, c.clientPort,
                    c.virtualAddress, c.virtualPort, c.dest.address(), c.destPort());
            if (filter == null || filter.test(info)) {
                sink.accept(info);
                passed++;
            }
        }
        return passed;
    }

    @Override
    public int[] timeouts() {
        return new int[] {tcpTimeouts[TcpStates.ESTABLISHED], tcpTimeouts[TcpStates.FIN_WAIT], udpTimeout};
    }

    /** ipvsadm --set: ESTABLISHED, FIN_WAIT and UDP; 0 keeps a value. */
    @Override
    public void setTimeouts(int tcp, int tcpFin, int udp) {
        if (tcp < 0 || tcpFin < 0 || udp < 0) throw new IllegalArgumentException("timeouts must not be negative");
        if (tcp > 0) tcpTimeouts[TcpStates.ESTABLISHED] = tcp;
        if (tcpFin > 0) tcpTimeouts[TcpStates.FIN_WAIT] = tcpFin;
        if (udp > 0) udpTimeout = udp;
    }

    int tcpTimeout(int state) {
        return tcpTimeouts[state];
    }
}
