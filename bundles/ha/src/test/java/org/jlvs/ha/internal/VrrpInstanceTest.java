package org.jlvs.ha.internal;

import static org.jlvs.ha.internal.Fakes.*;
import static org.junit.jupiter.api.Assertions.*;

import org.jlvs.api.ha.DirectorRole.State;
import org.junit.jupiter.api.Test;

/** Every rule of the state machine (RFC 5798 §6.4 as keepalived 2.2.7 behaves), on a manual clock. */
class VrrpInstanceTest {
    /** 3 x 1 s + (256 - 100) / 256 s: keepalived's measured 3.610 s. */
    private static final long DOWN_100 = 3 * S + 156 * S / 256;
    private static final long DOWN_150 = 3 * S + 106 * S / 256;

    @Test
    void backupBecomesMasterAfterMasterDownIntervalWithAdvertAndTwoGarpBursts() {
        Lab lab = new Lab();
        lab.add(config("priority", "100"));
        assertEquals(State.BACKUP, lab.state("VI_1"));
        assertEquals(DOWN_100, lab.engine.instance("VI_1").masterDownNanos());
        assertEquals(3_609_375_000L, DOWN_100);
        lab.runTo(DOWN_100 - 1);
        assertEquals(State.BACKUP, lab.state("VI_1"));
        assertEquals(0, lab.wire("VI_1").adverts);
        lab.runTo(DOWN_100);
        assertEquals(State.MASTER, lab.state("VI_1"));
        FakeWire w = lab.wire("VI_1");
        assertEquals(1, w.adverts);
        assertEquals(100, w.lastPriority());
        assertEquals(DOWN_100, w.garpBursts.get(0)[0] - lab.start);
        assertEquals(5, w.garpBursts.get(0)[1]);
        lab.runTo(DOWN_100 + 5 * S);
        assertEquals(2, w.garpBursts.size());
        assertEquals(DOWN_100 + 5 * S, w.garpBursts.get(1)[0] - lab.start);
        assertEquals(5, w.garpBursts.get(1)[1]);
        assertEquals(6, w.adverts); // one at once, then one a second
        assertEquals(DOWN_100 + 5 * S, w.lastAdvertTime() - lab.start);
        lab.runTo(DOWN_100 + 60 * S);
        assertEquals(2, w.garpBursts.size()); // no periodic refresh
        assertEquals(61, w.adverts);
        Counters c = lab.engine.instance("VI_1").counters;
        assertEquals(1, c.get(Counter.BECOME_MASTER));
        assertEquals(61, c.get(Counter.ADVERTISEMENTS_SENT));
        assertEquals(10, c.get(Counter.GRATUITOUS_ARPS_SENT));
    }

    @Test
    void garpRepeatAndDelayAreConfigurable() {
        Lab lab = new Lab();
        lab.add(config("garp_master_repeat", "2", "garp_master_delay", "0", "state", "MASTER"));
        assertEquals(State.MASTER, lab.state("VI_1"));
        lab.runTo(30 * S);
        assertEquals(1, lab.wire("VI_1").garpBursts.size());
        assertEquals(2, lab.wire("VI_1").garpBursts.get(0)[1]);
    }

    @Test
    void ownerAndStateMasterTakeTheRoleAtOnce() {
        Lab lab = new Lab();
        lab.add(config("priority", "255"));
        assertEquals(State.MASTER, lab.state("VI_1"));
        assertEquals(255, lab.wire("VI_1").lastPriority());
        Lab lab2 = new Lab();
        lab2.add(config("state", "master"));
        assertEquals(State.MASTER, lab2.state("VI_1"));
    }

