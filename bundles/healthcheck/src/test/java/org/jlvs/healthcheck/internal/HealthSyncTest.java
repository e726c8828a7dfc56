package org.jlvs.healthcheck.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jlvs.api.CheckSpec;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.QuorumConfig;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.fake.FakeHealthMonitor;
import org.jlvs.api.fake.FakeVirtualServerTable;
import org.jlvs.ipvsadm.ConfigException;
import org.junit.jupiter.api.Test;

class HealthSyncTest {
    static final ServiceKey WEB = new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.1"), 80);
    static final int RS = Ip4.parse("10.0.1.1");

    /** An in-memory store that counts its writes. */
    static final class MapStore implements HealthSync.Store {
        Map<String, String> props = new LinkedHashMap<>();
        int saves;

        @Override
        public Map<String, String> load() { return new LinkedHashMap<>(props); }

        @Override
        public void save(Map<String, String> p) {
            props = new LinkedHashMap<>(p);
            saves++;
        }
    }

    private static FakeVirtualServerTable tableWithWeb() {
        FakeVirtualServerTable table = new FakeVirtualServerTable();
        table.addService(new ServiceConfig(WEB, "rr", 0, 0, 0xffffffff));
        table.addServer(WEB, new ServerConfig(RS, 80, ForwardMethod.MASQ, 1, 0, 0));
        return table;
    }

    private static final CheckSpec HTTP = new CheckSpec(WEB, RS, 80, "http", Map.of("path", "/a b", "alpha", "",
            "delay_loop", "2", "virtualhost", "say \"hi\""));

    @Test
    void writesChangesAndReadsThemBackAsTheSameChecks() throws Exception {
        FakeVirtualServerTable table = tableWithWeb();
        FakeHealthMonitor monitor = new FakeHealthMonitor();
        MapStore store = new MapStore();
        HealthSync sync = new HealthSync(store, table, 60_000);
        sync.tick(monitor, 0);
        assertEquals(0, store.saves); // nothing stored, nothing to write
        monitor.addCheck(HTTP);
        monitor.setQuorum(WEB, new QuorumConfig(3, 1, Ip4.parse("10.0.2.1"), 8080));
        sync.tick(monitor, 2_000);
        assertEquals(Map.of(
                "check.1", "-t 10.0.0.1:80 -r 10.0.1.1:80 --type http --alpha --delay-loop 2 --path \"/a b\""
                        + " --virtualhost 'say \"hi\"'",
                "quorum.1", "-t 10.0.0.1:80 --quorum 3 --hysteresis 1 --sorry-server 10.0.2.1:8080"), store.props);
        sync.tick(monitor, 4_000);
        assertEquals(1, store.saves); // unchanged: not written again

        // the healthcheck bundle restarts: a new, empty monitor gets the stored checks back
        FakeHealthMonitor fresh = new FakeHealthMonitor();
        sync.tick(fresh, 6_000);
        assertEquals(List.of(HTTP), fresh.checks);
        assertEquals(new QuorumConfig(3, 1, Ip4.parse("10.0.2.1"), 8080), fresh.quorum(WEB));
        assertEquals(1, store.saves);

        monitor.removeChecks(WEB, RS, 80, null);
        sync.tick(null, 7_000);
        fresh.removeChecks(WEB, RS, 80, null);
        sync.tick(fresh, 8_000); // same monitor object again after null: restores, as a new one
        assertEquals(1, fresh.checks.size());
    }

    @Test
    void waitsForServicesAndCheckersBeforeWritingAndDropsWhatNeverComes() throws Exception {
        FakeVirtualServerTable table = new FakeVirtualServerTable();
        MapStore store = new MapStore();
        store.props.put("check.1", "-t 10.0.0.1:80 -r 10.0.1.1:80 --type http --path /");
        store.props.put("check.2", "-t 10.0.0.1:80 -r 10.0.1.1:80 --type misc --misc-path /bin/true");
        store.props.put("check.3", "-t 10.9.9.9:80 -r 10.0.1.1:80 --type tcp");
        store.props.put("check.4", "-t 10.0.0.1:80 --type tcp"); // no -r: dropped, the others still restored
        FakeHealthMonitor monitor = new FakeHealthMonitor();
        monitor.types = Set.of("http", "tcp");
        HealthSync sync = new HealthSync(store, table, 60_000);
        sync.tick(monitor, 0);
        assertTrue(monitor.checks.isEmpty()); // the service is not in the table yet
        assertEquals(0, store.saves);
        table.addService(new ServiceConfig(WEB, "rr", 0, 0, 0xffffffff));
        table.addServer(WEB, new ServerConfig(RS, 80, ForwardMethod.MASQ, 1, 0, 0));
        sync.tick(monitor, 2_000);
        assertEquals(1, monitor.checks.size());
        monitor.types = Set.of("http", "tcp", "misc"); // its checker bundle started
        sync.tick(monitor, 4_000);
        assertEquals(2, monitor.checks.size());
        assertEquals(0, store.saves); // check.3's service is still awaited
        sync.tick(monitor, 61_000);
        assertEquals(1, store.saves);
        assertEquals(Set.of("check.1", "check.2"), store.props.keySet());
    }

    @Test
    void refusesABadStoredEntryByKey() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> HealthState.parse(Map.of("check.1", "-t 10.0.0.1:80 --type tcp")));
        assertEquals("key check.1 (-t 10.0.0.1:80 --type tcp): missing -r RIP:PORT", e.getMessage());
        assertEquals(List.of(), HealthState.parse(Map.of("service.pid", "org.jlvs.health")));
    }
}
