package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.junit.jupiter.api.Test;

/** Entries through their life: state changes, active/inactive accounting and expiry, with a settable clock. */
class ConnTableTest {
    private static final long S = 1_000_000_000L;
    private static final int F = 1, SYN = 2, R = 4, A = 16;
    private static final int CLIENT = Ip4.parse("10.0.2.2"), VIP = Ip4.parse("10.0.0.1");

    private long now = 1_000 * S;
    private final ConnTable table = new ConnTable(() -> now, 10_000);
    private final Service service = new Service(ServiceConfig.of(new ServiceKey(Protocol.TCP, VIP, 80), "rr"));
    private final Dest dest = new Dest(ServerConfig.of(Ip4.parse("10.0.1.1"), 80, ForwardMethod.MASQ, 1));
    private final Dest directDest = new Dest(ServerConfig.of(Ip4.parse("10.0.1.2"), 80, ForwardMethod.ROUTE, 1));

    private Conn newConn(int protocol, int clientPort) {
        return add(protocol, clientPort, TcpStates.NONE, dest);
    }

    private Conn add(int protocol, int clientPort, int state, Dest to) {
        Conn c = new Conn(protocol, CLIENT, clientPort, VIP, 80, to, service, null, 0x0200000000aaL);
        c.state = state;
        assertTrue(table.add(c));
        return c;
    }

    @Test
    void aNatConnectionThroughItsWholeLifeWithIpvsTimeouts() {
        Conn c = newConn(6, 40000);
        assertCounts(0, 1); // a new entry is inactive until a state change says otherwise
        assertExpiresIn(c, 3);

        table.update(c, TcpStates.DIR_INPUT, SYN);
        assertState(c, TcpStates.SYN_RECV, 60);
        assertCounts(0, 1); // only ESTABLISHED is active in IPVS (set_tcp_state)
        table.update(c, TcpStates.DIR_OUTPUT, SYN | A);
        assertState(c, TcpStates.SYN_RECV, 60);
        table.update(c, TcpStates.DIR_INPUT, A);
        assertState(c, TcpStates.ESTABLISHED, 900);
        assertCounts(1, 0);

        table.update(c, TcpStates.DIR_OUTPUT, F | A); // the server closes first
        assertState(c, TcpStates.FIN_WAIT, 120);
        assertCounts(0, 1);
        table.update(c, TcpStates.DIR_INPUT, F | A);
        assertState(c, TcpStates.TIME_WAIT, 120);
        table.update(c, TcpStates.DIR_INPUT, A);
        assertState(c, TcpStates.TIME_WAIT, 120);

        now += 119 * S;
        assertEquals(0, table.expire());
        assertTrue(table.findByClient(probe(c), new Conn()));
        now += 1 * S;
        assertEquals(1, table.expire());
        assertFalse(table.findByClient(probe(c), new Conn()));
        assertCounts(0, 0);
    }

    @Test
    void clientCloseAndResetPaths() {
        Conn c = newConn(6, 40001);
        table.update(c, TcpStates.DIR_INPUT, SYN);
        table.update(c, TcpStates.DIR_OUTPUT, SYN | A);
        table.update(c, TcpStates.DIR_INPUT, A);
        table.update(c, TcpStates.DIR_INPUT, F | A);
        assertState(c, TcpStates.CLOSE_WAIT, 60);
        table.update(c, TcpStates.DIR_OUTPUT, F | A);
        assertState(c, TcpStates.TIME_WAIT, 120);

        Conn r = newConn(6, 40002);
        table.update(r, TcpStates.DIR_INPUT, SYN);
        table.update(r, TcpStates.DIR_OUTPUT, R);
        assertState(r, TcpStates.CLOSE, 10);
        assertCounts(0, 2);
    }

