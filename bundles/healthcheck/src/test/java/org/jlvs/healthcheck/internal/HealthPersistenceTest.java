package org.jlvs.healthcheck.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.jlvs.api.CheckSpec;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.fake.FakeVirtualServerTable;
import org.junit.jupiter.api.Test;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** The monitor's changes reach Config Admin without a poll, and a new monitor reads them back at start. */
class HealthPersistenceTest {
    static final ServiceKey WEB = new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.1"), 80);
    static final int RS = Ip4.parse("10.0.1.1");
    /** The writes run on the persistence thread: wait for them, generously (a loaded machine is slow). */
    static final long DEADLINE_MILLIS = 120_000;

    /** The configuration org.jlvs.health in memory, as Config Admin keeps it. */
    static final class MemoryConfigAdmin {
        volatile Hashtable<String, Object> properties;

        ConfigurationAdmin service() {
            Configuration configuration = (Configuration) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Configuration.class}, (proxy, m, args) -> switch (m.getName()) {
                        case "getProperties" -> properties == null ? null : new Hashtable<>(properties);
                        case "update" -> {
                            @SuppressWarnings("unchecked")
                            Hashtable<String, Object> d = new Hashtable<>((Map<String, Object>) args[0]);
                            properties = d;
                            yield null;
                        }
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
            return (ConfigurationAdmin) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {ConfigurationAdmin.class}, (proxy, m, args) -> switch (m.getName()) {
                        case "getConfiguration" -> configuration;
                        case "listConfigurations" -> properties == null ? null : new Configuration[] {configuration};
                        default -> throw new UnsupportedOperationException(m.getName());
                    });
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long end = System.currentTimeMillis() + DEADLINE_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > end) throw new AssertionError(what + ": not within " + DEADLINE_MILLIS + " ms");
            Thread.sleep(10);
        }
    }

    /** A monitor whose effects tell the persistence of its changes, as MonitorComponent's do. */
    private static final class Running implements AutoCloseable {
        final ManualTimers timers = new ManualTimers();
        final Monitor monitor;
        final HealthPersistence persistence;

        Running(FakeVirtualServerTable table, ConfigurationAdmin admin) {
            AtomicReference<HealthPersistence> told = new AtomicReference<>();
            monitor = new Monitor(table, timers, new Monitor.Effects() {
                @Override public void post(String topic, Map<String, Object> properties) {}
                @Override public void runScript(String commandLine, Map<String, String> environment) {}
                @Override public void checksChanged() {
                    HealthPersistence p = told.get();
                    if (p != null) p.changed();
                }
            }, bound -> 0);
            monitor.checkerAdded("tcp", new FakeChecker(timers));
            persistence = new HealthPersistence(admin, null, table, monitor);
            told.set(persistence);
        }

        @Override
        public void close() throws InterruptedException {
            persistence.close();
            monitor.close();
        }
    }

    @Test
    void everyChangeIsWrittenAndReadBackAtStart() throws Exception {
        FakeVirtualServerTable table = new FakeVirtualServerTable();
        table.addService(ServiceConfig.of(WEB, "rr"));
        table.addServer(WEB, ServerConfig.of(RS, 80, ForwardMethod.MASQ, 1));
        MemoryConfigAdmin admin = new MemoryConfigAdmin();
        CheckSpec tcp = new CheckSpec(WEB, RS, 80, "tcp", Map.of("delay_loop", "3"));
        try (Running first = new Running(table, admin.service())) {
            first.monitor.addCheck(tcp);
            await("the added check is written", () -> admin.properties != null
                    && "-t 10.0.0.1:80 -r 10.0.1.1:80 --type tcp --delay-loop 3".equals(admin.properties.get("check.1")));
        }
        try (Running second = new Running(table, admin.service())) {
            await("the stored check is restored", () -> second.monitor.checks(null).size() == 1);
            assertEquals(List.of(tcp), second.monitor.checks(null).stream().map(s -> s.spec()).toList());
            second.monitor.removeChecks(WEB, RS, 80, null);
            await("the removal is written", () -> !admin.properties.containsKey("check.1"));
        }
    }
}
