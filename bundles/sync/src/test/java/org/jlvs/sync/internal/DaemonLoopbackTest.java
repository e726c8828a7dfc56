package org.jlvs.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;

import org.jlvs.api.Ip4;
import org.jlvs.api.fake.FakeConnectionSync;
import org.jlvs.api.sync.IpvsConn;
import org.jlvs.api.sync.SyncEntry;
import org.jlvs.api.sync.SyncQueue;
import org.jlvs.api.sync.SyncRule;
import org.jlvs.api.sync.SyncStatus;
import org.junit.jupiter.api.Test;

/**
 * A master and a backup daemon on the loopback interface: the master's kernel UDP socket sends to the multicast
 * group (loopback delivery of lo, multicast loop off as in IPVS), the backup joins the group and installs into
 * its own table; and the full resync over TCP.
 */
class DaemonLoopbackTest {
    static final String VIP = "10.214.1.100", RIP = "10.214.3.11";

    static FakeConnectionSync backupTable() {
        return new FakeConnectionSync(100_000).service(6, VIP, 80, RIP, 8080).service(17, VIP, 53, RIP, 5300);
    }

    static SyncEntry connection(SyncEntry e, int i) {
        return e.set(6, IpvsConn.F_MASQ, IpvsConn.TCP_ESTABLISHED, Ip4.parse("10.214.2.0") + (i >>> 8 & 0xff) * 256 + (i & 0xff),
                10000 + i % 50000, Ip4.parse(VIP), 80, Ip4.parse(RIP), 8080, 0, 900);
    }

    private static long millis() {
        return System.nanoTime() / 1_000_000;
    }

    @Test
    void twoThousandConnectionsReachTheBackupInFullDatagrams() throws Exception {
        int port = Loopback.freeUdpPort();
        FakeConnectionSync masterTable = new FakeConnectionSync(100_000);
        FakeConnectionSync backupTable = backupTable();
        try (BackupDaemon backup = new BackupDaemon(Loopback.settings(0, port), ResyncSettings.off(), backupTable,
                DaemonLoopbackTest::millis);
             MasterDaemon master = new MasterDaemon(Loopback.settings(5, port), SyncRule.DEFAULT, 4096,
                     ResyncSettings.off(), masterTable, DaemonLoopbackTest::millis)) {
            SyncQueue queue = masterTable.feed().queue(); // what the core's packet path writes to
            SyncEntry e = new SyncEntry();
            int offered = 0;
            for (int i = 0; i < 2000; i++) {
                while (!queue.offer(connection(e, i))) Thread.sleep(1); // the test may wait; the packet path never does
                offered++;
            }
            SyncEntry udp = new SyncEntry().set(17, 0, 0, Ip4.parse("10.214.2.9"), 5353, Ip4.parse(VIP), 53, Ip4.parse(RIP), 5300, 0, 300);
            queue.offer(udp);
            assertTrue(Loopback.await(() -> backupTable.entries() == 2001, 120), "backup has " + backupTable.entries());
            SyncEntry got = backupTable.connection(6, "10.214.2.7", 10007, VIP, 80);
            assertNotNull(got);
            assertEquals(IpvsConn.TCP_ESTABLISHED, got.state);
            assertEquals(Ip4.parse(RIP), got.destAddress);
            assertEquals(8080, got.destPort);
            assertEquals(900, got.timeout);
            assertEquals(IpvsConn.F_SYNC, got.flags & IpvsConn.F_SYNC, "marked as synced");
            assertEquals(300, backupTable.connection(17, "10.214.2.9", 5353, VIP, 53).timeout);

            SyncStatus m = master.status();
            assertEquals(2001L, m.counters().get("entries_sent"));
            assertTrue(m.counters().get("datagrams_sent") <= 60, "entries share datagrams: " + m.counters());
            SyncStatus b = backup.status();
            assertEquals(2001L, b.counters().get("entries_installed"));
            assertEquals(m.counters().get("datagrams_sent"), b.counters().get("datagrams_received"));
            assertTrue(b.counters().get("lag_millis") >= 0);
            assertEquals(2000, offered);
        }
        assertEquals(null, masterTable.feed(), "a stopped master detaches its feed");
    }