    @Test
    void backupLearnsTheMastersIntervalAndRestartsItsTimer() {
        Lab lab = new Lab();
        lab.add(config("priority", "100"));
        long t = 0;
        for (int i = 0; i < 10; i++) { // a master with 2 s adverts
            t += 2 * S;
            lab.runTo(t);
            assertEquals(AdvertFilter.OK, lab.advert("VI_1", C, 200, 200));
        }
        assertEquals(State.BACKUP, lab.state("VI_1"));
        long down = 6 * S + 156 * 2 * S / 256;
        assertEquals(down, lab.engine.instance("VI_1").masterDownNanos());
        assertEquals(C, lab.engine.instance("VI_1").masterAddress());
        lab.runTo(t + down - 1);
        assertEquals(State.BACKUP, lab.state("VI_1"));
        lab.runTo(t + down);
        assertEquals(State.MASTER, lab.state("VI_1"));
    }

    @Test
    void backupTakesOverAfterSkewOnPriorityZero() {
        Lab lab = new Lab();
        lab.add(config("priority", "100"));
        lab.runTo(S);
        lab.advert("VI_1", C, 150, 100);
        lab.runTo(2 * S);
        lab.advert("VI_1", C, 0, 100);
        long skew = 156 * S / 256; // 0.609 s, keepalived's measured 0.610 s
        lab.runTo(2 * S + skew - 1);
        assertEquals(State.BACKUP, lab.state("VI_1"));
        lab.runTo(2 * S + skew);
        assertEquals(State.MASTER, lab.state("VI_1"));
    }

    @Test
    void timersRunFromWhenTheAdvertArrivedNotFromWhenItWasHandled() {
        Lab lab = new Lab();
        lab.add(config("priority", "100"));
        lab.runTo(S);
        AdvertFrames peer = new AdvertFrames(config("priority", "150"), C, MAC_B);
        peer.nextId();
        peer.prepare(0, org.jlvs.packet.Vrrp.GROUP, org.jlvs.packet.Vrrp.GROUP_MAC);
        lab.wire("VI_1").filter.check(peer.advert(), peer.advertLength()); // received at 1 s ...
        lab.clock.advance(300 * MS); // ... handled 0.3 s later (a busy machine)
        lab.runTo(S + 156 * S / 256 - 1);
        assertEquals(State.BACKUP, lab.state("VI_1"));
        lab.runTo(S + 156 * S / 256);
        assertEquals(State.MASTER, lab.state("VI_1")); // the skew counted from 1 s
    }

    @Test
    void preemptIgnoresALowerMasterSoTheTimerRunsOut() {
        Lab lab = new Lab();
        lab.add(config("priority", "150"));
        for (long t = 100 * MS; t < 10 * S; t += S) {
            lab.runTo(t);
            lab.advert("VI_1", C, 100, 100);
            if (lab.state("VI_1") == State.MASTER) break;
        }
        assertEquals(State.MASTER, lab.state("VI_1"));
        assertEquals(DOWN_150, lab.wire("VI_1").advertTimes[0] - lab.start);
    }

    @Test
    void aPreemptionWaitsForTheResyncThenTakesOverAsUsual() {
        Lab lab = new Lab();
        String[] waiting = {"the full resync"};
        lab.engine.preemptHold(new PreemptHold(() -> () -> waiting[0], 60 * S));
        lab.add(config("priority", "150"));
        long t = 100 * MS;
        for (; t < 20 * S; t += 500 * MS) {
            lab.runTo(t);
            lab.advert("VI_1", C, 100, 50);
        }
        assertEquals(State.BACKUP, lab.state("VI_1"), "held while the resync runs");
        waiting[0] = null; // the resync is done
        long doneAt = t;
        for (; t < 40 * S && lab.state("VI_1") == State.BACKUP; t += 500 * MS) {
            lab.runTo(t);
            lab.advert("VI_1", C, 100, 50);
        }
        assertEquals(State.MASTER, lab.state("VI_1"));
        long after = lab.wire("VI_1").advertTimes[0] - lab.start - doneAt;
        long down = 3 * 500 * MS + 106 * 500 * MS / 256;
        assertTrue(after <= down + 500 * MS, "then the usual preemption: " + after);
        Counters c = lab.engine.instance("VI_1").counters;
        assertEquals(1, c.get(Counter.PREEMPT_HOLDS));
        assertTrue(c.get(Counter.PREEMPT_HOLD_MILLIS) >= 19_000, "reported: " + c.get(Counter.PREEMPT_HOLD_MILLIS));
    }

