package org.jlvs.itests;

import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.maven;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.PrivilegedAction;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.inject.Inject;
import javax.security.auth.Subject;

import org.apache.karaf.features.BootFinished;
import org.apache.karaf.features.FeaturesService;
import org.apache.karaf.jaas.boot.principal.RolePrincipal;
import org.apache.karaf.jaas.boot.principal.UserPrincipal;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.junit.After;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.ProbeBuilder;
import org.ops4j.pax.exam.TestProbeBuilder;
import org.ops4j.pax.exam.options.extra.VMOption;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Boots the jlvs distribution built by this reactor (karaf-distribution/target/jlvs-VERSION.tar.gz) and
 * offers what the tests need: services with a timeout and lvs:* commands run through the shell's
 * SessionFactory, as Karaf's own KarafTestSupport does.
 */
public abstract class JlvsTestSupport {
    static final long TIMEOUT_MS = 120_000; // generous: the machine is shared; waits end as soon as the condition holds
    /** Pax Exam waits 10 s for an injected service by default: a loaded machine boots Karaf slower than that. */
    static final long SERVICE_TIMEOUT_MS = 300_000;

    @Inject
    @org.ops4j.pax.exam.util.Filter(timeout = SERVICE_TIMEOUT_MS)
    protected BundleContext bundleContext;

    @Inject
    @org.ops4j.pax.exam.util.Filter(timeout = SERVICE_TIMEOUT_MS)
    protected FeaturesService featuresService;

    @Inject
    @org.ops4j.pax.exam.util.Filter(timeout = SERVICE_TIMEOUT_MS)
    protected SessionFactory sessionFactory;

    /** Injected only once every boot feature is installed. */
    @Inject
    @org.ops4j.pax.exam.util.Filter(timeout = SERVICE_TIMEOUT_MS)
    protected BootFinished bootFinished;

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final List<ServiceTracker<?, ?>> trackers = new ArrayList<>();

    @Configuration
    public Option[] config() {
        return distribution();
    }

    /** The distribution of this build, booted as the appliance (its boot features), on no network interface. */
    static Option[] distribution() {
        String karafVersion = requiredProperty("karaf.version");
        // Maven passes the archive it resolved for this build (from the reactor under `mvn verify`); without it
        // (a run from an IDE), the installed artifact of the same version is used.
        String archive = System.getProperty("jlvs.distribution", "");
        String distribution = archive.endsWith(".tar.gz") && new File(archive).isFile()
                ? new File(archive).toURI().toString()
                : maven().groupId("org.jlvs").artifactId("jlvs-karaf-distribution").type("tar.gz")
                        .versionAsInProject().getURL();
        String localRepository = System.getProperty("org.ops4j.pax.url.mvn.localRepository", "");
        System.out.println("jlvs itests: booting " + distribution);
        return new Option[] {
            karafDistributionConfiguration().frameworkUrl(distribution).name("jlvs").karafVersion(karafVersion)
                    .unpackDirectory(new File("target/exam")).useDeployFolder(false),
            configureConsole().ignoreLocalConsole(),
            systemTimeout(300_000),
            // The appliance must never capture or inject frames on the host that runs the tests.
            editConfigurationFilePut("etc/org.jlvs.core.cfg", "interfaces", "none"),
            // A free ssh port, so that a director or another Karaf running on this machine does not collide.
            // (Pax Exam sets the JMX ports itself: rmiRegistryPort is the RMI registry of the test JVM.)
            editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", freePort(18101)),
            editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                    localRepository),
            editConfigurationFilePut("etc/org.apache.karaf.features.cfg", "updateSnapshots", "none"),
            // Pax Exam 4.12+ no longer adds what bin/karaf passes to a Java 9+ JVM; the --patch-module paths name
            // the exact Karaf version.
            new VMOption("--add-reads=java.xml=java.logging"),
            new VMOption("--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED"),
            new VMOption("--patch-module"),
            new VMOption("java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karafVersion + ".jar"),
            new VMOption("--patch-module"),
            new VMOption("java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karafVersion + ".jar"),
            new VMOption("--add-opens"), new VMOption("java.base/java.security=ALL-UNNAMED"),
            new VMOption("--add-opens"), new VMOption("java.base/java.net=ALL-UNNAMED"),
            new VMOption("--add-opens"), new VMOption("java.base/java.lang=ALL-UNNAMED"),
            new VMOption("--add-opens"), new VMOption("java.base/java.util=ALL-UNNAMED"),
            new VMOption("--add-opens"), new VMOption("java.naming/javax.naming.spi=ALL-UNNAMED"),
            new VMOption("--add-opens"), new VMOption("java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED"),
            new VMOption("--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED"),
            new VMOption("--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED"),
            new VMOption("--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED"),
            new VMOption("--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED"),
            new VMOption("-classpath"),
            new VMOption("lib/jdk9plus/*" + File.pathSeparator + "lib/boot/*"),
        };
    }

    /** The probe sees the container's packages (org.jlvs.api, Karaf's shell and features APIs) at run time. */
    @ProbeBuilder
    public TestProbeBuilder probeConfiguration(TestProbeBuilder probe) {
        return dynamicImports(probe);
    }

    static TestProbeBuilder dynamicImports(TestProbeBuilder probe) {
        probe.setHeader(Constants.DYNAMICIMPORT_PACKAGE, "*,org.apache.felix.service.*;status=provisional");
        return probe;
    }

    @After
    public void closeTrackers() {
        trackers.forEach(ServiceTracker::close);
        trackers.clear();
        executor.shutdownNow();
    }

    static String requiredProperty(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isEmpty()) {
            throw new IllegalStateException("system property " + name + " is not set (run the tests with Maven)");
        }
        return value;
    }

