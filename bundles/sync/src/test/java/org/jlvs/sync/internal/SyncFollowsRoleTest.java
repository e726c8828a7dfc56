package org.jlvs.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jlvs.api.fake.FakeConnectionSync;
import org.jlvs.api.ha.DirectorRole;
import org.jlvs.api.sync.SyncDaemon.Role;
import org.junit.jupiter.api.Test;

/**
 * keepalived's lvs_sync_daemon IF INST: the master daemon runs while the instance is MASTER, the backup daemon
 * always; and the preemption condition waits for the backup daemon's first full resync.
 */
class SyncFollowsRoleTest {
    private final Fakes.ConfigAdmin cm = new Fakes.ConfigAdmin();
    private final FakeConnectionSync table = DaemonLoopbackTest.backupTable();

    @Test
    void theMasterDaemonRunsWhileItsInstanceIsMasterAndTheBackupAlways() {
        int port = Loopback.freeUdpPort();
        SyncComponent c = new SyncComponent(table, cm.service(), Fakes.config(Map.of("resync.enabled", "false",
                "master.enabled", "true", "master.interface", "lo", "master.port", String.valueOf(port),
                "master.instance", "VI_1", "backup.enabled", "true", "backup.interface", "lo",
                "backup.port", String.valueOf(port))), System::currentTimeMillis);
        FakeRole role = new FakeRole();
        try {
            assertTrue(c.status(Role.MASTER).state().contains("no VRRP role"), c.status(Role.MASTER).state());
            assertNull(table.feed(), "no master without the role");
            assertEquals("running", c.status(Role.BACKUP).state());

            c.bindDirectorRole(role);
            role.fire(DirectorRole.State.BACKUP);
            awaitState(c, s -> s.contains("VI_1 is BACKUP"));
            assertNull(table.feed());

            role.fire(DirectorRole.State.MASTER);
            awaitState(c, "running"::equals);
            assertNotNull(table.feed(), "the new master feeds from the core");
            assertEquals("running", c.status(Role.BACKUP).state(), "the backup keeps receiving");

            role.fire(DirectorRole.State.FAULT);
            awaitState(c, s -> s.contains("VI_1 is FAULT"));
            assertNull(table.feed(), "a master that left the role stops sending");
            assertEquals("running", c.status(Role.BACKUP).state());

            c.unbindDirectorRole(role);
            assertTrue(role.listeners.isEmpty());
        } finally {
            c.close();
        }
    }

    @Test
    void aPreemptionWaitsForTheBackupsFirstResyncOnlyWhenOneIsExpected() {
        int port = Loopback.freeUdpPort();
        SyncComponent resyncing = new SyncComponent(table, cm.service(), Fakes.config(Map.of("backup.enabled", "true",
                "backup.interface", "lo", "backup.port", String.valueOf(port))), System::currentTimeMillis);
        try {
            assertEquals("the backup sync daemon's full resync", resyncing.waitingFor());
        } finally {
            resyncing.close();
        }
        SyncComponent withoutCore = new SyncComponent(null, cm.service(), Fakes.config(Map.of("backup.enabled", "true",
                "backup.interface", "lo", "backup.port", String.valueOf(port))), System::currentTimeMillis);
        try {
            assertEquals("the backup sync daemon (not running yet) and its full resync", withoutCore.waitingFor(),
                    "at a restart the core may come after the VRRP instances: still waited for");
        } finally {
            withoutCore.close();
        }
        SyncComponent noResync = new SyncComponent(table, cm.service(), Fakes.config(Map.of("resync.enabled", "false",
                "backup.enabled", "true", "backup.interface", "lo", "backup.port", String.valueOf(port))),
                System::currentTimeMillis);
        try {
            assertNull(noResync.waitingFor(), "nothing to wait for without a resync");
            noResync.stop(Role.BACKUP);
            assertNull(noResync.waitingFor(), "nor without a backup daemon");
        } finally {
            noResync.close();
        }
    }

    /** The role follower's thread applies transitions: wait for the outcome, bounded by count. */
    private static void awaitState(SyncComponent c, java.util.function.Predicate<String> want) {
        String state = null;
        for (int i = 0; i < 6000; i++) { // at least 120 s: generous, the machine is shared
            var s = c.status(Role.MASTER);
            state = s == null ? null : s.state();
            if (state != null && want.test(state)) return;
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("master daemon state: " + state);
    }

    /** One instance VI_1 whose state the test sets. */
    static final class FakeRole implements DirectorRole {
        volatile State state = State.INIT;
        final List<Listener> listeners = new CopyOnWriteArrayList<>();

        void fire(State to) {
            State from = state;
            state = to;
            for (Listener l : listeners) l.stateChanged(instance(), from, to);
        }

        Instance instance() {
            State s = state;
            return new Instance() {
                @Override public String name() { return "VI_1"; }
                @Override public String group() { return null; }
                @Override public String interfaceName() { return "lo"; }
                @Override public int vrid() { return 51; }
                @Override public State state() { return s; }
                @Override public List<Integer> addresses() { return List.of(); }
                @Override public int priority() { return 100; }
                @Override public int effectivePriority() { return 100; }
                @Override public int masterAddress() { return 0; }
                @Override public int advertIntervalCentis() { return 50; }
                @Override public long masterDownNanos() { return 0; }
                @Override public Map<String, Long> counters() { return Map.of(); }
            };
        }

        @Override public boolean mayServe(int address) { return state == State.MASTER; }
        @Override public List<Instance> instances() { return List.of(instance()); }
        @Override public void addListener(Listener l) { listeners.add(l); }
        @Override public void removeListener(Listener l) { listeners.remove(l); }
    }
}
