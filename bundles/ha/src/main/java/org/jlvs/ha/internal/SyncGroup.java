package org.jlvs.ha.internal;

import java.util.ArrayList;
import java.util.List;

import org.jlvs.api.ha.DirectorRole.State;

/**
 * keepalived's vrrp_sync_group: its members change state together, so that the client-side addresses and the
 * real servers' gateway address always live on the same director. One member becoming MASTER takes the others
 * to MASTER; one leaving MASTER for a better master takes the others to BACKUP; a FAULT of one puts every
 * member in FAULT, until no member has a fault left. Runs on the VRRP thread.
 */
final class SyncGroup {
    final String name;
    final List<VrrpInstance> members = new ArrayList<>();

    SyncGroup(String name) {
        this.name = name;
    }

    boolean anyFault() {
        for (VrrpInstance m : members) {
            if (m.ownFault()) return true;
        }
        return false;
    }

    void toMaster(long now) {
        if (anyFault()) return;
        for (VrrpInstance m : members) {
            if (m.state() == State.BACKUP) m.takeOver(now);
        }
    }

    /** {@code cause} heard a better master (whose interval it learns); the others follow it. */
    void toBackup(VrrpInstance cause, long now, long masterInterval) {
        cause.enterBackup(now, masterInterval, false);
        for (VrrpInstance m : members) {
            if (m != cause && m.state() == State.MASTER) m.enterBackup(now, m.config.advertNanos(), true);
        }
    }

    void faultChanged(long now) {
        if (anyFault()) {
            for (VrrpInstance m : members) {
                if (m.state() != State.INIT) m.enterFault(now);
            }
        } else {
            for (VrrpInstance m : members) m.leaveFault(now);
        }
    }
}