    @Test
    void aHeldPreemptionIsBoundedAndASilentMasterIsNeverWaitedFor() {
        Lab lab = new Lab();
        lab.engine.preemptHold(new PreemptHold(() -> () -> "a resync that never ends", 10 * S));
        lab.add(config("priority", "150"));
        long t = 100 * MS;
        for (; t < 60 * S && lab.state("VI_1") == State.BACKUP; t += S) {
            lab.runTo(t);
            lab.advert("VI_1", C, 100, 100);
        }
        assertEquals(State.MASTER, lab.state("VI_1"));
        long tookOver = lab.wire("VI_1").advertTimes[0] - lab.start;
        assertEquals(10_100 * MS - S + DOWN_150, tookOver, "held 10 s from the first lower advert, then preempts");

        Lab silent = new Lab();
        silent.engine.preemptHold(new PreemptHold(() -> () -> "a resync that never ends", 60 * S));
        silent.add(config("priority", "150"));
        silent.runTo(S);
        silent.advert("VI_1", C, 100, 100);
        silent.runTo(S + DOWN_150);
        assertEquals(State.MASTER, silent.state("VI_1"), "the master went silent: no wait");
    }

    @Test
    void nopreemptKeepsFollowingALowerMaster() {
        Lab lab = new Lab();
        lab.add(config("priority", "150", "nopreempt", "true"));
        for (long t = 100 * MS; t < 30 * S; t += S) {
            lab.runTo(t);
            lab.advert("VI_1", C, 100, 100);
        }
        assertEquals(State.BACKUP, lab.state("VI_1"));
        assertEquals(0, lab.wire("VI_1").adverts);
    }

    @Test
    void preemptDelaySuffersALowerMasterThatLong() {
        Lab lab = new Lab();
        lab.add(config("priority", "150", "preempt_delay", "10"));
        long t = 100 * MS;
        for (; t < 60 * S && lab.state("VI_1") == State.BACKUP; t += S) {
            lab.runTo(t);
            lab.advert("VI_1", C, 100, 100);
        }
        assertEquals(State.MASTER, lab.state("VI_1"));
        long tookOver = lab.wire("VI_1").advertTimes[0] - lab.start;
        // the delay starts at the first lower advert (0.1 s) and runs out at 10.1 s: the advert of that instant is
        // ignored, and Master_Down from the last accepted one (9.1 s) runs out
        assertEquals(9_100 * MS + DOWN_150, tookOver);
    }

    @Test
    void masterAnswersALowerPriorityAtOnceWithGarps() {
        Lab lab = new Lab();
        lab.add(config("state", "master"));
        FakeWire w = lab.wire("VI_1");
        lab.runTo(300 * MS);
        int before = w.adverts;
        int bursts = w.garpBursts.size();
        lab.advert("VI_1", C, 100, 100);
        assertEquals(State.MASTER, lab.state("VI_1"));
        assertEquals(before + 1, w.adverts);
        assertEquals(300 * MS, w.lastAdvertTime() - lab.start);
        assertEquals(bursts + 1, w.garpBursts.size());
        assertEquals(5, w.garpBursts.get(bursts)[1]);
    }

    @Test
    void masterAnswersPriorityZeroAtOnce() {
        Lab lab = new Lab();
        lab.add(config("state", "master"));
        lab.runTo(400 * MS);
        int before = lab.wire("VI_1").adverts;
        lab.advert("VI_1", C, 0, 100);
        assertEquals(State.MASTER, lab.state("VI_1"));
        assertEquals(before + 1, lab.wire("VI_1").adverts);
    }

