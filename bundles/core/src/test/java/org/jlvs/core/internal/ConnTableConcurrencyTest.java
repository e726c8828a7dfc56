package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.junit.jupiter.api.Test;

/**
 * Receive threads creating, updating, looking up (both sides) and reusing connections of the same clients
 * while the maintenance thread expires them on a fast clock and a shell lists them: afterwards every count
 * agrees with what the table holds, and everything can be found from both sides.
 *
 * <p>Driven by operation counts, never by wall-clock time: each client thread does {@value #OPERATIONS}
 * operations, and the table's clock moves one tick per {@value #OPERATIONS_PER_TICK} of them (advanced by the
 * maintenance thread, which expires as it goes), so a slow machine runs the same test, only longer.
 */
class ConnTableConcurrencyTest {
    private static final int SYN = 2, FIN = 1, ACK = 16, RST = 4;
    private static final int VIP = Ip4.parse("10.0.0.1");
    private static final int CLIENTS = 64, PORTS = 512;
    private static final int OPERATIONS = 300_000, OPERATIONS_PER_TICK = 500;

    private final AtomicLong clock = new AtomicLong();
    private final ConnTable table = new ConnTable(clock::get, 30_000); // smaller than the key space: evictions
    private final Service service = new Service(ServiceConfig.of(new ServiceKey(Protocol.TCP, VIP, 80), "rr"));
    private final Dest[] dests = {
        new Dest(ServerConfig.of(Ip4.parse("10.0.1.1"), 8080, ForwardMethod.MASQ, 1)),
        new Dest(ServerConfig.of(Ip4.parse("10.0.1.2"), 0, ForwardMethod.MASQ, 1)),
        new Dest(ServerConfig.of(Ip4.parse("10.0.1.3"), 80, ForwardMethod.ROUTE, 1)),
    };
    private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    /** Client operations done so far: the table's time is derived from it. */
    private final AtomicLong operations = new AtomicLong();

    @Test
    void countsAndIndexesStayConsistentUnderConcurrentUse() throws Exception {
        List<Thread> clients = List.of(thread("client-1", () -> clientSide(1)), thread("client-2", () -> clientSide(2)));
        List<Thread> others = new ArrayList<>();
        others.add(thread("server", this::serverSide));
        others.add(thread("maintenance", () -> {
            long ticks = 0;
            while (!stop.get()) {
                // 1/8 s of table time per OPERATIONS_PER_TICK client operations: 150 s in all, so entries expire
                long due = operations.get() / OPERATIONS_PER_TICK;
                if (ticks < due) {
                    clock.addAndGet((due - ticks) * ConnTable.TICK_NANOS);
                    ticks = due;
                    table.expire();
                } else {
                    LockSupport.parkNanos(50_000);
                }
            }
        }));
        others.add(thread("shell", () -> {
            while (!stop.get()) table.forEach(i -> i.clientPort() % 7 == 0, 1000, i -> { });
        }));
        clients.forEach(Thread::start);
        others.forEach(Thread::start);
        for (Thread t : clients) t.join(); // they end after their operations, or at the first failure
        stop.set(true);
        for (Thread t : others) t.join();
        if (!failures.isEmpty()) throw new AssertionError("a thread failed", failures.peek());

        List<ConnectionInfo> listed = new ArrayList<>();
        table.forEach(null, Long.MAX_VALUE, listed::add);
        assertEquals(table.size(), listed.size());
        assertTrue(table.created.sum() > 10_000, "enough traffic: " + table.created.sum());
        assertTrue(table.evicted.sum() > 0, "the table filled up");
        assertEquals(table.created.sum() - table.expired.sum() - table.evicted.sum(), table.size());
        int active = 0, inactive = 0;
        for (Dest d : dests) {
            active += d.activeConns();
            inactive += d.inactiveConns();
        }
        assertEquals(table.size(), active + inactive, "servers' counts match the entries");
        Conn found = new Conn();
        ConnKey.Probe probe = new ConnKey.Probe();
        for (ConnectionInfo i : listed) {
            probe.set(6, i.clientAddress(), i.clientPort(), i.virtualAddress(), i.virtualPort());
            assertTrue(table.findByClient(probe, found));
            if (found.dest.forwardMethod() == ForwardMethod.MASQ) {
                probe.set(6, i.serverAddress(), i.serverPort(), i.clientAddress(), i.clientPort());
                assertTrue(table.findByServer(probe, found));
                assertEquals(i.clientPort(), found.clientPort);
            }
        }

        clock.addAndGet(2_000 * 1_000_000_000L);
        table.expire();
        assertEquals(0, table.size());
        for (Dest d : dests) assertEquals(0, d.activeConns() + d.inactiveConns());
        assertEquals(0, table.destIds());
    }

    /** Two of these share the clients: both create, advance and reuse the same connections. */
    private void clientSide(int seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Conn c = new Conn();
        ConnKey.Probe probe = new ConnKey.Probe();
        for (int n = 0; n < OPERATIONS && !stop.get(); n++, operations.incrementAndGet()) {
            int client = Ip4.parse("10.1.0.0") + random.nextInt(CLIENTS);
            int port = 1024 + random.nextInt(PORTS);
            probe.set(6, client, port, VIP, 80);
            if (table.findByClient(probe, c)) {
                if (c.state == TcpStates.TIME_WAIT || c.state == TcpStates.CLOSE) {
                    table.remove(c); // a new SYN on a closing entry: reuse
                } else {
                    table.update(c, TcpStates.DIR_INPUT, random.nextInt(4) == 0 ? FIN | ACK : ACK);
                }
            } else {
                c.set(6, client, port, VIP, 80, dests[random.nextInt(dests.length)], service, null, client);
                if (table.add(c)) table.update(c, TcpStates.DIR_INPUT, SYN);
            }
        }
    }

    /** Replies of NAT connections, found from the real-server side. */
    private void serverSide() {
        SplittableRandom random = new SplittableRandom(3);
        Conn c = new Conn();
        ConnKey.Probe probe = new ConnKey.Probe();
        int[] flags = {SYN | ACK, ACK, FIN | ACK, RST};
        while (!stop.get()) {
            int client = Ip4.parse("10.1.0.0") + random.nextInt(CLIENTS);
            int port = 1024 + random.nextInt(PORTS);
            Dest d = dests[random.nextInt(2)];
            probe.set(6, d.address(), d.port() == 0 ? 80 : d.port(), client, port);
            if (table.findByServer(probe, c)) {
                if (c.clientAddress != client || c.clientPort != port || c.dest != d) {
                    throw new AssertionError("found another connection");
                }
                table.update(c, TcpStates.DIR_OUTPUT, flags[random.nextInt(flags.length)]);
            }
        }
    }

    private Thread thread(String name, Runnable body) {
        return new Thread(() -> {
            try {
                body.run();
            } catch (Throwable t) {
                failures.add(t);
                stop.set(true);
            }
        }, name);
    }
}