    @Test
    void anUnansweredEntryDiesAfterThreeSecondsAndTimeoutsCanBeSet() {
        Conn c = newConn(6, 40003);
        now += 3 * S - 1;
        assertEquals(0, table.expire(), "not a nanosecond early");
        now += 1;
        assertEquals(1, table.expire());
        assertEquals(0, table.size());
        assertEquals(-1, table.expiresInMillis(c));

        table.setTimeouts(100, 20, 30);
        assertEquals(100, table.timeouts()[0]);
        Conn t = newConn(6, 40004);
        table.update(t, TcpStates.DIR_INPUT, SYN);
        table.update(t, TcpStates.DIR_INPUT, A);
        assertState(t, TcpStates.ESTABLISHED, 100);
        Conn u = newConn(17, 40005);
        table.update(u, TcpStates.DIR_INPUT, 0);
        assertExpiresIn(u, 30);
        assertEquals("UDP", u.stateName());
        assertCounts(1, 1); // UDP entries stay inactive, as in IPVS
        assertThrows(IllegalArgumentException.class, () -> table.setTimeouts(-1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> table.setTimeouts(ConnTable.MAX_TIMEOUT + 1, 0, 0));
    }

    @Test
    void replyLookupFindsTheEntryFromTheServerSide() {
        Conn c = newConn(6, 40006);
        ConnKey.Probe p = new ConnKey.Probe();
        p.set(6, Ip4.parse("10.0.1.1"), 80, CLIENT, 40006);
        Conn found = new Conn();
        assertTrue(table.findByServer(p, found));
        assertEquals(c.slot, found.slot);
        assertSame(dest, found.dest);
        assertSame(service, found.service);
        assertEquals(VIP, found.virtualAddress);
        assertEquals(80, found.virtualPort);
        assertEquals(0x0200000000aaL, found.clientMac);
        table.remove(c);
        assertFalse(table.findByServer(p, found));
        table.remove(c); // twice is harmless
        assertCounts(0, 0);
    }

    @Test
    void directRoutingEntriesUseTheInputOnlyTableAndHaveNoServerSide() {
        Conn c = add(6, 40007, TcpStates.NONE, directDest);
        table.update(c, TcpStates.DIR_INPUT, SYN);
        table.update(c, TcpStates.DIR_INPUT, A);
        assertState(c, TcpStates.ESTABLISHED, 900);
        table.update(c, TcpStates.DIR_INPUT, F | A); // INPUT_ONLY: ES + fin -> FIN_WAIT (INPUT would say CLOSE_WAIT)
        assertState(c, TcpStates.FIN_WAIT, 120);
        ConnKey.Probe p = new ConnKey.Probe();
        p.set(6, Ip4.parse("10.0.1.2"), 80, CLIENT, 40007);
        assertFalse(table.findByServer(p, new Conn()), "replies of DR do not pass the director");
    }

    /** Every transition of the three tables (from every state, each flag class) with its timeout and counts. */
    @Test
    void everyStateTransitionWithItsTimeout() {
        int[][] flagsByDir = {{SYN, F | A, A, R | A, 0}, {SYN | A, F | A, A, R, 0}, {SYN, F, A, R, 0}};
        int port = 1024;
        int checked = 0;
        for (int dir = 0; dir < 3; dir++) {
            Dest to = dir == TcpStates.DIR_INPUT_ONLY ? directDest : dest;
            int updateDir = dir == TcpStates.DIR_INPUT_ONLY ? TcpStates.DIR_INPUT : dir;
            for (int flags : flagsByDir[dir]) {
                for (int from = 0; from < TcpStates.COUNT; from++) {
                    now += S / 8; // entries made at other times must not matter
                    Conn c = add(6, port++, from, to);
                    if (from != TcpStates.NONE) assertState(c, from, TcpStates.DEFAULT_TIMEOUTS[from]);
                    int active = to.activeConns(), inactive = to.inactiveConns();
                    table.update(c, updateDir, flags);
                    int next = TcpStates.next(from, dir, flags);
                    assertEquals(TcpStates.name(next), TcpStates.name(c.state),
                            "dir " + dir + " flags " + flags + " from " + TcpStates.name(from));
                    assertExpiresIn(c, TcpStates.DEFAULT_TIMEOUTS[next]);
                    int moved = TcpStates.isActive(next) == TcpStates.isActive(from) ? 0
                            : TcpStates.isActive(next) ? 1 : -1;
                    assertEquals(active + moved, to.activeConns());
                    assertEquals(inactive - moved, to.inactiveConns());
                    table.remove(c);
                    checked++;
                }
            }
        }
        assertEquals(3 * 5 * 11, checked);
        assertCounts(0, 0);
    }

    /** Entries leave in the order of their expiry, each at the first expire() run at or after it. */
    @Test
    void expiryOrderAndTiming() {
        table.setTimeouts(1500, 0, 0); // ESTABLISHED beyond one turn of the wheel (1024 s)
        // state -> seconds: CLOSE 10, CLOSE_WAIT 60, SYN_RECV 60, FIN_WAIT 120, UDP 300, ESTABLISHED 1500
        Conn close = established(50_001);
        table.update(close, TcpStates.DIR_OUTPUT, R); // 1500 s -> 10 s: filed again earlier
        Conn closeWait = established(50_002);
        table.update(closeWait, TcpStates.DIR_INPUT, F | A);
        Conn synRecv = newConn(6, 50_003);
        table.update(synRecv, TcpStates.DIR_INPUT, SYN);
        Conn finWait = established(50_004);
        table.update(finWait, TcpStates.DIR_OUTPUT, F | A);
        Conn udp = newConn(17, 50_005);
        table.update(udp, TcpStates.DIR_INPUT, 0);
        Conn longLived = established(50_006);
        Conn fresh = newConn(6, 50_007); // never answered: 3 s
        Conn refreshed = established(50_008);

        long start = now;
        List<String> order = new ArrayList<>();
        List<Long> at = new ArrayList<>();
        Conn[] all = {close, closeWait, synRecv, finWait, udp, longLived, fresh, refreshed};
        String[] names = {"close", "closeWait", "synRecv", "finWait", "udp", "longLived", "fresh", "refreshed"};
        boolean[] gone = new boolean[all.length];
        for (int step = 1; step <= 1600 * 8; step++) {
            now = start + step * (S / 8);
            if (step % (1000 * 8) == 0) table.update(refreshed, TcpStates.DIR_INPUT, A); // traffic keeps it
            int removed = table.expire();
            for (int i = 0; i < all.length; i++) {
                if (!gone[i] && table.expiresInMillis(all[i]) < 0) {
                    gone[i] = true;
                    order.add(names[i]);
                    at.add((now - start) / (S / 8));
                    removed--;
                }
            }
            assertEquals(0, removed, "expire() counts exactly the entries that left");
        }
        assertEquals(List.of("fresh", "close", "closeWait", "synRecv", "finWait", "udp", "longLived"), order);
        assertEquals(List.of(3L * 8, 10L * 8, 60L * 8, 60L * 8, 120L * 8, 300L * 8, 1500L * 8), at);
        assertTrue(table.expiresInMillis(refreshed) > 0, "refreshed at 1000 s: lives until 2500 s");
        assertEquals(1, table.size());
    }

    @Test
    void aShorterTimeoutIsFiledAgainAtOnce() {
        Conn c = established(50_100);
        now += 4 * S;
        assertEquals(0, table.expire()); // visited at 3 s: filed again at its ESTABLISHED expiry, 900 s on
        table.update(c, TcpStates.DIR_INPUT, R); // CLOSE: 10 s
        now += 10 * S - S / 8;
        assertEquals(0, table.expire());
        now += S / 8;
        assertEquals(1, table.expire(), "gone at 10 s, not at the 900 s it was filed for");
        assertCounts(0, 0);
    }

    @Test
    void aLateMaintenanceRunExpiresEverythingDueAtOnce() {
        for (int i = 0; i < 100; i++) {
            Conn c = established(20_000 + i);
            if (i % 2 == 0) table.update(c, TcpStates.DIR_INPUT, F | A); // CLOSE_WAIT, 60 s
        }
        now += 61 * S;
        assertEquals(50, table.expire());
        now += 5_000 * S; // the maintenance thread did not run for more than a turn of the wheel
        assertEquals(50, table.expire());
        assertEquals(0, table.size());
        assertCounts(0, 0);
        assertEquals(0, table.destIds(), "the last entry of a server gives its id back");
    }

    @Test
    void aFullTableEvictsHalfOpenEntriesFirstThenRefuses() {
        ConnTable small = new ConnTable(() -> now, 100);
        List<Conn> conns = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Conn c = new Conn(6, CLIENT, 30_000 + i, VIP, 80, dest, service, null, 0);
            assertTrue(small.add(c));
            small.update(c, TcpStates.DIR_INPUT, SYN);
            if (i >= 10) small.update(c, TcpStates.DIR_INPUT, A); // 10 half-open, 90 established
            conns.add(c);
        }
        for (int i = 0; i < 10; i++) {
            assertTrue(small.add(new Conn(6, CLIENT, 31_000 + i, VIP, 80, dest, service, null, 0)));
        }
        assertEquals(10, small.evicted.sum());
        assertEquals(100, small.size());
        for (int i = 0; i < 10; i++) assertEquals(-1, small.expiresInMillis(conns.get(i)), "half-open ones went");
        for (int i = 10; i < 100; i++) assertTrue(small.expiresInMillis(conns.get(i)) > 0, "established stay");

        assertFalse(small.add(new Conn(6, CLIENT, 32_000, VIP, 80, dest, service, null, 0)));
        assertEquals(1, small.refused.sum());
        assertEquals(100, dest.activeConns() + dest.inactiveConns());
    }