    @Test
    void masterYieldsToAHigherPriorityWithoutPriorityZero() {
        Lab lab = new Lab();
        lab.add(config("state", "master", "priority", "100"));
        lab.runTo(500 * MS);
        int before = lab.wire("VI_1").adverts;
        lab.advert("VI_1", C, 200, 300);
        assertEquals(State.BACKUP, lab.state("VI_1"));
        assertEquals(before, lab.wire("VI_1").adverts);
        VrrpInstance i = lab.engine.instance("VI_1");
        assertEquals(1, i.counters.get(Counter.RELEASE_MASTER));
        assertEquals(0, i.counters.get(Counter.PRIORITY_ZERO_SENT));
        assertEquals(9 * S + 156 * 3 * S / 256, i.masterDownNanos()); // learnt 3 s
        assertEquals(C, i.masterAddress());
    }

    @Test
    void equalPriorityTheHigherAddressWins() {
        Lab lab = new Lab(); // we are 10.214.1.2
        lab.add(config("state", "master"));
        lab.runTo(100 * MS);
        lab.advert("VI_1", Fakes.A - 1, 150, 100); // 10.214.1.1: lower
        assertEquals(State.MASTER, lab.state("VI_1"));
        lab.advert("VI_1", C, 150, 100); // 10.214.1.4: higher
        assertEquals(State.BACKUP, lab.state("VI_1"));
    }

    @Test
    void gracefulStopSendsPriorityZero() {
        Lab lab = new Lab();
        lab.add(config("state", "master"));
        lab.runTo(2500 * MS);
        FakeWire w = lab.wire("VI_1");
        lab.engine.removeNow("VI_1");
        assertEquals(0, w.lastPriority());
        assertEquals(2500 * MS, w.lastAdvertTime() - lab.start);
        assertTrue(w.closed);
        assertTrue(lab.transitions.get(lab.transitions.size() - 1).startsWith("VI_1 MASTER->INIT"));
    }

    @Test
    void stoppingABackupSendsNothing() {
        Lab lab = new Lab();
        lab.add(config("priority", "100"));
        lab.runTo(S);
        lab.engine.removeNow("VI_1");
        assertEquals(0, lab.network.wires.get("VI_1").adverts);
    }

    @Test
    void linkDownIsFaultWithPriorityZeroAndBackAsBackup() {
        Lab lab = new Lab();
        lab.add(config("state", "master", "track_interface", "eth9"));
        lab.runTo(1500 * MS);
        lab.network.down.add("eth9");
        lab.runTo(2500 * MS); // links are read once a second
        assertEquals(State.FAULT, lab.state("VI_1"));
        assertEquals(0, lab.wire("VI_1").lastPriority());
        int adverts = lab.wire("VI_1").adverts;
        lab.runTo(10 * S);
        assertEquals(adverts, lab.wire("VI_1").adverts); // silent in FAULT
        lab.advert("VI_1", C, 100, 100);
        assertEquals(State.FAULT, lab.state("VI_1"));
        lab.network.down.remove("eth9");
        lab.runTo(11 * S);
        assertEquals(State.BACKUP, lab.state("VI_1"));
        lab.runTo(11 * S + DOWN_150);
        assertEquals(State.MASTER, lab.state("VI_1"));
    }

    @Test
    void ownInterfaceDownIsFault() {
        Lab lab = new Lab();
        lab.network.down.add("vA");
        lab.add(config("priority", "100"));
        assertEquals(State.FAULT, lab.state("VI_1"));
        lab.network.down.remove("vA");
        lab.runTo(1 * S);
        assertEquals(State.BACKUP, lab.state("VI_1"));
    }

    @Test
    void aMissingAddressIsFaultUntilTheChannelOpens() {
        Lab lab = new Lab();
        lab.network.sources.remove("vA");
        lab.add(config());
        assertEquals(State.FAULT, lab.state("VI_1"));
        lab.network.sources.put("vA", A);
        lab.runTo(1 * S);
        assertEquals(State.BACKUP, lab.state("VI_1"));
    }

    @Test
    void unicastAdvertsGoToEveryPeer() {
        Lab lab = new Lab();
        lab.add(config("state", "master", "unicast_peer", "10.214.1.3 10.214.1.4"));
        assertEquals(2, lab.engine.instance("VI_1").counters.get(Counter.ADVERTISEMENTS_SENT));
    }
}
