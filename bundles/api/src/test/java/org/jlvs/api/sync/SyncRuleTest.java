package org.jlvs.api.sync;

import static org.jlvs.api.sync.IpvsConn.PROTO_TCP;
import static org.jlvs.api.sync.IpvsConn.PROTO_UDP;
import static org.jlvs.api.sync.IpvsConn.TCP_CLOSE;
import static org.jlvs.api.sync.IpvsConn.TCP_CLOSE_WAIT;
import static org.jlvs.api.sync.IpvsConn.TCP_ESTABLISHED;
import static org.jlvs.api.sync.IpvsConn.TCP_FIN_WAIT;
import static org.jlvs.api.sync.IpvsConn.TCP_LAST_ACK;
import static org.jlvs.api.sync.IpvsConn.TCP_SYN_RECV;
import static org.jlvs.api.sync.IpvsConn.TCP_TIME_WAIT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The sending rule against IPVS's ip_vs_sync_conn_needed, on a simulated entry with the per-entry fields the
 * core keeps and a clock the test moves.
 */
class SyncRuleTest {
    /** One entry as the core would hold it, and what the rule made of its packets. */
    static final class Entry {
        final SyncRule rule;
        int flags, protocol, state, oldState, pkts, syncEndtime, timeoutMillis;
        boolean inPersistence;
        final List<Integer> sentAtPacket = new ArrayList<>();

        Entry(SyncRule rule, int protocol, int state, int timeoutSeconds, int now) {
            this.rule = rule;
            this.protocol = protocol;
            this.state = state;
            this.timeoutMillis = timeoutSeconds * 1000;
            this.syncEndtime = now & ~3;
        }

        boolean packet(int now) {
            pkts++;
            long r = rule.check(flags, protocol, state, oldState, inPersistence, pkts, syncEndtime, timeoutMillis, now);
            if (r == SyncRule.NOT_NEEDED) return false;
            syncEndtime = (int) r;
            oldState = state;
            sentAtPacket.add(pkts);
            return true;
        }
    }

    @Test
    void defaultsSendThe3rd53rd103rdPacketOfAnEstablishedConnection() {
        Entry e = new Entry(SyncRule.DEFAULT, PROTO_TCP, TCP_ESTABLISHED, 900, 0);
        e.oldState = TCP_ESTABLISHED;
        for (int i = 0; i < 160; i++) e.packet(i * 10);
        assertEquals(List.of(3, 53, 103, 153), e.sentAtPacket);
    }

    @Test
    void udpFollowsThePacketCountOnly() {
        Entry e = new Entry(SyncRule.DEFAULT, PROTO_UDP, 0, 300, 0);
        for (int i = 0; i < 110; i++) e.packet(i);
        assertEquals(List.of(3, 53, 103), e.sentAtPacket);
    }

    @Test
    void tcpIsNotSentInHandshakeStatesAndAChangeIntoAClosingStateIsSentAtOnce() {
        Entry e = new Entry(SyncRule.DEFAULT, PROTO_TCP, TCP_SYN_RECV, 60, 0);
        assertFalse(e.packet(0));
        e.state = TCP_ESTABLISHED;
        assertFalse(e.packet(1), "2nd packet: into ESTABLISHED is not forced, waits for the threshold");
        assertTrue(e.packet(2), "3rd packet: the threshold");
        assertFalse(e.packet(3));
        e.state = TCP_FIN_WAIT;
        assertTrue(e.packet(4), "a change into FIN_WAIT is sent at once");
        assertFalse(e.packet(5), "no change since: the packet count decides");
        e.state = TCP_LAST_ACK;
        assertFalse(e.packet(6), "LAST_ACK is not a synced state");
        e.state = TCP_TIME_WAIT;
        assertTrue(e.packet(7));
        e.state = TCP_CLOSE;
        assertTrue(e.packet(8));
        e.state = TCP_CLOSE_WAIT;
        assertTrue(e.packet(9));
    }

    @Test
    void withBothPeriodsZeroAnEntryIsSentOnceAtTheThreshold() {
        SyncRule rule = new SyncRule(3, 0, 0, 0, false);
        Entry e = new Entry(rule, PROTO_TCP, TCP_ESTABLISHED, 900, 0);
        e.oldState = TCP_ESTABLISHED;
        for (int i = 0; i < 500; i++) e.packet(i);
        assertEquals(List.of(3), e.sentAtPacket);
        e.state = TCP_FIN_WAIT;
        assertTrue(e.packet(600), "state changes are still sent");
    }

