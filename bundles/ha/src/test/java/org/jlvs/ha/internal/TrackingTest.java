package org.jlvs.ha.internal;

import static org.jlvs.ha.internal.Fakes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;

import org.jlvs.api.ha.DirectorRole.State;
import org.junit.jupiter.api.Test;

/** vrrp_script semantics (interval, weight, fall, rise, init_fail) and notify scripts, with scripts run by hand. */
class TrackingTest {
    private static ScriptConfig script(Object... kv) {
        Map<String, Object> p = new java.util.HashMap<>(Map.of("name", "chk", "script", "/bin/true"));
        for (int i = 0; i < kv.length; i += 2) p.put((String) kv[i], kv[i + 1]);
        return ScriptConfig.parse(p);
    }

    @Test
    void riseAndFall() {
        TrackScript s = new TrackScript(script("fall", "3", "rise", "2"), 0);
        assertTrue(s.good());
        assertFalse(s.result(false));
        assertFalse(s.result(false));
        assertFalse(s.result(true)); // a success resets the failures
        assertFalse(s.result(false));
        assertFalse(s.result(false));
        assertTrue(s.result(false));
        assertFalse(s.good());
        assertFalse(s.result(true));
        assertTrue(s.result(true));
        assertTrue(s.good());
        assertFalse(new TrackScript(script("init_fail", "true"), 0).good());
    }

    @Test
    void weights() {
        TrackScript plus = new TrackScript(script("weight", "20"), 0);
        TrackScript minus = new TrackScript(script("weight", "-30"), 0);
        TrackScript zero = new TrackScript(script(), 0);
        assertEquals(20, plus.weightNow());
        assertEquals(0, minus.weightNow());
        assertFalse(zero.faults());
        plus.result(false);
        minus.result(false);
        zero.result(false);
        assertEquals(0, plus.weightNow());
        assertEquals(-30, minus.weightNow());
        assertTrue(zero.faults());
    }

    @Test
    void aNegativeWeightLowersThePriorityInTheAdvertsAndTheMasterYields() {
        Lab lab = new Lab();
        lab.engine.addScript(script("weight", "-60", "interval", "2"));
        lab.add(config("state", "master", "track_script", "chk"));
        lab.runTo(100 * MS);
        assertEquals(1, lab.scripts.started.size()); // run at once, then every interval
        lab.scripts.completeAll(1);
        lab.runTo(1100 * MS);
        assertEquals(90, lab.engine.instance("VI_1").effectivePriority());
        assertEquals(90, lab.wire("VI_1").lastPriority());
        lab.advert("VI_1", C, 100, 100); // a backup at 100 now outranks us
        assertEquals(State.BACKUP, lab.state("VI_1"));
        lab.runTo(2100 * MS);
        assertEquals(2, lab.scripts.started.size());
        lab.scripts.completeAll(0);
        lab.runTo(2200 * MS);
        assertEquals(150, lab.engine.instance("VI_1").effectivePriority());
    }

    @Test
    void aPositiveWeightIsClampedAndTheOwnerIsUntouched() {
        Lab lab = new Lab();
        lab.engine.addScript(script("weight", "200"));
        lab.add(config("track_script", "chk"));
        assertEquals(254, lab.engine.instance("VI_1").effectivePriority());
        Lab owner = new Lab();
        owner.engine.addScript(script("weight", "-100"));
        owner.add(config("priority", "255", "track_script", "chk"));
        owner.runTo(10 * MS);
        owner.scripts.completeAll(1);
        owner.runTo(20 * MS);
        assertEquals(255, owner.engine.instance("VI_1").effectivePriority());
    }

    @Test
    void aFailedWeightZeroScriptIsFault() {
        Lab lab = new Lab();
        lab.engine.addScript(script("fall", "2"));
        lab.add(config("state", "master", "track_script", "chk"));
        lab.runTo(10 * MS);
        lab.scripts.completeAll(1);
        lab.runTo(1010 * MS);
        assertEquals(State.MASTER, lab.state("VI_1")); // fall 2: one failure is not enough
        lab.scripts.completeAll(ScriptRunner.TIMED_OUT); // a timeout is a failure
        lab.runTo(1020 * MS);
        assertEquals(State.FAULT, lab.state("VI_1"));
        assertEquals(0, lab.wire("VI_1").lastPriority());
    }

    @Test
    void aScriptStillRunningIsNotStartedAgain() {
        Lab lab = new Lab();
        lab.engine.addScript(script("interval", "1"));
        lab.add(config("track_script", "chk"));
        lab.runTo(10 * S);
        assertEquals(1, lab.scripts.started.size());
    }

    @Test
    void notifyScriptsRunOnTransitions() {
        Lab lab = new Lab();
        lab.add(config("priority", "100", "notify_master", "/etc/ka/master.sh", "notify_backup", "/etc/ka/backup.sh",
                "notify_fault", "/etc/ka/fault.sh", "notify_stop", "/etc/ka/stop.sh", "notify", "/etc/ka/all.sh"));
        assertEquals(java.util.List.of("/etc/ka/backup.sh", "/etc/ka/all.sh INSTANCE VI_1 BACKUP 100"), lab.scripts.started);
        lab.runTo(4 * S);
        lab.network.down.add("vA");
        lab.runTo(5 * S);
        lab.engine.removeNow("VI_1");
        assertEquals(java.util.List.of("/etc/ka/backup.sh", "/etc/ka/all.sh INSTANCE VI_1 BACKUP 100",
                "/etc/ka/master.sh", "/etc/ka/all.sh INSTANCE VI_1 MASTER 100",
                "/etc/ka/fault.sh", "/etc/ka/all.sh INSTANCE VI_1 FAULT 100",
                "/etc/ka/stop.sh", "/etc/ka/all.sh INSTANCE VI_1 STOP 100"), lab.scripts.started);
    }
}