    @Test
    void listingStreamsEveryEntryWithItsServerAndTimeLeft() {
        for (int i = 0; i < 300; i++) established(10_000 + i);
        Conn udp = newConn(17, 9_999);
        table.update(udp, TcpStates.DIR_INPUT, 0);
        now += S / 2;
        List<ConnectionInfo> all = new ArrayList<>();
        assertEquals(301, table.forEach(null, Long.MAX_VALUE, all::add));
        assertEquals(301, all.size());
        ConnectionInfo u = all.stream().filter(i -> i.clientPort() == 9_999).findFirst().orElseThrow();
        assertEquals(Protocol.UDP, u.protocol());
        assertEquals("UDP", u.state());
        assertEquals(299_500, u.expiresMillis());
        assertEquals(Ip4.parse("10.0.1.1"), u.serverAddress());
        assertEquals(80, u.serverPort());
        assertEquals(CLIENT, u.clientAddress());
        assertEquals(VIP, u.virtualAddress());
        List<ConnectionInfo> some = new ArrayList<>();
        assertEquals(7, table.forEach(i -> i.protocol() == Protocol.TCP, 7, some::add));
        assertTrue(some.stream().allMatch(i -> i.state().equals("ESTABLISHED")));

        table.clear();
        assertEquals(0, table.size());
        assertEquals(0, table.forEach(null, Long.MAX_VALUE, i -> { }));
        assertCounts(0, 0);
    }