    @Test
    void aBackupFiltersOnItsSyncIdAndCountsWhatItCannotInstall() throws Exception {
        int port = Loopback.freeUdpPort();
        FakeConnectionSync masterTable = new FakeConnectionSync(10);
        FakeConnectionSync otherTable = new FakeConnectionSync(10);
        FakeConnectionSync backupTable = backupTable();
        try (BackupDaemon backup = new BackupDaemon(Loopback.settings(5, port), ResyncSettings.off(), backupTable,
                DaemonLoopbackTest::millis);
             MasterDaemon other = new MasterDaemon(Loopback.settings(6, port), SyncRule.DEFAULT, 64,
                     ResyncSettings.off(), otherTable, DaemonLoopbackTest::millis);
             MasterDaemon master = new MasterDaemon(Loopback.settings(5, port), SyncRule.DEFAULT, 64,
                     ResyncSettings.off(), masterTable, DaemonLoopbackTest::millis)) {
            SyncEntry e = new SyncEntry();
            otherTable.feed().queue().offer(connection(e, 9)); // sync id 6: not for this backup
            SyncQueue q = masterTable.feed().queue();
            q.offer(connection(e, 1));
            q.offer(connection(e, 2).set(6, 0, 1, 1, 1, Ip4.parse("10.9.9.9"), 80, Ip4.parse(RIP), 8080, 0, 900));
            q.offer(connection(e, 3).set(6, 0, 1, 1, 1, Ip4.parse(VIP), 80, Ip4.parse("10.9.9.9"), 80, 0, 900));
            assertTrue(Loopback.await(() -> {
                var c = backup.status().counters();
                return c.get("entries_installed") == 1 && c.get("dropped_unknown_service") == 1
                        && c.get("dropped_unknown_server") == 1 && c.get("dropped_syncid") == 1;
            }, 30), () -> backup.status().counters().toString());
            assertEquals(1, backupTable.entries());
            assertEquals(1L, other.status().counters().get("entries_sent"));
        }
    }

    @Test
    void aRestartedBackupGetsTheWholeTableByResync() throws Exception {
        int port = Loopback.freeUdpPort();
        int resyncPort = Loopback.freeTcpPort();
        FakeConnectionSync masterTable = new FakeConnectionSync(100_000);
        SyncEntry e = new SyncEntry();
        for (int i = 0; i < 2500; i++) masterTable.put(connection(e, i));
        SyncEntry template = new SyncEntry().set(6, IpvsConn.F_TEMPLATE, IpvsConn.TEMPLATE_NONE, Ip4.parse("10.214.2.77"), 0,
                Ip4.parse(VIP), 80, Ip4.parse(RIP), 8080, 0, 360);
        masterTable.put(template);
        ResyncSettings serve = new ResyncSettings(true, resyncPort, null, List.of(), 1_000_000, 60_000);
        ResyncSettings ask = new ResyncSettings(true, resyncPort, InetAddress.getByName("127.0.0.1"), List.of(), 1_000_000, 60_000);
        FakeConnectionSync backupTable = backupTable();
        try (MasterDaemon master = new MasterDaemon(Loopback.settings(1, port), SyncRule.DEFAULT, 64, serve, masterTable,
                DaemonLoopbackTest::millis);
             BackupDaemon backup = new BackupDaemon(Loopback.settings(1, port), ask, backupTable, DaemonLoopbackTest::millis)) {
            assertTrue(Loopback.await(() -> backupTable.entries() == 2501, 60), "backup has " + backupTable.entries());
            assertTrue(Loopback.await(() -> backup.status().lastResync() != null, 120));
            SyncStatus.ResyncReport r = backup.status().lastResync();
            assertEquals("complete", r.result());
            assertEquals(2501, r.entries());
            assertEquals("127.0.0.1", r.peer());
            assertTrue(r.durationMillis() >= 0);
            assertEquals(1L, backup.status().counters().get("resyncs"));
            assertTrue(Loopback.await(() -> master.status().lastResync() != null, 120));
            assertEquals(2501L, master.status().counters().get("resync_entries_sent"));
            assertEquals(360, backupTable.list().stream().filter(SyncEntry::isTemplate).findFirst().orElseThrow().timeout);
        }
    }

    @Test
    void aResyncFromOutsideTheAllowedNetworksIsRefused() throws Exception {
        int port = Loopback.freeUdpPort();
        int resyncPort = Loopback.freeTcpPort();
        FakeConnectionSync masterTable = new FakeConnectionSync(100);
        masterTable.put(connection(new SyncEntry(), 1));
        ResyncSettings serve = new ResyncSettings(true, resyncPort, null, List.of(Cidr.parse("10.0.0.0/8")), 100, 60_000);
        ResyncSettings ask = new ResyncSettings(true, resyncPort, InetAddress.getByName("127.0.0.1"), List.of(), 100, 60_000);
        FakeConnectionSync backupTable = backupTable();
        try (MasterDaemon master = new MasterDaemon(Loopback.settings(1, port), SyncRule.DEFAULT, 64, serve, masterTable,
                DaemonLoopbackTest::millis);
             BackupDaemon backup = new BackupDaemon(Loopback.settings(1, port), ask, backupTable, DaemonLoopbackTest::millis)) {
            assertTrue(Loopback.await(() -> backup.status().lastResync() != null, 120));
            assertTrue(backup.status().lastResync().result().startsWith("failed"), backup.status().lastResync().result());
            assertEquals(0, backupTable.entries());
            assertEquals(1L, master.status().counters().get("resyncs_refused"));
            assertEquals(1L, backup.status().counters().get("resync_failures"));
        }
    }
}
