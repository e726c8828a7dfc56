package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

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

    private long now = 1_000 * S;
    private final ConnTable table = new ConnTable(() -> now);
    private final Service service = new Service(ServiceConfig.of(new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.1"), 80), "rr"));
    private final Dest dest = new Dest(ServerConfig.of(Ip4.parse("10.0.1.1"), 80, ForwardMethod.MASQ, 1));

    private Conn newConn(int protocol, int clientPort) {
        return table.add(new Conn(protocol, Ip4.parse("10.0.2.2"), clientPort, Ip4.parse("10.0.0.1"), 80, dest, service, null, 0));
    }

    @Test
    void aNatConnectionThroughItsWholeLifeWithIpvsTimeouts() {
        Conn c = newConn(6, 40000);
        assertCounts(0, 1); // a new entry is inactive until a state change says otherwise
        assertExpiresIn(c, 3);

        table.update(c, TcpStates.DIR_INPUT, SYN);
        assertState(c, TcpStates.SYN_RECV, 60);
        assertCounts(1, 0);
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
        assertEquals(0, table.sweep());
        assertNotNull(table.findByClient(probe(c)));
        now += 1 * S;
        assertEquals(1, table.sweep());
        assertNull(table.findByClient(probe(c)));
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
        now += 3 * S;
        assertEquals(1, table.sweep());
        assertEquals(0, table.size());

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
    }

    @Test
    void replyLookupFindsTheEntryFromTheServerSide() {
        Conn c = newConn(6, 40006);
        ConnKey.Probe p = new ConnKey.Probe();
        p.set(6, Ip4.parse("10.0.1.1"), 80, Ip4.parse("10.0.2.2"), 40006);
        assertEquals(c, table.findByServer(p));
        table.remove(c);
        assertNull(table.findByServer(p));
        table.remove(c); // twice is harmless
        assertCounts(0, 0);
    }

    private ConnKey.Probe probe(Conn c) {
        ConnKey.Probe p = new ConnKey.Probe();
        p.set(c.protocol, c.clientAddress, c.clientPort, c.virtualAddress, c.virtualPort);
        return p;
    }

    private void assertState(Conn c, int state, int timeout) {
        assertEquals(TcpStates.name(state), TcpStates.name(c.state));
        assertExpiresIn(c, timeout);
    }

    private void assertExpiresIn(Conn c, int seconds) {
        assertEquals(seconds * S, c.expiresAtNanos - now);
    }

    private void assertCounts(int active, int inactive) {
        assertEquals(active, dest.activeConns(), "active");
        assertEquals(inactive, dest.inactiveConns(), "inactive");
    }
}