    @Test
    void manyEntriesInOneSegmentSurviveGrowthAndDeletionShifts() {
        // Thousands of entries: the indexes double several times, and removals shift probe runs back.
        List<Conn> conns = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) conns.add(newConn(6, 1 + i));
        for (int i = 0; i < 5_000; i += 3) table.remove(conns.get(i));
        Conn found = new Conn();
        ConnKey.Probe server = new ConnKey.Probe();
        for (int i = 0; i < 5_000; i++) {
            boolean expected = i % 3 != 0;
            assertEquals(expected, table.findByClient(probe(conns.get(i)), found), "client side " + i);
            server.set(6, Ip4.parse("10.0.1.1"), 80, CLIENT, 1 + i);
            assertEquals(expected, table.findByServer(server, found), "server side " + i);
            if (expected) assertEquals(1 + i, found.clientPort);
        }
        assertEquals(5_000 - 1_667, table.size());
    }

    private Conn established(int clientPort) {
        Conn c = newConn(6, clientPort);
        table.update(c, TcpStates.DIR_INPUT, SYN);
        table.update(c, TcpStates.DIR_OUTPUT, SYN | A);
        table.update(c, TcpStates.DIR_INPUT, A);
        return c;
    }

    /**
     * A view keeps its lookup's stamp so that the packet's update takes up its slot without a second probe;
     * when a writer came between (here the entry ended and its slot went to another connection), the update
     * and the removal find the entry again by its key, and touch nothing else.
     */
    @Test
    void aViewWhoseEntryEndedMeanwhileChangesNoOtherEntry() {
        Conn first = newConn(6, 40100);
        Conn seen = new Conn();
        assertTrue(table.findByClient(probe(first), seen));
        table.remove(first);
        Conn second = newConn(6, 40101);
        assertEquals(seen.slot, second.slot, "the freed slot was given to the next connection");

        table.update(seen, TcpStates.DIR_INPUT, SYN);
        table.remove(seen);
        assertState(second, TcpStates.NONE, 3);
        assertCounts(0, 1);
        assertEquals(1, table.size());

        Conn found = new Conn(); // a fresh lookup's view: its update and removal reach its entry
        assertTrue(table.findByClient(probe(second), found));
        table.update(found, TcpStates.DIR_INPUT, SYN);
        assertState(found, TcpStates.SYN_RECV, 60);
        table.remove(found);
        table.remove(found); // safe twice
        assertEquals(0, table.size());
        assertCounts(0, 0);
    }

    private ConnKey.Probe probe(Conn c) {
        ConnKey.Probe p = new ConnKey.Probe();
        p.set(c.protocol, c.clientAddress, c.clientPort, c.virtualAddress, c.virtualPort);
        return p;
    }

    private void assertState(Conn c, int state, int timeout) {
        assertEquals(TcpStates.name(state), TcpStates.name(c.state));
        Conn stored = new Conn();
        assertTrue(table.findByClient(probe(c), stored));
        assertEquals(TcpStates.name(state), TcpStates.name(stored.state), "the table holds the same state");
        assertExpiresIn(c, timeout);
    }

    private void assertExpiresIn(Conn c, int seconds) {
        assertEquals(seconds * 1000L, table.expiresInMillis(c));
    }

    private void assertCounts(int active, int inactive) {
        assertEquals(active, dest.activeConns(), "active");
        assertEquals(inactive, dest.inactiveConns(), "inactive");
    }
}