    /**
     * The first free port from {@code from} on. Not an ephemeral port (ServerSocket(0)): the kernel hands those
     * out again, e.g. to Pax Exam's own RMI sockets, before Karaf binds them.
     */
    private static String freePort(int from) {
        for (int port = from; port < from + 1000; port++) {
            try (ServerSocket socket = new ServerSocket(port)) {
                return Integer.toString(port);
            } catch (IOException e) {
                // taken: try the next one
            }
        }
        throw new IllegalStateException("no free port from " + from);
    }

    // ----- services -----

    /** The service of that type (and LDAP filter, or null), waiting up to the timeout for it to appear. */
    protected <T> T service(Class<T> type, String filter) {
        return type.cast(waitForService(type, filter, TIMEOUT_MS));
    }

    /** The service, or null once {@code timeoutMs} passed without one. */
    protected <T> Object waitForService(Class<T> type, String filter, long timeoutMs) {
        String objectClass = "(" + Constants.OBJECTCLASS + "=" + type.getName() + ")";
        String text = filter == null ? objectClass : "(&" + objectClass + filter + ")";
        try {
            Filter ldap = FrameworkUtil.createFilter(text);
            ServiceTracker<Object, Object> tracker = new ServiceTracker<>(bundleContext, ldap, null);
            tracker.open(true);
            trackers.add(tracker);
            Object found = tracker.waitForService(timeoutMs);
            assertNotNull("no service " + text + " within " + timeoutMs + " ms", found);
            return found;
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException(text, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until no service matches any more. */
    protected void awaitNoService(Class<?> type, String filter) throws Exception {
        String text = "(&(" + Constants.OBJECTCLASS + "=" + type.getName() + ")" + filter + ")";
        long end = System.currentTimeMillis() + TIMEOUT_MS;
        while (bundleContext.getServiceReferences((String) null, text) != null) {
            if (System.currentTimeMillis() > end) fail("service " + text + " is still registered");
            Thread.sleep(50);
        }
    }

    // ----- shell -----

    /** What one command did: its output, its error output, and what it threw (null when it succeeded). */
    protected static final class Outcome {
        final String out;
        final String err;
        final Throwable error;

        Outcome(String out, String err, Throwable error) {
            this.out = out;
            this.err = err;
            this.error = error;
        }

        @Override
        public String toString() {
            return "out=[" + out + "] err=[" + err + "] error=" + error;
        }
    }

    /**
     * Who runs the commands: user karaf with the roles of the distribution's admingroup, as bin/client logs
     * in. Karaf's command ACLs (etc/org.apache.karaf.command.acl.*.cfg) hide e.g. feature:uninstall from a
     * session without the admin role.
     */
    private static final Subject OPERATOR = new Subject(true,
            Set.of(new UserPrincipal("karaf"), new RolePrincipal("group"), new RolePrincipal("admin"),
                    new RolePrincipal("manager"), new RolePrincipal("viewer"), new RolePrincipal("systembundles"),
                    new RolePrincipal("ssh")),
            Set.of(), Set.of());

    /** Runs a command as the console does and returns its output; fails the test if the command fails. */
    protected String run(String command) throws Exception {
        Outcome outcome = execute(command);
        if (outcome.error != null) {
            throw new AssertionError("'" + command + "' failed: " + outcome, outcome.error);
        }
        return outcome.out;
    }

    /** Runs a command that must be refused and returns the message the operator sees. */
    protected String refused(String command) throws Exception {
        Outcome outcome = execute(command);
        if (outcome.error == null) fail("'" + command + "' should have been refused: " + outcome);
        String message = outcome.error.getMessage();
        if (message == null || message.isBlank()) fail("'" + command + "' was refused without a message: " + outcome);
        return message;
    }

    /** Runs a command in its own session, with a timeout so that a hanging command fails the test. */
    protected Outcome execute(String command) throws Exception {
        waitForCommand(command);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        Future<Throwable> result = executor.submit(() -> Subject.doAs(OPERATOR, (PrivilegedAction<Throwable>) () -> {
            try (Session session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), outStream, errStream)) {
                Object value = session.execute(command);
                if (value != null) outStream.println(value);
                return null;
            } catch (Exception e) {
                return e;
            } finally {
                outStream.flush();
                errStream.flush();
            }
        }));
        Throwable error;
        try {
            error = result.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            throw new AssertionError("'" + command + "' did not finish within " + TIMEOUT_MS + " ms");
        } catch (ExecutionException e) {
            error = e.getCause();
        }
        return new Outcome(out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), error);
    }

    /** Commands are services that appear asynchronously, once all their references are satisfied. */
    private void waitForCommand(String command) throws InterruptedException {
        String name = command.trim().split("\\s+", 2)[0];
        int colon = name.indexOf(':');
        String scope = colon > 0 ? name.substring(0, colon) : "*";
        String function = colon > 0 ? name.substring(colon + 1) : name;
        long end = System.currentTimeMillis() + TIMEOUT_MS;
        while (sessionFactory.getRegistry().getCommand(scope, function) == null) {
            if (System.currentTimeMillis() > end) fail("command " + name + " is not available");
            Thread.sleep(50);
        }
    }
}
