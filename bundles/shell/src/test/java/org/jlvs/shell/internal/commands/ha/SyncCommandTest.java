package org.jlvs.shell.internal.commands.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.karaf.shell.support.CommandException;
import org.jlvs.api.fake.FakeSyncDaemon;
import org.jlvs.api.fake.FakeVirtualServerTable;
import org.jlvs.api.sync.SyncDaemon;
import org.jlvs.api.sync.SyncSettings;
import org.jlvs.api.sync.SyncStatus;
import org.jlvs.shell.internal.commands.service.ListCommand;
import org.junit.jupiter.api.Test;

class SyncCommandTest {
    private final FakeSyncDaemon daemon = new FakeSyncDaemon();

    SyncCommandTest() {
        daemon.counters.put(SyncDaemon.Role.MASTER, Map.of("entries_sent", 42L));
        daemon.counters.put(SyncDaemon.Role.BACKUP, Map.of("entries_installed", 42L));
        daemon.resyncs.put(SyncDaemon.Role.BACKUP, new SyncStatus.ResyncReport("10.99.1.1", 0, 120, 2000, "complete"));
    }
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private String sync(String action, String role, String... options) throws Exception {
        SyncCommand c = new SyncCommand();
        c.table = new FakeVirtualServerTable();
        c.daemon = daemon;
        java.util.List<String> words = new java.util.ArrayList<>();
        if (action != null) words.add(action);
        if (role != null) words.add(role);
        words.addAll(java.util.List.of(options));
        c.words = words;
        c.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        out.reset();
        c.execute();
        return out.toString(StandardCharsets.UTF_8);
    }

    private String listDaemon(SyncDaemon d) throws Exception {
        ListCommand c = new ListCommand();
        c.table = new FakeVirtualServerTable();
        c.syncDaemon = d;
        c.daemon = true;
        c.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        out.reset();
        c.execute();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void startTakesIpvsadmsSettingsAndDefaults() throws Exception {
        sync("start", "master", "--mcast-interface", "eth0", "--syncid", "7");
        assertEquals(SyncSettings.of("eth0", 7), daemon.running.get(SyncDaemon.Role.MASTER));
        sync("start", "backup", "--mcast-interface", "eth1", "--syncid", "9", "--group", "239.1.2.3", "--port", "9000",
                "--ttl", "3", "--maxlen", "1400");
        assertEquals(new SyncSettings("eth1", 9, "239.1.2.3", 9000, 3, 1400), daemon.running.get(SyncDaemon.Role.BACKUP));
    }

    @Test
    void listDaemonIsIpvsadmsLayout() throws Exception {
        assertEquals("", listDaemon(daemon), "no daemon: nothing, as ipvsadm");
        assertEquals("", listDaemon(null), "no sync bundle: nothing either");
        sync("start", "backup", "--mcast-interface", "eth0", "--syncid", "0");
        sync("start", "master", "--mcast-interface", "eth0", "--syncid", "7");
        assertEquals("master sync daemon (mcast=eth0, syncid=7, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n"
                + "backup sync daemon (mcast=eth0, syncid=0, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)\n",
                listDaemon(daemon));
    }

    @Test
    void stopAndStatus() throws Exception {
        sync("start", "backup", "--mcast-interface", "eth0", "--syncid", "7");
        String status = sync("status", null);
        assertTrue(status.contains("master sync daemon: not configured"), status);
        assertTrue(status.contains("  entries_installed 42"), status);
        assertTrue(status.contains("last resync: 10.99.1.1, 2000 entries in 120 ms, complete"), status);
        sync("stop", "backup");
        assertTrue(daemon.running.isEmpty());
        CommandException e = assertThrows(CommandException.class, () -> sync("stop", "backup"));
        assertEquals("no backup sync daemon runs", e.getMessage());
    }

    @Test
    void statusAsJson() throws Exception {
        sync("start", "backup", "--mcast-interface", "eth0", "--syncid", "7");
        JsonNode doc = new ObjectMapper()
                .readTree(sync("status", null, "--json"));
        assertEquals("jlvs-sync", doc.get("format").asText());
        assertTrue(doc.get("installed").asBoolean());
        assertEquals(1, doc.get("daemons").size(), "the master is not configured");
        assertEquals("backup", doc.get("daemons").get(0).get("role").asText());
        assertEquals(7, doc.get("daemons").get(0).get("settings").get("syncid").asInt());
        assertEquals(42, doc.get("daemons").get(0).get("counters").get("entries_installed").asLong());
        assertEquals(2000, doc.get("daemons").get(0).get("last_resync").get("entries").asLong());
        assertEquals(0, new ObjectMapper().readTree(sync("status", "master", "--json"))
                .get("daemons").size());
        assertEquals("--json applies to lvs:sync status only",
                assertThrows(CommandException.class, () -> sync("stop", "backup", "--json")).getMessage());
    }

    @Test
    void badInputIsRefusedWithOneLine() {
        assertEquals("master or backup is required",
                assertThrows(CommandException.class, () -> sync("start", null, "--mcast-interface", "eth0")).getMessage());
        assertEquals("--mcast-interface is required",
                assertThrows(CommandException.class, () -> sync("start", "master")).getMessage());
        assertTrue(assertThrows(CommandException.class, () -> sync("start", "master", "--mcast-interface", "eth0",
                "--syncid", "256")).getMessage().contains("syncid"));
        assertTrue(assertThrows(CommandException.class, () -> sync("start", "master", "--mcast-interface", "eth0",
                "--group", "10.0.0.1")).getMessage().contains("mcast-group"));
        assertEquals("unknown action 'restart': start, stop or status",
                assertThrows(CommandException.class, () -> sync("restart", "master")).getMessage());
        assertTrue(daemon.running.isEmpty());
        SyncCommand none = new SyncCommand();
        none.table = new FakeVirtualServerTable();
        none.words = java.util.List.of("status");
        assertEquals("connection sync is not installed (feature:install jlvs-sync)",
                assertThrows(CommandException.class, none::execute).getMessage());
    }
}
