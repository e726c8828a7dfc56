package org.jlvs.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.jlvs.api.fake.FakeConnectionSync;
import org.jlvs.api.sync.SyncDaemon.Role;
import org.jlvs.api.sync.SyncSettings;
import org.jlvs.api.sync.SyncStatus;
import org.junit.jupiter.api.Test;

/** The component: master and backup at once, settings persisted and reloaded, bad values refused. */
class SyncComponentTest {
    private final Fakes.ConfigAdmin cm = new Fakes.ConfigAdmin();
    private final FakeConnectionSync table = DaemonLoopbackTest.backupTable();

    private SyncComponent component(Map<String, Object> props) {
        return new SyncComponent(table, cm.service(), Fakes.config(props), System::currentTimeMillis);
    }

    @Test
    void masterAndBackupRunAtOnceAndTheirSettingsPersist() {
        int port = Loopback.freeUdpPort();
        Map<String, Object> props = new HashMap<>();
        props.put("resync.enabled", "false");
        SyncComponent c = component(props);
        try {
            c.start(Role.MASTER, Loopback.settings(3, port));
            c.start(Role.BACKUP, Loopback.settings(0, port));
            assertEquals("running", c.status(Role.MASTER).state());
            assertEquals("running", c.status(Role.BACKUP).state());
            assertEquals("master sync daemon (mcast=lo, syncid=3, maxlen=1472, group=224.0.0.81, port=" + port + ", ttl=1)",
                    c.status(Role.MASTER).describe());
            assertNotNull(table.feed(), "the master feeds from the core");
            assertEquals(true, cm.properties.get("master.enabled"));
            assertEquals(3, cm.properties.get("master.syncid"));
            assertEquals("lo", cm.properties.get("backup.interface"));
            assertTrue(c.counters().containsKey("master_entries_sent"));
            assertTrue(c.counters().containsKey("backup_entries_installed"));

            // SCR hands the component what it wrote: nothing restarts
            c.modified(Fakes.config(cm.properties));
            assertEquals(3, c.status(Role.MASTER).settings().syncId());

            assertTrue(c.stop(Role.MASTER));
            assertNull(c.status(Role.MASTER));
            assertNull(table.feed(), "a stopped master detaches");
            assertEquals(false, cm.properties.get("master.enabled"));
            assertFalse(c.stop(Role.MASTER));
        } finally {
            c.close();
        }
    }

    @Test
    void aRestartedComponentBringsTheConfiguredDaemonsBack() {
        int port = Loopback.freeUdpPort();
        SyncComponent first = component(Map.of("resync.enabled", "false"));
        first.start(Role.BACKUP, Loopback.settings(9, port));
        first.close();
        SyncComponent second = new SyncComponent(table, cm.service(), Fakes.config(cm.properties), System::currentTimeMillis);
        try {
            SyncStatus s = second.status(Role.BACKUP);
            assertEquals("running", s.state());
            assertEquals(9, s.settings().syncId());
        } finally {
            second.close();
        }
    }

    @Test
    void aBadConfigurationValueIsRefusedAndTheRunningDaemonStays() {
        int port = Loopback.freeUdpPort();
        Map<String, Object> props = new HashMap<>(Map.of("resync.enabled", "false", "master.enabled", "true",
                "master.interface", "lo", "master.syncid", "4", "master.port", String.valueOf(port)));
        SyncComponent c = component(props);
        try {
            assertEquals(4, c.status(Role.MASTER).settings().syncId());
            props.put("master.syncid", "300");
            c.modified(Fakes.config(props));
            assertEquals(4, c.status(Role.MASTER).settings().syncId());
            assertEquals("running", c.status(Role.MASTER).state());
            props.put("master.syncid", "4");
            props.put("sync_period", "2"); // threshold 3 is not below it
            c.modified(Fakes.config(props));
            assertEquals("running", c.status(Role.MASTER).state());
            assertThrows(IllegalArgumentException.class, () -> SyncComponent.parse(Fakes.config(props)));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> SyncComponent.parse(Fakes.config(Map.of("backup.enabled", "true", "backup.interface", "lo",
                            "backup.maxlen", "10"))));
            assertTrue(e.getMessage().startsWith("backup.sync-maxlen:"), e.getMessage());
        } finally {
            c.close();
        }
    }

    @Test
    void anUnknownInterfaceIsRefusedAndTheRunningDaemonStays() {
        int port = Loopback.freeUdpPort();
        SyncComponent c = component(Map.of("resync.enabled", "false"));
        try {
            c.start(Role.MASTER, Loopback.settings(1, port));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> c.start(Role.MASTER, SyncSettings.of("nosuch0", 1)));
            assertEquals("mcast-interface: no interface nosuch0", e.getMessage());
            assertEquals("lo", c.status(Role.MASTER).settings().mcastInterface());
        } finally {
            c.close();
        }
    }

    @Test
    void withoutTheCoresSupportNoDaemonRunsAndTheStateSaysWhy() {
        SyncComponent c = new SyncComponent(null, cm.service(), Fakes.config(Map.of("backup.enabled", "true",
                "backup.interface", "lo")), System::currentTimeMillis);
        try {
            assertThrows(IllegalStateException.class, () -> c.start(Role.MASTER, SyncSettings.of("lo", 1)));
            SyncStatus s = c.status(Role.BACKUP);
            assertTrue(s.state().startsWith("not running: the core offers no connection sync"), s.state());
            assertTrue(s.counters().isEmpty());
        } finally {
            c.close();
        }
    }
}
