package org.jlvs.ha.internal;

import static org.jlvs.ha.internal.Fakes.*;
import static org.junit.jupiter.api.Assertions.*;

import org.jlvs.api.ha.DirectorRole.State;
import org.junit.jupiter.api.Test;

/** keepalived's vrrp_sync_group: the client-side and the server-side instance change state together. */
class SyncGroupTest {
    private static Lab pair(String stateOfClientSide) {
        Lab lab = new Lab();
        lab.add(config("name", "VI_1", "sync_group", "G", "priority", "100", "state", stateOfClientSide));
        lab.add(config("name", "VI_2", "interface", "vS", "virtual_router_id", "52", "virtual_ipaddress", "10.214.2.254",
                "sync_group", "G", "priority", "100"));
        return lab;
    }

    @Test
    void oneMemberTakingOverTakesTheOthers() {
        Lab lab = pair("backup");
        lab.runTo(S);
        lab.advert("VI_2", C + 0x100, 150, 100); // the server side still hears a master; the client side does not
        lab.runTo(3 * S + 156 * S / 256);
        assertEquals(State.MASTER, lab.state("VI_1"));
        assertEquals(State.MASTER, lab.state("VI_2"));
        assertEquals(5, lab.wire("VI_2").garpBursts.get(0)[1]);
    }

    @Test
    void oneMemberYieldingTakesTheOthersToBackupWithPriorityZero() {
        Lab lab = pair("master");
        lab.runTo(5 * S);
        assertEquals(State.MASTER, lab.state("VI_2"));
        lab.advert("VI_1", C, 200, 100);
        assertEquals(State.BACKUP, lab.state("VI_1"));
        assertEquals(State.BACKUP, lab.state("VI_2"));
        assertEquals(0, lab.wire("VI_2").lastPriority()); // the peer's VI_2 takes over after its skew
        assertNotEquals(0, lab.wire("VI_1").lastPriority());
    }

    @Test
    void aFaultOfOneMemberIsAFaultOfAll() {
        Lab lab = pair("master");
        lab.runTo(5 * S);
        lab.network.down.add("vS");
        lab.runTo(6 * S);
        assertEquals(State.FAULT, lab.state("VI_1"));
        assertEquals(State.FAULT, lab.state("VI_2"));
        assertEquals(0, lab.wire("VI_1").lastPriority());
        // while the fault lasts, neither member may take over
        lab.runTo(30 * S);
        assertEquals(State.FAULT, lab.state("VI_1"));
        lab.network.down.remove("vS");
        lab.runTo(31 * S);
        assertEquals(State.BACKUP, lab.state("VI_1"));
        assertEquals(State.BACKUP, lab.state("VI_2"));
    }

    @Test
    void removingTheFaultyMemberReleasesTheGroup() {
        Lab lab = pair("backup");
        lab.network.down.add("vS");
        lab.runTo(2 * S);
        assertEquals(State.FAULT, lab.state("VI_1"));
        lab.engine.removeNow("VI_2");
        assertEquals(State.BACKUP, lab.state("VI_1"));
    }
}