    @Test
    void templatesAreSentWheneverTheirConnectionIsUnlessAPeriodStopsThem() {
        Entry t = new Entry(SyncRule.DEFAULT, PROTO_TCP, IpvsConn.TEMPLATE_NONE, 360, 0);
        t.flags = IpvsConn.F_TEMPLATE;
        assertTrue(t.packet(0), "sync_period > 0: the packet count does not apply to templates");
        assertTrue(t.packet(1));
        SyncRule once = new SyncRule(3, 0, 0, 0, false);
        Entry t2 = new Entry(once, PROTO_TCP, IpvsConn.TEMPLATE_NONE, 360, 0);
        t2.flags = IpvsConn.F_TEMPLATE;
        for (int i = 0; i < 10; i++) t2.packet(i);
        assertEquals(List.of(3), t2.sentAtPacket, "both periods 0: once, at the threshold");
    }

    @Test
    void persistModeSendsOnlyTheTemplatesOfPersistentServices() {
        SyncRule rule = new SyncRule(3, 50, 0, 0, true);
        Entry c = new Entry(rule, PROTO_TCP, TCP_ESTABLISHED, 900, 0);
        c.oldState = TCP_ESTABLISHED;
        c.inPersistence = true;
        for (int i = 0; i < 100; i++) c.packet(i);
        assertTrue(c.sentAtPacket.isEmpty());
        c.inPersistence = false;
        for (int i = 0; i < 3; i++) c.packet(i);
        assertEquals(List.of(103), c.sentAtPacket, "a connection without template is sent as usual");
        Entry t = new Entry(rule, PROTO_TCP, 0, 360, 0);
        t.flags = IpvsConn.F_TEMPLATE;
        t.inPersistence = true;
        assertTrue(t.packet(0));
    }

    @Test
    void refreshPeriodSuppressesResendsUntilTheExpiryMovedEnough() {
        // sync_period 0 and a refresh period of 10 s: every packet may send, but only once the expiry has moved by
        // min(refresh, max(timeout / 2, 10 s)) = 10 s since the last send.
        SyncRule rule = new SyncRule(3, 0, 10, 0, false);
        Entry e = new Entry(rule, PROTO_TCP, TCP_ESTABLISHED, 900, 0);
        e.oldState = TCP_ESTABLISHED;
        e.syncEndtime = -1_000_000 & ~3; // sent long ago
        int now = 0;
        assertTrue(e.packet(now));
        assertFalse(e.packet(now += 1000), "1 s later: the expiry moved 1 s");
        assertFalse(e.packet(now += 8000), "9 s later");
        assertTrue(e.packet(now += 1000), "10 s later");
        assertFalse(e.packet(now += 100));
    }

    @Test
    void retriesResendUpToSyncRetriesTimesEachAnEighthOfTheRefreshPeriodApart() {
        SyncRule rule = new SyncRule(3, 0, 16, 2, false); // refresh 16 s: retries at least 2 s apart
        Entry e = new Entry(rule, PROTO_TCP, TCP_ESTABLISHED, 900, 0);
        e.oldState = TCP_ESTABLISHED;
        e.syncEndtime = -5_000_000 & ~3;
        int now = 100_000;
        assertTrue(e.packet(now));
        assertEquals(0, e.syncEndtime & 3);
        assertFalse(e.packet(now + 1000), "1 s: too early for a retry");
        assertTrue(e.packet(now + 2000), "2 s: first retry");
        assertEquals(1, e.syncEndtime & 3, "the retry count lives in the two low bits");
        assertFalse(e.packet(now + 3000), "the next retry counts from the first one: 1 s later is too early");
        assertTrue(e.packet(now + 4100), "second retry");
        assertEquals(2, e.syncEndtime & 3);
        assertFalse(e.packet(now + 9000), "sync_retries 2: no third retry");
        assertFalse(e.packet(now + 16_000), "the expiry moved less than 16 s since the last retry");
        assertTrue(e.packet(now + 20_200), "16 s after the last retry: a fresh send");
        assertEquals(0, e.syncEndtime & 3);
    }

    @Test
    void aClockThatWrapsKeepsTheRule() {
        SyncRule rule = new SyncRule(3, 0, 10, 0, false);
        int now = Integer.MAX_VALUE - 2000;
        Entry e = new Entry(rule, PROTO_UDP, 0, 300, now);
        e.syncEndtime = now - 1_000_000;
        assertTrue(e.packet(now));
        assertFalse(e.packet(now + 5000), "5 s later, past the wrap");
        assertTrue(e.packet(now + 10_000));
        assertNotEquals(0, e.syncEndtime);
    }

    @Test
    void badSettingsAreRefusedWithTheirName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SyncRule(50, 50, 0, 0, false))
                .getMessage().contains("sync_threshold"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SyncRule(3, -1, 0, 0, false))
                .getMessage().contains("sync_period"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SyncRule(3, 50, -1, 0, false))
                .getMessage().contains("sync_refresh_period"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new SyncRule(3, 50, 0, 4, false))
                .getMessage().contains("sync_retries"));
        new SyncRule(7, 0, 0, 0, false); // threshold above period 0 is fine: the kernel allows it
    }
}
