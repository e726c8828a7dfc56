package org.jlvs.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.VirtualServerListener;
import org.jlvs.api.HealthMonitor;
import org.jlvs.api.VirtualServerTable;
import org.junit.After;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;

/**
 * Persistent configuration (bundle org.jlvs.config) in the distribution: the files in etc/ written from the
 * console, read back after the core and config bundles restart, edited by an operator (one service changes,
 * alone), corrupted (refused with the reason, the service keeps running), and lvs:save / lvs:restore /
 * lvs:ipvsadm. A second Pax Exam class because it restarts bundles and edits etc/. Each test uses its own
 * addresses (10.98.N.x). The restart of the whole JVM (bin/stop, bin/start) is in lab/e2e_config.py.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ConfigIT extends JlvsTestSupport {
    /** Karaf's etc/ (read in the container: the class is also made outside it, to get the configuration). */
    private static Path etc() {
        return Path.of(System.getProperty("karaf.etc"));
    }
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

    @After
    public void unregister() {
        registrations.forEach(ServiceRegistration::unregister);
        registrations.clear();
    }

    @Test
    public void a_aServiceMadeFromTheConsoleIsWrittenToEtcAndFollowsItsChanges() throws Exception {
        run("lvs:add-service -t 10.98.1.100:80 -s rr");
        run("lvs:add-server -t 10.98.1.100:80 -r 10.98.2.11:8080 -m -w 2");
        Path file = etc().resolve("org.jlvs.service-tcp-10.98.1.100-80.cfg");
        await(file + " holds the real server", () -> "-r 10.98.2.11:8080 -m -w 2".equals(property(file, "server.1")));
        assertEquals("-t 10.98.1.100:80 -s rr", property(file, "service"));
        assertTrue(run("lvs:config-status --no-format").lines()
                .anyMatch(l -> l.startsWith("etc/org.jlvs.service-tcp-10.98.1.100-80.cfg\tapplied\tTCP 10.98.1.100:80\t")));

        // a change from the console goes through Config Admin, which writes the file back
        run("lvs:edit-server -t 10.98.1.100:80 -r 10.98.2.11:8080 -w 5");
        await(file + " has the new weight", () -> "-r 10.98.2.11:8080 -m -w 5".equals(property(file, "server.1")));
        assertTrue("the explanation at the top of the file is kept", Files.readString(file).startsWith("# jlvs virtual service"));

        run("lvs:delete-service -t 10.98.1.100:80");
        await(file + " is deleted with its service", () -> !Files.exists(file));
    }

    @Test
    public void b_restartingTheCoreAndConfigBundlesBringsTheServicesBackFromTheFiles() throws Exception {
        run("lvs:ipvsadm -A -t 10.98.3.100:80 -s wlc -p 600 -M 255.255.255.0");
        run("lvs:ipvsadm -a -t 10.98.3.100:80 -r 10.98.4.11:80 -m -w 3 -x 100 -y 50");
        run("lvs:ipvsadm -a -t 10.98.3.100:80 -r 10.98.4.12:80 -m -w 0");
        run("lvs:ipvsadm -A -u 10.98.3.100:53 -s sh -b sh-port");
        run("lvs:ipvsadm -a -u 10.98.3.100:53 -r 10.98.4.13:5353 -m");
        await("both files are written", () -> "-r 10.98.4.13:5353 -m -w 1".equals(
                property(etc().resolve("org.jlvs.service-udp-10.98.3.100-53.cfg"), "server.1"))
                && "-r 10.98.4.12:80 -m -w 0".equals(property(etc().resolve("org.jlvs.service-tcp-10.98.3.100-80.cfg"), "server.2")));
        String before = run("lvs:save");
        String thresholds = run("lvs:list -n --thresholds -t 10.98.3.100:80");

        Bundle core = bundle("org.jlvs.core");
        Bundle config = bundle("org.jlvs.config");
        config.stop();
        core.stop();
        core.start();
        VirtualServerTable table = service(VirtualServerTable.class, null);
        assertEquals("a new core starts empty", List.of(), table.list());
        config.start();
        await("the services are back from etc/", () -> {
            try {
                return before.equals(run("lvs:save"));
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(thresholds, run("lvs:list -n --thresholds -t 10.98.3.100:80"));
    }

    @Test
    public void c_editingAServicesFileChangesThatServiceAloneAndOnlyWhatChanged() throws Exception {
        run("lvs:add-service -t 10.98.5.100:80 -s rr");
        run("lvs:add-server -t 10.98.5.100:80 -r 10.98.6.11:80 -m -w 1");
        run("lvs:add-server -t 10.98.5.100:80 -r 10.98.6.12:80 -m -w 1");
        run("lvs:add-service -t 10.98.5.101:80 -s wlc");
        run("lvs:add-server -t 10.98.5.101:80 -r 10.98.6.13:80 -m -w 1");
        run("lvs:add-service -t 10.98.5.102:80 -s rr"); // the fence's (see fence)
        run("lvs:add-server -t 10.98.5.102:80 -r 10.98.6.14:80 -m -w 1");
        Path web = etc().resolve("org.jlvs.service-tcp-10.98.5.100-80.cfg");
        Path other = etc().resolve("org.jlvs.service-tcp-10.98.5.101-80.cfg");
        Path fence = etc().resolve("org.jlvs.service-tcp-10.98.5.102-80.cfg");
        await("the files are written", () -> property(web, "server.2") != null && property(other, "server.1") != null
                && property(fence, "server.1") != null);
        VirtualServerTable table = service(VirtualServerTable.class, null);
        ServiceKey webKey = tcp("10.98.5.100", 80);
        ServiceInfo otherBefore = table.get(tcp("10.98.5.101", 80));
        List<String> changes = recordChanges(table);

        // the same settings written differently (spacing, numbering, -p order) change nothing at all
        Files.writeString(web, "service=-t 10.98.5.100:80 -s rr\nserver.7=-r 10.98.6.12 -m\nserver.3=-r 10.98.6.11:80 -w 1 -m\n");
        awaitConfigStatus(web, "applied");
        fence(table, fence); // every change from that write would have come by now
        assertEquals("a file saved without a real change touched nothing", List.of(), without(changes));

        // a new weight for one real server: that server is edited, nothing else
        Files.writeString(web, "service = -t 10.98.5.100:80 -s rr\nserver.1 = -r 10.98.6.11:80 -m -w 1\n"
                + "server.2 = -r 10.98.6.12:80 -m -w 7\n");
        await("the new weight is applied", () -> table.get(webKey).servers().stream()
                .anyMatch(s -> s.config().port() == 80 && s.config().address() == Ip4.parse("10.98.6.12") && s.config().weight() == 7));
        fence(table, fence);
        assertEquals("one change, of that service, which never disappeared", List.of("TCP 10.98.5.100:80 present"),
                without(changes));
        assertEquals("the other service is untouched", otherBefore, table.get(tcp("10.98.5.101", 80)));
        assertEquals(2, table.get(webKey).servers().size());
    }

    @Test
    public void d_aCorruptFileIsRefusedWithItsReasonAndTheServiceKeepsRunning() throws Exception {
        run("lvs:add-service -t 10.98.7.100:80 -s rr");
        run("lvs:add-server -t 10.98.7.100:80 -r 10.98.8.11:80 -m -w 2");
        Path file = etc().resolve("org.jlvs.service-tcp-10.98.7.100-80.cfg");
        await("the file is written", () -> property(file, "server.1") != null);
        VirtualServerTable table = service(VirtualServerTable.class, null);
        String listing = run("lvs:list -n");
        List<String> changes = recordChanges(table);

        Files.writeString(file, "service = -t 10.98.7.100:80 -s rr\nserver.1 = -r 10.98.8.11:80 -m -w 70000\n");
        String status = awaitConfigStatus(file, "REJECTED");
        assertTrue(status, status.endsWith("\tREJECTED\tTCP 10.98.7.100:80\tkey server.1"
                + " (-r 10.98.8.11:80 -m -w 70000): illegal weight specified"));
        Path log = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
        await("karaf.log names the file, the key and the reason", () -> read(log).contains(
                "etc/org.jlvs.service-tcp-10.98.7.100-80.cfg is refused: key server.1 (-r 10.98.8.11:80 -m -w 70000):"
                        + " illegal weight specified; TCP 10.98.7.100:80 keeps running as it was"));

        // a file that is not even a service's: refused as well
        Path garbage = etc().resolve("org.jlvs.service-garbage.cfg");
        Files.write(garbage, new byte[] {'s', 'e', 'r', 'v', 'i', 'c', 'e', '=', (byte) 0xff, '\n', '{', '\n'});
        String garbageStatus = awaitConfigStatus(garbage, "REJECTED");
        assertTrue(garbageStatus, garbageStatus.contains("key service ("));
        Files.delete(garbage);

        assertEquals("the running configuration stays as it was", listing, run("lvs:list -n"));
        assertEquals(List.of(), changes);

        // repaired: applied again
        Files.writeString(file, "service = -t 10.98.7.100:80 -s rr\nserver.1 = -r 10.98.8.11:80 -m -w 3\n");
        awaitConfigStatus(file, "applied");
        assertEquals(3, table.get(tcp("10.98.7.100", 80)).servers().get(0).config().weight());
    }

    @Test
    public void e_aRestoreThatDoesNotValidateChangesNothingAndAGoodOneOnlyWhatDiffers() throws Exception {
        run("lvs:add-service -t 10.98.9.100:80 -s rr");
        run("lvs:add-server -t 10.98.9.100:80 -r 10.98.10.11:80 -m -w 1");
        run("lvs:add-server -t 10.98.9.100:80 -r 10.98.10.12:80 -m -w 1");
        VirtualServerTable table = service(VirtualServerTable.class, null);
        Path saved = Path.of(System.getProperty("karaf.data"), "tmp", "jlvs-saved.json");
        Files.createDirectories(saved.getParent());
        assertTrue(run("lvs:save " + saved).startsWith("saved "));
        String json = Files.readString(saved);
        String listing = run("lvs:list -n");
        List<String> changes = recordChanges(table);

        // JSON: the weight of one real server made invalid
        String marker = "\"address\": \"10.98.10.12\",\n          \"port\": 80,\n          \"method\": \"masq\",\n"
                + "          \"weight\": 1,";
        assertTrue(json, json.contains(marker));
        Path bad = saved.resolveSibling("jlvs-bad.json");
        Files.writeString(bad, json.replace(marker, marker.replace("\"weight\": 1,", "\"weight\": 70000,")));
        String refusal = refused("lvs:restore " + bad);
        assertTrue(refusal, refusal.matches(".*jlvs-bad\\.json: services\\[\\d+\\]\\.servers\\[1\\]\\.weight \\(line \\d+\\):"
                + " must be a whole number from 0 to 65535, not 70000 \\(nothing was changed\\)"));

        // ipvsadm rules: the second line is refused, so the first is not applied either
        Path rules = saved.resolveSibling("jlvs-bad.rules");
        Files.writeString(rules, "-A -t 10.98.9.101:80 -s rr\n-e -t 10.98.9.100:80 -r 10.98.10.99:80 -m -w 2\n");
        assertEquals(rules + ": line 2 (-e -t 10.98.9.100:80 -r 10.98.10.99:80 -m -w 2): No such destination"
                + " (nothing was changed)", refused("lvs:restore --merge --format ipvsadm " + rules));
        assertEquals(listing, run("lvs:list -n"));
        assertEquals(List.of(), changes);

        // a good restore of the saved file with one weight changed: one change, of that service
        Path good = saved.resolveSibling("jlvs-good.json");
        Files.writeString(good, json.replace(marker, marker.replace("\"weight\": 1,", "\"weight\": 4,")));
        String restored = run("lvs:restore " + good);
        assertTrue(restored, restored.contains(": 0 added, 1 changed, 0 deleted, "));
        assertEquals(List.of("TCP 10.98.9.100:80 present"), changes);
        assertEquals(4, table.get(tcp("10.98.9.100", 80)).servers().get(1).config().weight());
    }

    @Test
    public void f_lvsIpvsadmRunsIpvsadmCommandLinesAndPrintsWhatIpvsadmPrints() throws Exception {
        assertEquals("", run("lvs:ipvsadm -A -t 10.98.11.100:80 -s wlc"));
        run("lvs:ipvsadm -a -t 10.98.11.100:80 -r 10.98.12.11 -m -w 2");
        run("lvs:ipvsadm -a -t 10.98.11.100:80 -r 10.98.12.12:8080 -m");
        assertEquals("Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                + "TCP  10.98.11.100:80 wlc\n"
                + String.format("  -> %-28s %-7s %-6d %-10d %-10d\n", "10.98.12.11:80", "Masq", 2, 0, 0)
                + String.format("  -> %-28s %-7s %-6d %-10d %-10d\n", "10.98.12.12:8080", "Masq", 1, 0, 0),
                run("lvs:ipvsadm -Ln -t 10.98.11.100:80"));
        assertTrue(run("lvs:ipvsadm -S -n").contains("-A -t 10.98.11.100:80 -s wlc\n"
                + "-a -t 10.98.11.100:80 -r 10.98.12.11:80 -m -w 2\n-a -t 10.98.11.100:80 -r 10.98.12.12:8080 -m -w 1\n"));
        assertEquals("Service already exists", refused("lvs:ipvsadm -A -t 10.98.11.100:80 -s rr"));
        assertEquals("Illegal 'weight' option with the 'add-service' command", refused("lvs:ipvsadm -A -t 10.98.11.101:80 -w 2"));
    }

    @Test
    public void g_aKeepalivedConfigurationIsImportedAndWhatIsNotCarriedOverIsListed() throws Exception {
        Path conf = Path.of(System.getProperty("karaf.data"), "tmp", "keepalived.conf");
        Files.createDirectories(conf.getParent());
        Files.writeString(conf, "virtual_server 10.98.13.100 80 {\n    lb_algo rr\n    lb_kind NAT\n    protocol TCP\n"
                + "    real_server 10.98.14.11 8080 {\n        weight 2\n        TCP_CHECK {\n            connect_timeout 3\n"
                + "        }\n    }\n}\n");
        service(HealthMonitor.class, null); // the import carries checks over only once the monitor is there
        String out = run("lvs:import-keepalived --merge " + conf);
        assertTrue(out, out.contains("imported 1 virtual servers from " + conf + ": 1 added, 0 changed, 0 deleted, 0 unchanged"));
        // the health monitor is installed, so the TCP_CHECK is carried over as a check
        assertTrue(out, out.contains("health checks: 1 added"));
        assertFalse(out, out.contains("TCP_CHECK"));
        String checks = run("lvs:checks -n");
        assertTrue(checks, checks.contains("10.98.14.11:8080"));
        assertTrue(run("lvs:ipvsadm -S -n").contains("-A -t 10.98.13.100:80 -s rr\n"
                + "-a -t 10.98.13.100:80 -r 10.98.14.11:8080 -m -w 2\n"));
        // and it is persisted like any other service
        Path file = etc().resolve("org.jlvs.service-tcp-10.98.13.100-80.cfg");
        await(file + " is written", () -> "-r 10.98.14.11:8080 -m -w 2".equals(property(file, "server.1")));
    }

    // ----- helpers -----

    private int fenceWeight = 1;

    /**
     * Waits until every file written before this call has been delivered to the config bundle, instead of a
     * fixed sleep: two changes of a file of its own (the service 10.98.5.102:80), each awaited in the table.
     * File Install applies the files of one scan before it starts the next, and the bundle hears Config Admin's
     * events in order, so the second change, written after the first was seen, comes after anything written
     * before the first.
     */
    private void fence(VirtualServerTable table, Path file) throws IOException {
        ServiceKey key = tcp("10.98.5.102", 80);
        for (int i = 0; i < 2; i++) {
            int weight = ++fenceWeight;
            Files.writeString(file, "service = -t 10.98.5.102:80 -s rr\nserver.1 = -r 10.98.6.14:80 -m -w " + weight + "\n");
            await("the fence's weight " + weight + " is applied",
                    () -> table.get(key) != null && table.get(key).servers().get(0).config().weight() == weight);
        }
    }

    /** The recorded changes less the fence's. */
    private static List<String> without(List<String> changes) {
        return changes.stream().filter(c -> !c.startsWith("TCP 10.98.5.102:80 ")).toList();
    }

    /** Records "KEY present|absent" for every change the table announces (as the config bundle hears them). */
    private List<String> recordChanges(VirtualServerTable table) {
        List<String> changes = new CopyOnWriteArrayList<>();
        VirtualServerListener listener = key -> changes.add(key == null ? "all"
                : key + (table.get(key) == null ? " absent" : " present"));
        registrations.add(bundleContext.registerService(VirtualServerListener.class, listener, null));
        return changes;
    }

    /** The line of lvs:config-status --no-format (file, state, service, reason; tab-separated) once its state is {@code state}. */
    private String awaitConfigStatus(Path file, String state) {
        String name = "etc/" + file.getFileName();
        String[] line = new String[1];
        await(name + " is " + state, () -> {
            try {
                for (String l : run("lvs:config-status --no-format").split("\n")) {
                    if (l.startsWith(name + "\t" + state + "\t")) {
                        line[0] = l;
                        return true;
                    }
                }
                return false;
            } catch (Exception e) {
                return false;
            }
        });
        return line[0];
    }

    private static String property(Path file, String key) {
        if (!Files.exists(file)) return null;
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            p.load(reader);
        } catch (IOException e) {
            return null; // being written
        }
        return p.getProperty(key);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ServiceKey tcp(String address, int port) {
        return new ServiceKey(Protocol.TCP, Ip4.parse(address), port);
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : bundleContext.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) return b;
        }
        fail("no bundle " + symbolicName);
        return null;
    }

    private static void await(String what, BooleanSupplier condition) {
        long end = System.currentTimeMillis() + TIMEOUT_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) fail("timed out waiting until " + what);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
