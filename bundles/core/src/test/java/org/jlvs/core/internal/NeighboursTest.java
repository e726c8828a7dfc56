package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.jlvs.api.Ip4;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The neighbour table's client entries stay bounded and go away; route entries stay. A controlled clock. */
class NeighboursTest {
    private static final long REFRESH = 30_000_000_000L;
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final Neighbours n = new Neighbours("eth0", Path.of("/nonexistent/arp"), clock::get);

    private static int client(int i) {
        return Ip4.parse("10.1.0.0") + i;
    }

    private boolean asked(int address) {
        return n.upkeep(REFRESH).stream().anyMatch(e -> e.address == address);
    }

    @Test
    void aClientIsPrimedOnceAndCounted() {
        assertNotNull(n.prime(client(1)), "new: its MAC is to be asked for");
        assertNull(n.prime(client(1)), "known: nothing to ask");
        assertEquals(1, n.clients());
    }

    @Test
    void atTheCapTheLeastRecentlyNamedClientMakesRoom() {
        for (int i = 0; i < Neighbours.MAX_PRIMED; i++) {
            clock.addAndGet(1);
            n.prime(client(i));
        }
        clock.addAndGet(1);
        n.prime(client(0)); // named again: client 1 is now the least recently named
        clock.addAndGet(1);
        assertNotNull(n.prime(client(Neighbours.MAX_PRIMED)), "priming goes on at the cap");
        assertEquals(Neighbours.MAX_PRIMED, n.clients());
        assertNotNull(n.prime(client(1)), "client 1 was dropped to make room (so it is new again)");
        assertNull(n.prime(client(0)), "client 0 stayed");
    }

    @Test
    void anIdleClientIsDropped() {
        Neighbours.Entry e = n.prime(client(1));
        n.learn(client(1), 0x020000000001L);
        clock.addAndGet(Neighbours.PRIMED_IDLE_NANOS / 2);
        n.forClient(client(1)); // a reply toward it: used
        clock.addAndGet(Neighbours.PRIMED_IDLE_NANOS / 2 + 1);
        n.upkeep(REFRESH);
        assertEquals(1, n.clients(), "used half an idle time ago: kept");
        clock.addAndGet(Neighbours.PRIMED_IDLE_NANOS);
        n.upkeep(REFRESH);
        assertEquals(0, n.clients(), "not named for the idle time: dropped");
        assertTrue(e != n.forClient(client(1)), "a later reply makes a new entry");
    }

    @Test
    void aClientThatNeverAnswersIsAskedAFewTimesThenDropped() {
        n.prime(client(1));
        for (int i = 0; i < Neighbours.MAX_UNANSWERED; i++) {
            assertTrue(asked(client(1)), "attempt " + (i + 1));
        }
        assertFalse(asked(client(1)), "dropped after " + Neighbours.MAX_UNANSWERED + " unanswered requests");
        assertEquals(0, n.clients());
    }

    @Test
    void anAnswerResetsTheAttempts() {
        n.prime(client(1));
        asked(client(1));
        asked(client(1));
        n.learn(client(1), 0x020000000001L);
        clock.addAndGet(REFRESH + 1); // stale again: asked, and answered each time
        for (int i = 0; i < 2 * Neighbours.MAX_UNANSWERED; i++) {
            assertTrue(asked(client(1)));
            n.learn(client(1), 0x020000000001L);
            clock.addAndGet(REFRESH + 1);
        }
        assertEquals(1, n.clients());
    }

    @Test
    void routeEntriesStayAndARouteNeedKeepsAClientEntry() {
        Neighbours.Entry server = n.entry(Ip4.parse("10.99.2.11"));
        Neighbours.Entry primed = n.prime(client(1));
        assertSame(primed, n.entry(client(1)), "the same entry, now needed by a route");
        clock.addAndGet(10 * Neighbours.PRIMED_IDLE_NANOS);
        for (int i = 0; i < 2 * Neighbours.MAX_UNANSWERED; i++) n.upkeep(REFRESH);
        assertEquals(0, n.clients());
        assertSame(server, n.entry(Ip4.parse("10.99.2.11")), "route entries are never dropped");
        assertSame(primed, n.entry(client(1)));
        List<Neighbours.Entry> ask = n.upkeep(REFRESH);
        assertEquals(2, ask.size(), "both unknown: asked for on every tick");
    }

    @Test
    void theHostTableFillsANewEntry(@TempDir Path dir) throws IOException {
        Path arp = dir.resolve("arp");
        Files.writeString(arp, "IP address       HW type     Flags       HW address            Mask     Device\n"
                + "10.1.0.1         0x1         0x2         02:00:00:00:00:07     *        eth0\n");
        Neighbours withHost = new Neighbours("eth0", arp, clock::get);
        assertEquals(0x020000000007L, withHost.forClient(client(1)).mac);
        assertTrue(withHost.upkeep(REFRESH).isEmpty(), "known and fresh: not asked for");
    }
}
