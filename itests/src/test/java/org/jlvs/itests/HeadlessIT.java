package org.jlvs.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.inject.Inject;

import org.apache.karaf.features.BootFinished;
import org.apache.karaf.features.Feature;
import org.apache.karaf.features.FeaturesService;
import org.jlvs.api.HealthMonitor;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.VirtualServerTable;
import org.jlvs.api.config.ConfigStatus;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.ProbeBuilder;
import org.ops4j.pax.exam.TestProbeBuilder;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;

/**
 * jlvs-core, jlvs-healthcheck and jlvs-config without Karaf's shell (a headless director): the distribution
 * booted with only these features (and a scheduler and a forwarder for the service below), so that neither
 * Karaf's shell nor jlvs-shell is there; the services are registered all the same, and a configuration file in
 * etc/ (the format of lvs:save's service files) makes a service in the table.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HeadlessIT {
    static final long TIMEOUT_MS = JlvsTestSupport.TIMEOUT_MS;

    @Inject
    @org.ops4j.pax.exam.util.Filter(timeout = JlvsTestSupport.SERVICE_TIMEOUT_MS)
    protected BundleContext bundleContext;

    @Inject
    @org.ops4j.pax.exam.util.Filter(timeout = JlvsTestSupport.SERVICE_TIMEOUT_MS)
    protected FeaturesService featuresService;

    /** Injected only once every boot feature is installed. */
    @Inject
    @org.ops4j.pax.exam.util.Filter(timeout = JlvsTestSupport.SERVICE_TIMEOUT_MS)
    protected BootFinished bootFinished;

    private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();

    @Configuration
    public Option[] config() {
        return OptionUtils.combine(JlvsTestSupport.distribution(),
                editConfigurationFilePut("etc/org.apache.karaf.features.cfg", "featuresBoot",
                        "framework, scr, eventadmin, jlvs-core, jlvs-scheduler-rr, jlvs-forward-nat, jlvs-healthcheck,"
                                + " jlvs-config"));
    }

    @ProbeBuilder
    public TestProbeBuilder probeConfiguration(TestProbeBuilder probe) {
        return JlvsTestSupport.dynamicImports(probe);
    }

    @After
    public void closeTrackers() {
        trackers.forEach(ServiceTracker::close);
    }

    @Test
    public void coreHealthcheckAndConfigRunWithoutTheShellAndAFileMakesAService() throws Exception {
        for (String name : new String[] {"jlvs-core", "jlvs-healthcheck", "jlvs-config"}) {
            assertTrue(name + " is installed", featuresService.isInstalled(featuresService.getFeature(name)));
        }
        String installed = Arrays.stream(featuresService.listInstalledFeatures()).map(Feature::getName).sorted()
                .collect(Collectors.joining(", "));
        assertFalse("Karaf's shell is installed: " + installed, featuresService.isInstalled(featuresService.getFeature("shell")));
        assertFalse("jlvs-shell is installed: " + installed, featuresService.isInstalled(featuresService.getFeature("jlvs-shell")));
        assertNull("no bundle org.jlvs.shell", bundle("org.jlvs.shell"));
        assertNull("no bundle org.apache.karaf.shell.core", bundle("org.apache.karaf.shell.core"));
        for (String name : new String[] {"org.jlvs.core", "org.jlvs.healthcheck", "org.jlvs.config", "org.jlvs.ipvsadm"}) {
            Bundle b = bundle(name);
            assertNotNull("bundle " + name, b);
            assertEquals("state of " + name, Bundle.ACTIVE, b.getState());
        }

        VirtualServerTable table = service(VirtualServerTable.class);
        assertNotNull(service(HealthMonitor.class));
        ConfigStatus status = service(ConfigStatus.class);

        Path file = Path.of(System.getProperty("karaf.etc")).resolve("org.jlvs.service-tcp-10.96.1.100-80.cfg");
        Files.writeString(file, "service = -t 10.96.1.100:80 -s rr\nserver.1 = -r 10.96.2.11:80 -m -w 3\n");
        ServiceKey key = new ServiceKey(Protocol.TCP, Ip4.parse("10.96.1.100"), 80);
        await("the file's service is in the table", () -> {
            ServiceInfo info = table.get(key);
            return info != null && info.servers().size() == 1;
        });
        ServiceInfo info = table.get(key);
        assertEquals("rr", info.config().scheduler());
        assertEquals(Ip4.parse("10.96.2.11"), info.servers().get(0).config().address());
        assertEquals(3, info.servers().get(0).config().weight());
        await("its configuration is applied", () -> status.entries().stream()
                .anyMatch(e -> e.source().endsWith("org.jlvs.service-tcp-10.96.1.100-80.cfg")
                        && e.state() == ConfigStatus.State.APPLIED));
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : bundleContext.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) return b;
        }
        return null;
    }

    private <T> T service(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> t = new ServiceTracker<>(bundleContext, type, null);
        t.open();
        trackers.add(t);
        T found = t.waitForService(TIMEOUT_MS);
        assertNotNull("no service " + type.getName() + " within " + TIMEOUT_MS + " ms", found);
        return found;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + TIMEOUT_MS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) fail("timed out waiting until " + what);
            Thread.sleep(100);
        }
    }
}
