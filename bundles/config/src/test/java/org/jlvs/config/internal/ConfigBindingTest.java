package org.jlvs.config.internal;

import static org.jlvs.ipvsadm.Models.masq;
import static org.jlvs.ipvsadm.Models.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.jlvs.api.fake.FakeVirtualServerTable;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.config.ConfigStatus.State;
import org.jlvs.api.config.ConfigStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files (configurations) and the table kept in step both ways, through fakes of both. */
class ConfigBindingTest {
    private static final ServiceKey WEB = tcp("10.0.0.1", 80);
    private static final ServiceKey API = tcp("10.0.0.2", 80);

    @TempDir
    Path home;

    private final FakeVirtualServerTable table = new FakeVirtualServerTable();
    private final FakeConfigAdmin cm = new FakeConfigAdmin();
    private ConfigBinding binding;

    private void start() throws IOException {
        Path etc = Files.createDirectories(home.resolve("etc"));
        binding = new ConfigBinding(table, cm.service, etc.toFile(), home);
        cm.listener = binding;
        table.listeners.add(binding);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (binding != null) binding.deactivate();
    }

    /** Waits for the binding's thread (its status is answered after the work queued before). */
    private List<ConfigStatus.Entry> status() {
        return binding.entries();
    }

    private ConfigStatus.Entry status(String name) {
        return status().stream().filter(e -> e.pid().equals("org.jlvs.service~" + name)).findFirst().orElse(null);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + 120_000; // generous: the machine is shared; passing tests never wait it out
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) throw new AssertionError("timed out: " + what);
            Thread.sleep(20);
        }
    }

    @Test
    void atStartValidFilesAreAppliedAndABadOneIsRefusedWithItsKeyAndReason() throws IOException {
        cm.put("web", Map.of("service", "-t 10.0.0.1:80 -s rr", "server.1", "-r 10.0.1.1:80 -m -w 2"));
        cm.put("api", Map.of("service", "-t 10.0.0.2:80 -s rr", "server.1", "-r 10.0.1.2:80 -m -w 70000"));
        start();
        assertEquals(State.APPLIED, status("web").state());
        ConfigStatus.Entry api = status("api");
        assertEquals(State.REJECTED, api.state());
        assertEquals("TCP 10.0.0.2:80", api.service());
        assertEquals("key server.1 (-r 10.0.1.2:80 -m -w 70000): illegal weight specified", api.reason());
        assertEquals(List.of("add-service TCP 10.0.0.1:80", "add-server TCP 10.0.0.1:80 10.0.1.1:80"), table.log);
        assertEquals(List.of(), cm.writes, "applying a file writes nothing back");
    }

    @Test
    void anEarlierWriteThatComesBackLateIsNotAppliedAndTheTableIsWrittenAgain() throws IOException {
        start();
        table.addService(ServiceConfig.of(API, "wlc"));
        table.addServer(API, masq("10.0.1.2", 80, 1));
        status();
        String pid = "org.jlvs.service~tcp-10.0.0.2-80";
        Map<String, String> weightOne = new java.util.HashMap<>();
        cm.stored.get(pid).forEach((k, v) -> weightOne.put(k, String.valueOf(v)));
        assertEquals("-r 10.0.1.2:80 -m -w 1", weightOne.get("server.1"));
        table.editServer(API, masq("10.0.1.2", 80, 8));
        status();
        status(); // the second write's own return is handled first, as when fileinstall reads its file back later
        // fileinstall reads back the file of the first write and puts it into Config Admin after the second
        cm.put("tcp-10.0.0.2-80", weightOne);
        status();
        status(); // the write it queued runs after the first status
        assertEquals(8, table.server(API, 0).weight(), "the table was set back to an earlier write of its own");
        assertEquals("-r 10.0.1.2:80 -m -w 8", cm.stored.get(pid).get("server.1"), "the table's state is written again");
        // an operator's edit (not a write of ours) is still applied
        weightOne.put("server.1", "-r 10.0.1.2:80 -m -w 5");
        cm.put("tcp-10.0.0.2-80", weightOne);
        status();
        assertEquals(5, table.server(API, 0).weight());
    }

    @Test
    void whatTheHealthMonitorDidToRealServersIsNotWritten() throws IOException {
        cm.put("web", Map.of("service", "-t 10.0.0.1:80 -s rr", "server.1", "-r 10.0.1.1:80 -m -w 2",
                "server.2", "-r 10.0.1.2:80 -m -w 3", "server.3", "-r 10.0.1.3:80 -m -w 4"));
        start();
        status();
        int rs2 = org.jlvs.api.Ip4.parse("10.0.1.2"), rs3 = org.jlvs.api.Ip4.parse("10.0.1.3"),
                sorry = org.jlvs.api.Ip4.parse("10.0.1.9");
        // the monitor took rs2 out, holds rs3 at weight 0 (inhibit_on_failure) and put its sorry server in
        binding.health = key -> key.equals(WEB) ? new org.jlvs.api.HealthStatus.ServiceHealth(WEB, null, false, 0,
                List.of(new org.jlvs.api.HealthStatus.ServerHealth(rs2, 80, false, false, false, "DOWN", "removed", 0),
                        new org.jlvs.api.HealthStatus.ServerHealth(rs3, 80, false, true, false, "DOWN", "weight 0", 0),
                        new org.jlvs.api.HealthStatus.ServerHealth(sorry, 80, true, true, true, "SORRY", "", 0)))
                : null;
        table.deleteServer(WEB, rs2, 80);
        table.editServer(WEB, masq("10.0.1.3", 80, 0));
        table.addServer(WEB, masq("10.0.1.9", 80, 1));
        status();
        assertEquals(List.of(), cm.writes, "the stored configuration stays the operator's");
        // an operator's change is still written, with the monitor's doings left out
        table.editServer(WEB, masq("10.0.1.1", 80, 5));
        status();
        Map<String, Object> stored = cm.stored.get("org.jlvs.service~web");
        assertEquals(List.of("-r 10.0.1.1:80 -m -w 5", "-r 10.0.1.2:80 -m -w 3", "-r 10.0.1.3:80 -m -w 4"),
                stored.entrySet().stream().filter(e -> e.getKey().startsWith("server."))
                        .map(e -> String.valueOf(e.getValue())).sorted().toList());
    }

    @Test
    void anIpv6ServiceFileIsAppliedAndABadIpv6EditKeepsItRunning() throws IOException {
        ServiceKey web6 = ServiceKey.parse(org.jlvs.api.Protocol.TCP, "[2001:db8::1]:80");
        cm.put("web6", Map.of("service", "-t [2001:db8::1]:80 -s rr", "server.1", "-r [2001:db8::11]:80 -m -w 2"));
        start();
        assertEquals(State.APPLIED, status("web6").state());
        assertEquals(List.of("add-service TCP [2001:db8::1]:80", "add-server TCP [2001:db8::1]:80 [2001:db8::11]:80"),
                table.log);
        cm.put("web6", Map.of("service", "-t [2001:db8::1]:80 -s rr", "server.1", "-r [2001:db8::11:80 -m -w 2"));
        ConfigStatus.Entry refused = status("web6");
        assertEquals(State.REJECTED, refused.state());
        assertEquals("key server.1 (-r [2001:db8::11:80 -m -w 2): illegal real server address[:port] specified",
                refused.reason());
        assertEquals(2, table.log.size(), "a refused file changes nothing");
        assertEquals(1, table.get(web6).servers().size(), "the running configuration stays");
    }

    @Test
    void anIpv6ServiceMadeFromTheConsoleGetsItsFile() throws IOException {
        start();
        ServiceKey web6 = ServiceKey.parse(org.jlvs.api.Protocol.TCP, "[2001:db8::1]:80");
        table.addService(ServiceConfig.of(web6, "wlc"));
        status();
        table.addServer(web6, org.jlvs.api.ServerConfig.of(org.jlvs.api.Ip6Address.parse("2001:db8::11"), 8080,
                org.jlvs.api.ForwardMethod.MASQ, 3));
        status();
        String pid = "org.jlvs.service~tcp-2001_db8__1-80";
        assertEquals("-t [2001:db8::1]:80 -s wlc", cm.stored.get(pid).get("service"));
        assertEquals("-r [2001:db8::11]:8080 -m -w 3", cm.stored.get(pid).get("server.1"));
        String text = Files.readString(home.resolve("etc/org.jlvs.service-tcp-2001_db8__1-80.cfg"));
        assertTrue(text.contains("\nservice = -t [2001:db8::1]:80 -s wlc\n"), text);
    }

    @Test
    void aServiceMadeFromTheConsoleGetsItsFileAndConfiguration() throws IOException {
        start();
        table.addService(ServiceConfig.of(API, "wlc"));
        status();
        table.addServer(API, masq("10.0.1.2", 8080, 3));
        status();
        String pid = "org.jlvs.service~tcp-10.0.0.2-80";
        assertEquals("-t 10.0.0.2:80 -s wlc", cm.stored.get(pid).get("service"));
        assertEquals("-r 10.0.1.2:8080 -m -w 3", cm.stored.get(pid).get("server.1"));
        File file = home.resolve("etc/org.jlvs.service-tcp-10.0.0.2-80.cfg").toFile().getCanonicalFile();
        assertEquals(file.toURI().toString(), cm.stored.get(pid).get(ConfigBinding.FILENAME));
        String text = Files.readString(file.toPath());
        assertTrue(text.startsWith("# jlvs virtual service TCP 10.0.0.2:80"), text);
        assertTrue(text.contains("\nservice = -t 10.0.0.2:80 -s wlc\n"), text);
        assertEquals(new ConfigStatus.Entry("etc/org.jlvs.service-tcp-10.0.0.2-80.cfg", pid, "TCP 10.0.0.2:80",
                State.APPLIED, null), status("tcp-10.0.0.2-80"));
        // the configuration's own events came back and found nothing to do
        assertEquals(List.of("add-service TCP 10.0.0.2:80", "add-server TCP 10.0.0.2:80 10.0.1.2:8080"), table.log);
        assertEquals(List.of("update " + pid, "update " + pid), cm.writes);

        // deleting the service deletes its configuration and its file
        table.deleteService(API);
        status();
        assertNull(cm.stored.get(pid));
        assertFalse(file.exists());
        assertEquals(List.of(), status());
    }

    @Test
    void anEditedFileChangesOnlyWhatChangedAndABadEditKeepsTheServiceRunning() throws IOException {
        cm.put("web", Map.of("service", "-t 10.0.0.1:80 -s rr", "server.1", "-r 10.0.1.1:80 -m -w 1",
                "server.2", "-r 10.0.1.2:80 -m -w 1"));
        cm.put("api", Map.of("service", "-t 10.0.0.2:80 -s rr", "server.1", "-r 10.0.1.3:80 -m"));
        start();
        status();
        table.log.clear();

        cm.put("web", Map.of("service", "-t 10.0.0.1:80 -s rr", "server.1", "-r 10.0.1.1:80 -m -w 1",
                "server.2", "-r 10.0.1.2:80 -m -w 4"));
        status();
        assertEquals(List.of("edit-server TCP 10.0.0.1:80 10.0.1.2:80"), table.log, "one weight, one change");
        cm.put("web", Map.of("service", "-t 10.0.0.1:80 -s rr", "server.1", "-r 10.0.1.1:80 -m -w 1",
                "server.2", "-r 10.0.1.2:80 -m -w 4"));
        status();
        assertEquals(1, table.log.size(), "saving the file unchanged touches nothing");

        cm.put("web", Map.of("service", "-t 10.0.0.1:80 -s rr -p x", "server.1", "-r 10.0.1.1:80 -m -w 1"));
        ConfigStatus.Entry web = status("web");
        assertEquals(State.REJECTED, web.state());
        assertEquals("key service (-t 10.0.0.1:80 -s rr -p x): invalid timeout value `x' specified", web.reason());
        assertEquals(1, table.log.size(), "a refused file changes nothing");
        assertEquals(2, table.get(WEB).servers().size());

        cm.put("web", Map.of("service", "-t 10.0.0.1:80 -s wlc", "server.1", "-r 10.0.1.1:80 -m -w 1"));
        assertEquals(State.APPLIED, status("web").state());
        assertEquals(List.of("edit-server TCP 10.0.0.1:80 10.0.1.2:80", "delete-server TCP 10.0.0.1:80 10.0.1.2:80",
                "edit-service TCP 10.0.0.1:80"), table.log);

        // a second file for the same service is refused; deleting the first file deletes the service
        cm.put("copy", Map.of("service", "-t 10.0.0.1:80 -s rr"));
        assertEquals("service TCP 10.0.0.1:80 is already configured in configuration org.jlvs.service~web",
                status("copy").reason());
        cm.remove("web");
        status();
        assertNull(table.get(WEB));
        assertEquals("TCP 10.0.0.2:80", table.list().get(0).config().key().toString(), "the other service stays");
        assertEquals(List.of(), cm.writes);
    }

    @Test
    void aLateEventOfItsOwnWriteDoesNotUndoALaterConsoleChange() throws IOException {
        start();
        cm.hold = true;
        table.addService(ServiceConfig.of(API, "wlc"));
        table.addServer(API, masq("10.0.1.2", 80, 1));
        status(); // written: the service with one server; Config Admin has not told yet
        // the second change's notification comes late, after the event of the first write
        table.listeners.remove(binding);
        table.addServer(API, masq("10.0.1.3", 80, 1));
        cm.release();
        status();
        binding.changed(API);
        status();
        assertEquals(2, table.get(API).servers().size(), "the second real server stays");
        assertEquals("-r 10.0.1.3:80 -m -w 1", cm.stored.get("org.jlvs.service~tcp-10.0.0.2-80").get("server.2"));
        assertEquals(List.of("add-service TCP 10.0.0.2:80", "add-server TCP 10.0.0.2:80 10.0.1.2:80",
                "add-server TCP 10.0.0.2:80 10.0.1.3:80"), table.log);
    }

    @Test
    void aFileNamingASchedulerNotInstalledWaitsForIt() throws Exception {
        cm.put("web", Map.of("service", "-t 10.0.0.1:80 -s nq", "server.1", "-r 10.0.1.1:80 -m"));
        start();
        ConfigStatus.Entry web = status("web");
        assertEquals(State.PENDING, web.state());
        assertEquals("TCP 10.0.0.1:80: scheduler 'nq' is not installed (installed are lc, mh, rr, sh, wlc, wrr):"
                + " install the jlvs-scheduler-nq feature", web.reason());
        assertNull(table.get(WEB));
        synchronized (table) {
            table.schedulers.add("nq");
        }
        await("the waiting file is applied once nq is there", () -> table.get(WEB) != null);
        assertEquals(State.APPLIED, status("web").state());
    }

    @Test
    void servicesMadeWhileStoppedAreWrittenAtStartAndClearDeletesAll() throws IOException {
        table.addService(ServiceConfig.of(WEB, "rr"));
        cm.put("api", Map.of("service", "-t 10.0.0.2:80 -s rr"));
        start();
        assertEquals(2, status().size());
        assertEquals("-t 10.0.0.1:80 -s rr", cm.stored.get("org.jlvs.service~tcp-10.0.0.1-80").get("service"));
        table.clear();
        status();
        assertEquals(List.of(), status());
        assertEquals(Map.of(), cm.stored);
    }
}
