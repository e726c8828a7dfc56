package org.jlvs.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import javax.inject.Inject;

import org.jlvs.api.VirtualServerTable;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.junit.runners.MethodSorters;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The director's settings (PID org.jlvs.core) as metatype describes them, and a bad max_connections set through
 * Config Admin: refused with a logged reason naming the key and the value, while the director keeps running
 * with its services (no restart: the same registered table, the same listing); a director started with that
 * value starts all the same. Its own Pax Exam class because it restarts the core bundle. Traffic through the
 * VIP during such a change is checked in lab/e2e_config.py (here interfaces = none).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class CoreConfigIT extends JlvsTestSupport {
    private static final String PID = "org.jlvs.core";
    private static final String REFUSED = "org.jlvs.core: bad max_connections 'abc'";

    @Inject
    protected MetaTypeService metaTypes;

    @Inject
    protected ConfigurationAdmin configAdmin;

    @Test
    public void a_metatypeDescribesTheDirectorsSettingsWithTheirDefaults() {
        Map<String, AttributeDefinition> core = attributes("org.jlvs.core", PID);
        assertArrayEquals(new String[] {"*"}, core.get("interfaces").getDefaultValue());
        assertContains(core.get("interfaces").getDescription(), "separated by commas");
        assertArrayEquals(new String[] {"auto"}, core.get("max_connections").getDefaultValue());
        assertContains(core.get("max_connections").getDescription(), "connection table");
        assertContains(core.get("max_connections").getDescription(), "jlvs.connections.max");

        Map<String, AttributeDefinition> sysctls = attributes("org.jlvs.core", "org.jlvs.core.sysctl");
        assertEquals(AttributeDefinition.INTEGER, sysctls.get("conn_reuse_mode").getType());
        assertArrayEquals(new String[] {"1"}, sysctls.get("conn_reuse_mode").getDefaultValue());
        assertEquals(List.of("conn_reuse_mode", "drop_entry", "expire_nodest_conn", "expire_quiescent_template"),
                sysctls.keySet().stream().sorted().toList());

        Map<String, AttributeDefinition> mh = attributes("org.jlvs.scheduler.mh", "org.jlvs.scheduler.mh");
        assertArrayEquals(new String[] {"4093"}, mh.get("table.size").getDefaultValue());
        assertEquals(10, mh.get("table.size").getOptionValues().length);
        Map<String, AttributeDefinition> lblc = attributes("org.jlvs.scheduler.lblc", "org.jlvs.scheduler.lblc");
        assertArrayEquals(new String[] {"86400"}, lblc.get("expiration").getDefaultValue());
    }

    @Test
    public void b_aBadMaxConnectionsIsRefusedWhileTheDirectorKeepsRunning() throws Exception {
        run("lvs:add-service -t 10.97.1.100:80 -s rr");
        run("lvs:add-server -t 10.97.1.100:80 -r 10.97.2.11:80 -m -w 1");
        Object before = tableServiceId();
        String listing = run("lvs:list -n");
        int refusals = logCount(REFUSED);

        setMaxConnections("abc");
        String line = awaitLogLine(REFUSED, refusals);
        assertContains(line, "keeping max_connections = ");
        assertEquals("the director was not restarted", before, tableServiceId());
        assertEquals("its services are as they were", listing, run("lvs:list -n"));
        assertEquals("ACTIVE", Bundle.ACTIVE, coreBundle().getState());

        // a good new value waits for the next start, said so, and changes nothing now either
        String later = "org.jlvs.core: max_connections = 20000 is applied at the next start";
        int announced = logCount(later);
        setMaxConnections("20000");
        assertContains(awaitLogLine(later, announced), "running with");
        assertEquals(before, tableServiceId());
        assertEquals(listing, run("lvs:list -n"));
    }

    @Test
    public void c_aDirectorStartedWithABadMaxConnectionsStartsAllTheSame() throws Exception {
        Bundle core = coreBundle();
        core.stop();
        setMaxConnections("abc");
        settle("abc");
        int refusals = logCount(REFUSED);
        core.start();
        assertContains(awaitLogLine(REFUSED, refusals), "keeping max_connections = ");
        VirtualServerTable table = service(VirtualServerTable.class, null);
        assertNotNull(table.dataPathCounters().get("connections"));
        run("lvs:add-service -t 10.97.3.100:80 -s wlc");
        assertContains(run("lvs:list -n"), "TCP  10.97.3.100:80 wlc");
    }

    // ----- helpers -----

    private Map<String, AttributeDefinition> attributes(String bundleName, String pid) {
        Bundle bundle = null;
        for (Bundle b : bundleContext.getBundles()) {
            if (bundleName.equals(b.getSymbolicName())) bundle = b;
        }
        assertNotNull("bundle " + bundleName, bundle);
        ObjectClassDefinition ocd = metaTypes.getMetaTypeInformation(bundle).getObjectClassDefinition(pid, null);
        assertNotNull("no metatype for " + pid, ocd);
        Map<String, AttributeDefinition> byId = new HashMap<>();
        for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            assertTrue(pid + " " + ad.getID() + " has a description", ad.getDescription() != null
                    && !ad.getDescription().isBlank());
            byId.put(ad.getID(), ad);
        }
        return byId;
    }

    private Bundle coreBundle() {
        for (Bundle b : bundleContext.getBundles()) {
            if ("org.jlvs.core".equals(b.getSymbolicName())) return b;
        }
        throw new AssertionError("no bundle org.jlvs.core");
    }

    private Object tableServiceId() {
        ServiceReference<VirtualServerTable> ref = bundleContext.getServiceReference(VirtualServerTable.class);
        assertNotNull("no VirtualServerTable", ref);
        return ref.getProperty(Constants.SERVICE_ID);
    }

    /** Sets max_connections through Config Admin, keeping the other keys (interfaces = none). */
    private void setMaxConnections(String value) throws IOException {
        Configuration config = configAdmin.getConfiguration(PID, null);
        Dictionary<String, Object> properties = new Hashtable<>();
        Dictionary<String, Object> current = config.getProperties();
        if (current != null) {
            for (var keys = current.keys(); keys.hasMoreElements(); ) {
                String key = keys.nextElement();
                properties.put(key, current.get(key));
            }
        }
        properties.put("max_connections", value);
        config.update(properties);
    }

    /**
     * Waits until Config Admin holds max_connections = {@code value} for ten reads in a row, setting it again when
     * it went back: Felix fileinstall writes etc/org.jlvs.core.cfg and can read an earlier write of its own back
     * after a later update (seen once in CI: the director then started with the previous, valid value).
     */
    private void settle(String value) throws Exception {
        long end = System.currentTimeMillis() + TIMEOUT_MS;
        int same = 0;
        while (System.currentTimeMillis() < end) {
            Dictionary<String, Object> p = configAdmin.getConfiguration(PID, null).getProperties();
            if (p != null && value.equals(String.valueOf(p.get("max_connections")))) {
                if (++same == 10) return;
            } else {
                same = 0;
                setMaxConnections(value);
            }
            Thread.sleep(100);
        }
        throw new AssertionError("max_connections = " + value + " did not stay in Config Admin");
    }

    private static List<String> logLines() {
        try {
            return Files.readAllLines(Path.of(System.getProperty("karaf.data"), "log", "karaf.log"),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AssertionError("cannot read karaf.log", e);
        }
    }

    private static int logCount(String part) {
        return (int) logLines().stream().filter(l -> l.contains(part)).count();
    }

    /** The first karaf.log line holding {@code part} after the {@code seen} there already, waiting for it. */
    private static String awaitLogLine(String part, int seen) throws InterruptedException {
        long end = System.currentTimeMillis() + TIMEOUT_MS;
        while (System.currentTimeMillis() < end) {
            List<String> matching = logLines().stream().filter(l -> l.contains(part)).toList();
            if (matching.size() > seen) return matching.get(seen);
            Thread.sleep(100);
        }
        fail("karaf.log has no new line with '" + part + "' within " + TIMEOUT_MS + " ms");
        return null;
    }

    private static void assertContains(String text, String part) {
        assertTrue("'" + text + "' does not contain '" + part + "'", text != null && text.contains(part));
    }
}
