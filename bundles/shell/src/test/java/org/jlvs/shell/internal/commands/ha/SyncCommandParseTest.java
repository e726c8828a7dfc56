package org.jlvs.shell.internal.commands.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.apache.karaf.shell.impl.action.command.DefaultActionPreparator;
import org.jlvs.api.fake.FakeSyncDaemon;
import org.jlvs.api.fake.FakeVirtualServerTable;
import org.junit.jupiter.api.Test;

/** Karaf's own option parser reads lvs:sync's command line as an operator types it. */
class SyncCommandParseTest {
    @Test
    void karafParsesTheOptions() throws Exception {
        SyncCommand c = new SyncCommand();
        new DefaultActionPreparator().prepare(c, null, List.of("start", "backup", "--mcast-interface", "eth0",
                "--syncid", "7", "--maxlen", "1400"));
        c.table = new FakeVirtualServerTable();
        FakeSyncDaemon daemon = new FakeSyncDaemon();
        c.daemon = daemon;
        c.execute();
        assertEquals(new org.jlvs.api.sync.SyncSettings("eth0", 7, "224.0.0.81", 8848, 1, 1400),
                daemon.running.get(org.jlvs.api.sync.SyncDaemon.Role.BACKUP));
        assertEquals("start", c.action);
        assertEquals("backup", c.role);
        assertEquals("eth0", c.mcastInterface);
        assertEquals("7", c.syncId);
        assertEquals("1400", c.maxLen);
    }

    @Test
    void optionsBeforeTheWordsWorkToo() throws Exception {
        SyncCommand c = new SyncCommand();
        new DefaultActionPreparator().prepare(c, null, List.of("--syncid", "3", "--mcast-interface", "eth1", "start",
                "master"));
        c.table = new FakeVirtualServerTable();
        FakeSyncDaemon daemon = new FakeSyncDaemon();
        c.daemon = daemon;
        c.execute();
        assertEquals(org.jlvs.api.sync.SyncSettings.of("eth1", 3), daemon.running.get(org.jlvs.api.sync.SyncDaemon.Role.MASTER));
    }
}
