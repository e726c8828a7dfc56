package org.jlvs.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import org.apache.karaf.features.Dependency;
import org.apache.karaf.features.Feature;
import org.jlvs.api.ConnectionTable;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.VirtualServerTable;
import org.jlvs.api.spi.Forwarder;
import org.jlvs.api.spi.PacketIo;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.sync.ConnectionSync;
import org.jlvs.api.sync.SyncDaemon;
import org.jlvs.api.sync.SyncSettings;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.SynchronousBundleListener;

/**
 * The appliance as shipped: one boot of the distribution (about 10 s) for every check, so the checks are
 * grouped here. Each test uses its own virtual addresses (10.99.N.x) and does not depend on another test.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ApplianceIT extends JlvsTestSupport {
    /** The features the distribution boots: the members of feature `jlvs` and what they pull in. */
    static final List<String> FEATURES = List.of("jlvs-api", "jlvs-packet", "jlvs-packetio-afpacket", "jlvs-core",
            "jlvs-forward-nat", "jlvs-forward-dr", "jlvs-forward-tun", "jlvs-scheduler-rr", "jlvs-scheduler-wlc", "jlvs-scheduler-wrr", "jlvs-scheduler-lc", "jlvs-scheduler-sed", "jlvs-scheduler-nq", "jlvs-scheduler-fo", "jlvs-scheduler-ovf", "jlvs-scheduler-lblc", "jlvs-scheduler-lblcr", "jlvs-scheduler-dh", "jlvs-scheduler-sh", "jlvs-scheduler-mh", "jlvs-scheduler-twos", "jlvs-ipvsadm", "jlvs-shell", "jlvs-config",
            "jlvs-import-keepalived", "jlvs-healthcheck", "jlvs-check-tcp", "jlvs-check-http", "jlvs-check-misc", "jlvs-check-udp", "jlvs-check-dns", "jlvs-check-ping", "jlvs-sync");

    static final List<String> BUNDLES = List.of("org.jlvs.api", "org.jlvs.packet", "org.jlvs.packetio.afpacket", "org.jlvs.core",
            "org.jlvs.forward.nat", "org.jlvs.forward.dr", "org.jlvs.forward.tun", "org.jlvs.scheduler.rr", "org.jlvs.scheduler.wlc", "org.jlvs.scheduler.wrr", "org.jlvs.scheduler.lc", "org.jlvs.scheduler.sed", "org.jlvs.scheduler.nq", "org.jlvs.scheduler.fo", "org.jlvs.scheduler.ovf", "org.jlvs.scheduler.lblc", "org.jlvs.scheduler.lblcr", "org.jlvs.scheduler.dh", "org.jlvs.scheduler.sh", "org.jlvs.scheduler.mh", "org.jlvs.scheduler.twos", "org.jlvs.ipvsadm", "org.jlvs.shell", "org.jlvs.config",
            "org.jlvs.import.keepalived", "org.jlvs.healthcheck", "org.jlvs.check.tcp", "org.jlvs.check.http", "org.jlvs.check.misc", "org.jlvs.check.udp", "org.jlvs.check.dns", "org.jlvs.check.ping", "org.jlvs.sync");

    static final String HEADER_1 = "IP Virtual Server version 1.2.1 (size=4096)";
    static final String HEADER_2 = "Prot LocalAddress:Port Scheduler Flags";
    static final String HEADER_3 = "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn";

    /** ipvsadm's real-server line of lvs:list. */
    static String destLine(String endpoint, String forward, int weight, int active, int inactive) {
        return String.format("  -> %-28s %-7s %-6d %-10d %-10d", endpoint, forward, weight, active, inactive);
    }

    @Test
    public void a_bootsWithEveryFeatureInstalledAndEveryBundleActive() throws Exception {
        for (String name : FEATURES) {
            Feature feature = featuresService.getFeature(name);
            assertNotNull("feature " + name + " is not in the distribution's repositories", feature);
            assertTrue("feature " + name + " is not installed", featuresService.isInstalled(feature));
        }
        // The distribution boots the members of `jlvs` one by one (so that each can be swapped): the two lists
        // must not drift apart.
        Feature appliance = featuresService.getFeature("jlvs");
        assertNotNull("feature jlvs is missing", appliance);
        assertFalse("feature jlvs has no members", appliance.getDependencies().isEmpty());
        for (Dependency member : appliance.getDependencies()) {
            Feature feature = featuresService.getFeature(member.getName());
            assertNotNull("member " + member.getName() + " of jlvs is missing", feature);
            assertTrue("member " + member.getName() + " of jlvs is not booted", featuresService.isInstalled(feature));
        }

        Map<String, Bundle> jlvs = new TreeMap<>();
        for (Bundle bundle : bundleContext.getBundles()) {
            if (bundle.getSymbolicName() != null && bundle.getSymbolicName().startsWith("org.jlvs.")) {
                jlvs.put(bundle.getSymbolicName(), bundle);
            }
        }
        for (String name : BUNDLES) {
            assertTrue("bundle " + name + " is not installed: " + jlvs.keySet(), jlvs.containsKey(name));
        }
        for (Bundle bundle : jlvs.values()) {
            assertEquals("state of " + bundle.getSymbolicName(), "ACTIVE", state(bundle));
        }
        Bundle jna = bundle("com.sun.jna");
        assertNotNull("the JNA bundle is not installed", jna);
        assertEquals("state of JNA", "ACTIVE", state(jna));
    }

    @Test
    public void b_registersTheServices() {
        VirtualServerTable table = service(VirtualServerTable.class, null);
        assertNotNull(service(ConnectionTable.class, null));
        assertNotNull(service(PacketIo.class, null));
        Scheduler rr = service(Scheduler.class, "(lvs.scheduler=rr)");
        Scheduler wlc = service(Scheduler.class, "(lvs.scheduler=wlc)");
        Forwarder masq = service(Forwarder.class, "(lvs.forward=masq)");
        assertEquals(ForwardMethod.MASQ, masq.method());
        assertTrue("rr and wlc are not the same scheduler", rr != wlc);

        // The core tracks them (whiteboard): what it reports is what is registered.
        await("core sees rr and wlc: " + table.schedulers(),
                () -> table.schedulers().containsAll(List.of("rr", "wlc")));
        await("core sees the NAT forwarder: " + table.forwardMethods(),
                () -> table.forwardMethods().contains(ForwardMethod.MASQ));
    }

    @Test
    public void c_addsAServiceAndListsItAsIpvsadm() throws Exception {
        run("lvs:add-service -t 10.99.1.100:80 -s rr");
        run("lvs:add-server -t 10.99.1.100:80 -r 10.99.2.11:8080 -m -w 2");

        List<String> lines = lines(run("lvs:list -n"));
        assertTrue("too short: " + lines, lines.size() >= 5);
        assertEquals(HEADER_1, lines.get(0));
        assertEquals(HEADER_2, lines.get(1));
        assertEquals(HEADER_3, lines.get(2));
        int service = lines.indexOf("TCP  10.99.1.100:80 rr");
        assertTrue("no service line in " + lines, service > 2);
        assertEquals(destLine("10.99.2.11:8080", "Masq", 2, 0, 0), lines.get(service + 1));
        assertTrue("one real server only: " + lines,
                service + 2 == lines.size() || !lines.get(service + 2).startsWith("  ->"));

        // The table agrees with what was printed.
        ServiceInfo info = service(VirtualServerTable.class, null).get(tcp("10.99.1.100", 80));
        assertNotNull(info);
        assertEquals("rr", info.config().scheduler());
        assertEquals(1, info.servers().size());
        assertEquals(Ip4.parse("10.99.2.11"), info.servers().get(0).config().address());
        assertEquals(8080, info.servers().get(0).config().port());
        assertEquals(2, info.servers().get(0).config().weight());
        assertEquals(ForwardMethod.MASQ, info.servers().get(0).config().method());
    }

    @Test
    public void d_refusesWrongInputWithAClearMessageAndChangesNothing() throws Exception {
        VirtualServerTable table = service(VirtualServerTable.class, null);
        run("lvs:add-service -t 10.99.3.100:80 -s wlc");
        run("lvs:add-server -t 10.99.3.100:80 -r 10.99.3.11:80 -m");
        List<ServiceInfo> before = table.list();
        String listing = run("lvs:list -n");

        String badAddress = refused("lvs:add-service -t 10.99.1.300:80 -s rr");
        assertContains(badAddress, "10.99.1.300");

        String unknownScheduler = refused("lvs:add-service -t 10.99.3.101:80 -s nosuch");
        assertContains(unknownScheduler, "nosuch");
        assertContains(unknownScheduler, "rr");
        assertContains(unknownScheduler, "wlc");

        String exists = refused("lvs:add-service -t 10.99.3.100:80 -s rr");
        assertContains(exists.toLowerCase(), "exists");
        assertContains(exists, "10.99.3.100:80");

        String noSuchServer = refused("lvs:delete-server -t 10.99.3.100:80 -r 10.99.3.99:80");
        assertContains(noSuchServer.toLowerCase(), "no such");
        assertContains(noSuchServer, "10.99.3.99:80");

        assertNotNull("the appliance ships the direct-routing forwarder",
                firstReference(Forwarder.class, "(lvs.forward=route)"));
        assertNotNull("the appliance ships the tunnel forwarder", firstReference(Forwarder.class, "(lvs.forward=tunnel)"));
        String gueWithoutPort = refused("lvs:add-server -t 10.99.3.100:80 -r 10.99.3.12:80 -i --tun-type gue");
        assertContains(gueWithoutPort, "--tun-port");
        String tunnelOptionWithDr = refused("lvs:add-server -t 10.99.3.100:80 -r 10.99.3.12:80 -g --tun-port 6080");
        assertContains(tunnelOptionWithDr, "-i");

        assertEquals("a refused command changed the table", before, table.list());
        assertEquals("a refused command changed the listing", listing, run("lvs:list -n"));
    }

    @Test
    public void e_swappingASchedulerLeavesTheDataPlaneRunning() throws Exception {
        VirtualServerTable table = service(VirtualServerTable.class, null);
        run("lvs:add-service -t 10.99.4.100:80 -s rr");
        run("lvs:add-server -t 10.99.4.100:80 -r 10.99.4.11:80 -m");
        ServiceKey key = tcp("10.99.4.100", 80);
        service(Scheduler.class, "(lvs.scheduler=rr)");
        await("rr is bound to " + key, () -> table.get(key).schedulerBound());

        Bundle core = bundle("org.jlvs.core");
        Bundle io = bundle("org.jlvs.packetio.afpacket");
        long coreId = core.getBundleId();
        long ioId = io.getBundleId();
        Map<String, Long> others = jlvsBundleIds("org.jlvs.scheduler.rr");
        Object tableServiceId = firstReference(VirtualServerTable.class, null).getProperty(Constants.SERVICE_ID);
        Object packetIoServiceId = firstReference(PacketIo.class, null).getProperty(Constants.SERVICE_ID);
        List<String> events = new CopyOnWriteArrayList<>();
        SynchronousBundleListener listener = recordEvents(others.values(), events);
        bundleContext.addBundleListener(listener);
        try {
            run("feature:uninstall -r jlvs-scheduler-rr");
            assertNull("the rr bundle is still installed", bundle("org.jlvs.scheduler.rr"));
            awaitNoService(Scheduler.class, "(lvs.scheduler=rr)");
            await("core no longer offers rr: " + table.schedulers(), () -> !table.schedulers().contains("rr"));
            assertFalse("a service whose scheduler is gone cannot be bound", table.get(key).schedulerBound());
            List<String> absent = lines(run("lvs:schedulers --no-format"));
            assertNull("lvs:schedulers still lists rr: " + absent, schedulerRow(absent, "rr"));
            int waiting = absent.indexOf("Services whose scheduler is not installed (new connections are refused):");
            assertTrue("lvs:schedulers does not say which services wait: " + absent, waiting > 0);
            assertTrue("lvs:schedulers does not list " + key + " as waiting for rr: " + absent,
                    absent.subList(waiting, absent.size()).contains("TCP  10.99.4.100:80 rr"));

            run("feature:install -r jlvs-scheduler-rr");
            Bundle rr = bundle("org.jlvs.scheduler.rr");
            assertNotNull("the rr bundle is not back", rr);
            assertEquals("ACTIVE", state(rr));
            service(Scheduler.class, "(lvs.scheduler=rr)");
            await("rr is bound again to " + key, () -> table.get(key).schedulerBound());
            String[] row = schedulerRow(lines(run("lvs:schedulers --no-format")), "rr");
            assertNotNull("lvs:schedulers does not list rr again", row);
            assertEquals("lvs:schedulers shows the new rr bundle", Long.toString(rr.getBundleId()), row[1]);
            assertTrue("lvs:schedulers does not show " + key + " on rr: " + Arrays.toString(row),
                    Arrays.asList(row[3].split(", ")).contains(key.toString()));
        } finally {
            bundleContext.removeBundleListener(listener);
        }

        assertEquals("other jlvs bundles were stopped, refreshed or restarted", List.of(), events);
        assertEquals("other jlvs bundles changed ids", others, jlvsBundleIds("org.jlvs.scheduler.rr"));
        assertEquals(coreId, bundle("org.jlvs.core").getBundleId());
        assertEquals(ioId, bundle("org.jlvs.packetio.afpacket").getBundleId());
        assertEquals("ACTIVE", state(bundle("org.jlvs.core")));
        assertEquals("ACTIVE", state(bundle("org.jlvs.packetio.afpacket")));
        assertEquals("the core component was restarted", tableServiceId,
                firstReference(VirtualServerTable.class, null).getProperty(Constants.SERVICE_ID));
        assertEquals("the PacketIo component was restarted", packetIoServiceId,
                firstReference(PacketIo.class, null).getProperty(Constants.SERVICE_ID));
        // The configuration outlived the swap.
        assertEquals(1, table.get(key).servers().size());
        assertTrue(lines(run("lvs:list -n")).contains("TCP  10.99.4.100:80 rr"));
    }

    @Test
    public void f_consoleAndJmxListenOnLoopbackOnlyAndNoPasswordIsShipped() throws Exception {
        Path etc = Path.of(System.getProperty("karaf.etc"));
        Properties shell = load(etc.resolve("org.apache.karaf.shell.cfg"));
        Properties management = load(etc.resolve("org.apache.karaf.management.cfg"));
        assertEquals("127.0.0.1", shell.getProperty("sshHost"));
        assertEquals("127.0.0.1", management.getProperty("rmiRegistryHost"));
        assertEquals("127.0.0.1", management.getProperty("rmiServerHost"));
        // What the console's socket is really bound to (the kernel's view). The JMX ports cannot be checked
        // here: under Pax Exam the RMI registry is the test JVM's own.
        int sshPort = Integer.parseInt(shell.getProperty("sshPort").trim());
        await("the console listens on port " + sshPort, () -> !listeners(sshPort).isEmpty());
        for (String address : listeners(sshPort)) {
            assertTrue("the console listens on " + address + ", not on loopback", isLoopback(address));
        }
        // bin/setenv (not run under Pax Exam) creates the console user at first start: none is shipped.
        for (String line : Files.readAllLines(etc.resolve("users.properties"))) {
            String trimmed = line.trim();
            assertTrue("users.properties ships an active line: " + line,
                    trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith("!"));
        }
        // The tests capture nothing on the host.
        assertEquals("none", load(etc.resolve("org.jlvs.core.cfg")).getProperty("interfaces").trim());
    }

    @Test
    public void g_updatingASchedulerBundleKeepsItsIdAndRebindsWithoutRestartingAnythingElse() throws Exception {
        VirtualServerTable table = service(VirtualServerTable.class, null);
        run("lvs:add-service -t 10.99.5.100:80 -s wlc");
        run("lvs:add-server -t 10.99.5.100:80 -r 10.99.5.11:80 -m");
        ServiceKey key = tcp("10.99.5.100", 80);
        await("wlc is bound to " + key, () -> table.get(key).schedulerBound());
        Bundle wlc = bundle("org.jlvs.scheduler.wlc");
        long wlcId = wlc.getBundleId();
        long modified = wlc.getLastModified();
        Object oldService = firstReference(Scheduler.class, "(lvs.scheduler=wlc)").getProperty(Constants.SERVICE_ID);
        Map<String, Long> others = jlvsBundleIds("org.jlvs.scheduler.wlc");
        Object tableServiceId = firstReference(VirtualServerTable.class, null).getProperty(Constants.SERVICE_ID);
        List<String> events = new CopyOnWriteArrayList<>();
        List<String> wlcEvents = new CopyOnWriteArrayList<>();
        SynchronousBundleListener listener = recordEvents(others.values(), events);
        SynchronousBundleListener wlcListener = recordEvents(List.of(wlcId), wlcEvents);
        bundleContext.addBundleListener(listener);
        bundleContext.addBundleListener(wlcListener);
        try {
            run("bundle:update " + wlcId);
            await("a new wlc service is registered",
                    () -> registeredOtherThan("(lvs.scheduler=wlc)", oldService));
            await("wlc is bound again to " + key, () -> table.get(key).schedulerBound());
        } finally {
            bundleContext.removeBundleListener(listener);
            bundleContext.removeBundleListener(wlcListener);
        }
        assertTrue("the wlc bundle was not updated: " + wlcEvents, wlcEvents.contains("org.jlvs.scheduler.wlc UPDATED"));
        assertEquals("the wlc bundle changed id", wlcId, bundle("org.jlvs.scheduler.wlc").getBundleId());
        assertEquals("ACTIVE", state(bundle("org.jlvs.scheduler.wlc")));
        assertTrue("the wlc bundle was not reloaded", bundle("org.jlvs.scheduler.wlc").getLastModified() > modified);
        assertEquals("other jlvs bundles were stopped, refreshed or restarted", List.of(), events);
        assertEquals("other jlvs bundles changed ids", others, jlvsBundleIds("org.jlvs.scheduler.wlc"));
        assertEquals("the core component was restarted", tableServiceId,
                firstReference(VirtualServerTable.class, null).getProperty(Constants.SERVICE_ID));
        String[] row = schedulerRow(lines(run("lvs:schedulers --no-format")), "wlc");
        assertNotNull("lvs:schedulers does not list wlc after the update", row);
        assertEquals(Long.toString(wlcId), row[1]);
        assertTrue("lvs:schedulers does not show " + key + " on wlc: " + Arrays.toString(row),
                Arrays.asList(row[3].split(", ")).contains(key.toString()));
    }

    @Test
    public void h_listsEverySchedulerWithItsBundleIdVersionAndServices() throws Exception {
        VirtualServerTable table = service(VirtualServerTable.class, null);
        run("lvs:add-service -t 10.99.6.100:80 -s sh");
        run("lvs:add-service -u 10.99.6.100:53 -s sh");
        run("lvs:add-service -t 10.99.6.101:80 -s mh");
        await("sh and mh are bound", () -> table.list().stream()
                .filter(s -> s.config().key().address() == Ip4.parse("10.99.6.100")
                        || s.config().key().address() == Ip4.parse("10.99.6.101"))
                .allMatch(ServiceInfo::schedulerBound));
        List<String> lines = lines(run("lvs:schedulers --no-format"));
        for (String name : List.of("rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "sed", "nq", "fo", "ovf",
                "mh", "twos")) {
            String[] row = schedulerRow(lines, name);
            assertNotNull("lvs:schedulers does not list " + name + ": " + lines, row);
            Bundle provider = bundle("org.jlvs.scheduler." + name);
            assertEquals("bundle id of " + name, Long.toString(provider.getBundleId()), row[1]);
            assertEquals("version of " + name, provider.getVersion().toString(), row[2]);
        }
        List<String> sh = Arrays.asList(schedulerRow(lines, "sh")[3].split(", "));
        assertTrue("sh row lacks its services: " + sh, sh.containsAll(List.of("TCP 10.99.6.100:80", "UDP 10.99.6.100:53")));
        List<String> mh = Arrays.asList(schedulerRow(lines, "mh")[3].split(", "));
        assertTrue("mh row lacks its service: " + mh, mh.contains("TCP 10.99.6.101:80"));
        assertFalse("mh row shows a service of sh: " + mh, mh.contains("TCP 10.99.6.100:80"));
        assertTrue(lines.toString(), lines.contains("Installed forwarding methods: Masq (-m), Route (-g), Tunnel (-i)"));
    }

    @Test
    public void i_theSyncFeatureComesAndGoesWithoutTouchingTheDataPlane() throws Exception {
        SyncDaemon sync = service(SyncDaemon.class, null);
        assertNull("no daemon is configured in a fresh appliance", sync.status(SyncDaemon.Role.MASTER));
        if (firstReference(ConnectionSync.class, null) == null) {
            // A core without the sync side of the contract: the daemons refuse to start and say why.
            try {
                sync.start(SyncDaemon.Role.MASTER, SyncSettings.of("lo", 1));
                fail("a master started without the core's ConnectionSync");
            } catch (IllegalStateException e) {
                assertContains(e.getMessage(), "ConnectionSync");
            }
        }
        Map<String, Long> others = jlvsBundleIds("org.jlvs.sync");
        Object tableServiceId = firstReference(VirtualServerTable.class, null).getProperty(Constants.SERVICE_ID);
        List<String> events = new CopyOnWriteArrayList<>();
        SynchronousBundleListener listener = recordEvents(others.values(), events);
        bundleContext.addBundleListener(listener);
        try {
            run("feature:uninstall -r jlvs-sync");
            assertNull("the sync bundle is still installed", bundle("org.jlvs.sync"));
            awaitNoService(SyncDaemon.class, "");
            run("feature:install -r jlvs-sync");
            assertEquals("ACTIVE", state(bundle("org.jlvs.sync")));
            assertNotNull(service(SyncDaemon.class, null));
        } finally {
            bundleContext.removeBundleListener(listener);
        }
        assertEquals("other jlvs bundles were stopped, refreshed or restarted", List.of(), events);
        assertEquals("other jlvs bundles changed ids", others, jlvsBundleIds("org.jlvs.sync"));
        assertEquals("the core component was restarted", tableServiceId,
                firstReference(VirtualServerTable.class, null).getProperty(Constants.SERVICE_ID));
    }

    // ----- helpers -----

    /** The row of lvs:schedulers --no-format for that scheduler split into name, bundle id, version and services; or null. */
    static String[] schedulerRow(List<String> lines, String name) {
        for (String line : lines) {
            String[] row = line.split("\t", 4);
            if (row.length == 4 && row[0].equals(name) && row[1].matches("\\d+")) return row;
        }
        return null;
    }

    /** Symbolic name to bundle id of every org.jlvs bundle except {@code except}. */
    Map<String, Long> jlvsBundleIds(String except) {
        Map<String, Long> ids = new TreeMap<>();
        for (Bundle bundle : bundleContext.getBundles()) {
            String name = bundle.getSymbolicName();
            if (name != null && name.startsWith("org.jlvs.") && !name.equals(except)) ids.put(name, bundle.getBundleId());
        }
        return ids;
    }

    /** A listener that records "NAME EVENT" for every event of the bundles with those ids. */
    static SynchronousBundleListener recordEvents(Collection<Long> ids, List<String> events) {
        return event -> {
            if (ids.contains(event.getBundle().getBundleId())) {
                events.add(event.getBundle().getSymbolicName() + " " + eventName(event.getType()));
            }
        };
    }

    /** Whether a Scheduler service matching the filter is registered with another service.id than {@code old}. */
    boolean registeredOtherThan(String filter, Object old) {
        try {
            ServiceReference<?> ref = firstReference(Scheduler.class, filter);
            return ref != null && !old.equals(ref.getProperty(Constants.SERVICE_ID));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        return properties;
    }

    /** Local addresses (hex, as /proc/net/tcp[6] shows them) of the TCP sockets listening on that port. */
    static List<String> listeners(int port) {
        List<String> addresses = new ArrayList<>();
        String hexPort = String.format(":%04X", port);
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    // sl local_address rem_address st ...; st 0A = LISTEN
                    if (f.length > 3 && f[1].endsWith(hexPort) && "0A".equals(f[3])) {
                        addresses.add(f[1].substring(0, f[1].length() - hexPort.length()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return addresses;
    }

    /** 127.0.0.0/8 (also IPv4-mapped in /proc/net/tcp6) or ::1; the kernel prints each 32-bit word in host order. */
    static boolean isLoopback(String hex) {
        if (hex.length() == 8) return hex.endsWith("7F");
        if (hex.equals("00000000000000000000000001000000")) return true;
        return hex.length() == 32 && hex.startsWith("0000000000000000FFFF0000") && hex.endsWith("7F");
    }

    static ServiceKey tcp(String address, int port) {
        return new ServiceKey(Protocol.TCP, Ip4.parse(address), port);
    }

    static List<String> lines(String text) {
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\r?\n", -1)));
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1);
        return lines;
    }

    static void assertContains(String text, String part) {
        assertTrue("'" + text + "' does not contain '" + part + "'", text.contains(part));
    }

    static void await(String what, BooleanSupplier condition) {
        long end = System.currentTimeMillis() + TIMEOUT_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) fail("timed out waiting until " + what);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    Bundle bundle(String symbolicName) {
        for (Bundle bundle : bundleContext.getBundles()) {
            if (symbolicName.equals(bundle.getSymbolicName())) return bundle;
        }
        return null;
    }

    ServiceReference<?> firstReference(Class<?> type, String filter) throws Exception {
        ServiceReference<?>[] refs = bundleContext.getServiceReferences(type.getName(), filter);
        return refs == null ? null : refs[0];
    }

    static String state(Bundle bundle) {
        switch (bundle.getState()) {
            case Bundle.ACTIVE: return "ACTIVE";
            case Bundle.RESOLVED: return "RESOLVED";
            case Bundle.INSTALLED: return "INSTALLED";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            default: return "UNINSTALLED";
        }
    }

    static String eventName(int type) {
        switch (type) {
            case BundleEvent.STARTED: return "STARTED";
            case BundleEvent.STARTING: return "STARTING";
            case BundleEvent.STOPPED: return "STOPPED";
            case BundleEvent.STOPPING: return "STOPPING";
            case BundleEvent.RESOLVED: return "RESOLVED";
            case BundleEvent.UNRESOLVED: return "UNRESOLVED";
            case BundleEvent.UPDATED: return "UPDATED";
            case BundleEvent.UNINSTALLED: return "UNINSTALLED";
            default: return "event " + type;
        }
    }
}
