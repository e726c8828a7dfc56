package org.jlvs.healthcheck.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jlvs.api.CheckSpec;
import org.jlvs.api.CheckStatus;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.HealthMonitor;
import org.jlvs.api.HealthStatus;
import org.jlvs.api.Ip4;
import org.jlvs.api.LvsException;
import org.jlvs.api.Protocol;
import org.jlvs.api.QuorumConfig;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.fake.FakeVirtualServerTable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The monitor's state machine on a manual clock, against an in-memory table and a scripted checker. */
class MonitorTest {
    static final ServiceKey SVC = new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.100"), 80);
    static final int RS1 = Ip4.parse("10.0.1.1"), RS2 = Ip4.parse("10.0.1.2"), RS3 = Ip4.parse("10.0.1.3"),
            RS4 = Ip4.parse("10.0.1.4"), SORRY = Ip4.parse("10.0.9.9");

    final ManualTimers timers = new ManualTimers();
    final FakeVirtualServerTable table = new FakeVirtualServerTable();
    final List<String> events = new ArrayList<>();
    final List<Map<String, Object>> eventProperties = new ArrayList<>();
    final List<String> scripts = new ArrayList<>();
    /** Warmup draws: the monitor asks for [0, bound]; tests pick the value. */
    long warmupFraction1000 = 0;
    final List<Long> warmupBounds = new ArrayList<>();
    Monitor monitor;
    FakeChecker tcp;

    @BeforeEach
    void setUp() {
        Monitor.Effects effects = new Monitor.Effects() {
            @Override
            public void post(String topic, Map<String, Object> properties) {
                events.add(topic.substring(topic.lastIndexOf('/') + 1) + " " + properties.getOrDefault("address", "")
                        + (properties.containsKey("port") ? ":" + properties.get("port") : ""));
                eventProperties.add(properties);
            }

            @Override
            public void runScript(String commandLine, Map<String, String> environment) {
                scripts.add(commandLine + " " + environment.get("JLVS_REAL_SERVER") + " " + environment.get("JLVS_STATE"));
            }
        };
        monitor = new Monitor(table, timers, effects, bound -> {
            warmupBounds.add(bound);
            return bound * warmupFraction1000 / 1000;
        });
        tcp = new FakeChecker(timers);
        monitor.checkerAdded("tcp", tcp);
        table.addService(ServiceConfig.of(SVC, "rr"));
        for (int rs : new int[] {RS1, RS2, RS3, RS4}) {
            table.addServer(SVC, new ServerConfig(rs, 8080, ForwardMethod.MASQ, 1, 100, 50));
        }
        table.changes.clear();
    }

    static CheckSpec spec(int address, String type, String... keyValues) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) o.put(keyValues[i], keyValues[i + 1]);
        return new CheckSpec(SVC, address, 8080, type, o);
    }

    /** delay_loop 1 s, connect_timeout 1 s, retry 1, delay_before_retry 1 s, no warmup: the lab's settings. */
    static CheckSpec fast(int address, String... more) {
        List<String> kv = new ArrayList<>(List.of("delay_loop", "1", "connect_timeout", "1", "retry", "1",
                "delay_before_retry", "1", "warmup", "0"));
        kv.addAll(List.of(more));
        return spec(address, "tcp", kv.toArray(new String[0]));
    }

    boolean inTable(int address) {
        return table.server(SVC, address, 8080) != null;
    }

    int weight(int address) {
        return table.server(SVC, address, 8080).weight();
    }

    /** Advances in 10 ms steps until the server leaves the table; returns the time it took. */
    long millisUntil(java.util.function.BooleanSupplier condition, long limitMillis) {
        long start = timers.millis();
        while (!condition.getAsBoolean()) {
            if (timers.millis() - start > limitMillis) throw new AssertionError("not within " + limitMillis + " ms");
            timers.advance(10);
        }
        return timers.millis() - start;
    }

    // ------------------------------------------------------------------ retry, delay_before_retry, timing

    @Test
    void aHealthyServerIsCheckedEveryDelayLoopAndStays() {
        monitor.addCheck(fast(RS1));
        timers.advance(5_500);
        // first at once (warmup 0), then 1 s after each 1 ms check ends
        assertEquals(List.of(0L, 1001L, 2002L, 3003L, 4004L, 5005L), tcp.callTimes(RS1));
        assertTrue(inTable(RS1));
        assertEquals(List.of(), table.changes);
        assertEquals(List.of(), events);
    }

    @Test
    void aFailedIpv6ServerLeavesTheTableByItsIpv6AddressAndComesBack() {
        ServiceKey v6 = ServiceKey.parse(Protocol.TCP, "[2001:db8::1]:80");
        org.jlvs.api.Ip6Address rip6 = org.jlvs.api.Ip6Address.parse("2001:db8::11");
        table.addService(ServiceConfig.of(v6, "rr"));
        table.addServer(v6, ServerConfig.of(rip6, 80, ForwardMethod.MASQ, 3));
        table.changes.clear();
        monitor.addCheck(new CheckSpec(v6, 0, 80, "tcp", Map.of("delay_loop", "1", "connect_timeout", "1", "retry", "0",
                "warmup", "0"), rip6));
        assertEquals("[2001:db8::11]:80", monitor.checks(v6).get(0).spec().server());
        tcp.up.put(rip6.fold(), false);
        timers.advance(3_000);
        assertEquals(List.of("delete [2001:db8::11]:80"), table.changes);
        assertEquals("DOWN", monitor.service(v6).servers().get(0).state());
        assertEquals(rip6, monitor.service(v6).servers().get(0).address6());
        tcp.up.put(rip6.fold(), true);
        timers.advance(3_000);
        assertEquals(List.of("delete [2001:db8::11]:80", "add [2001:db8::11]:80 w3"), table.changes);
    }

    @Test
    void retriesBeforeGoingDownThenWaitsDelayLoop() {
        monitor.addCheck(spec(RS1, "tcp", "delay_loop", "10", "retry", "3", "delay_before_retry", "2", "warmup", "0",
                "connect_timeout", "1"));
        timers.advance(100);
        tcp.up.put(RS1, false);
        tcp.refuse = true;
        timers.advance(10_000); // attempt at 10.001 fails
        assertTrue(inTable(RS1), "one failure is only the first of 1 + 3 tries");
        timers.advance(2_000); // retry 1 at 12.001
        timers.advance(2_000); // retry 2 at 14.001
        assertTrue(inTable(RS1));
        timers.advance(2_000); // retry 3 at 16.001: down
        assertFalse(inTable(RS1));
        assertEquals(List.of(0L, 10001L, 12001L, 14001L, 16001L), tcp.callTimes(RS1));
        // once down, no retries: the next attempt is a delay_loop later
        timers.advance(10_000);
        assertEquals(26001L, tcp.callTimes(RS1).get(5));
        assertEquals(List.of("delete 10.0.1.1:8080"), table.changes);
        assertEquals(List.of("DOWN 10.0.1.1:8080"), events);
    }

    @Test
    void aSuccessDuringRetriesResetsTheCount() {
        monitor.addCheck(spec(RS1, "tcp", "delay_loop", "5", "retry", "1", "delay_before_retry", "1", "warmup", "0"));
        tcp.refuse = true;
        tcp.up.put(RS1, false);
        timers.advance(4_999); // first attempt at 0 fails: retry at 1 s fails: down
        assertFalse(inTable(RS1));
        tcp.up.put(RS1, true);
        timers.advance(5_000); // attempt at 6 s: up
        assertTrue(inTable(RS1));
        tcp.up.put(RS1, false);
        timers.advance(1_100); // the attempt at 11.001 fails: retry at 12.001
        assertTrue(inTable(RS1));
        tcp.up.put(RS1, true);
        timers.advance(1_000); // the retry succeeds: next at 17.002
        tcp.up.put(RS1, false);
        timers.advance(5_000); // fails at 17.002: only the first failure of a new series
        assertTrue(inTable(RS1), "the success reset the retry count");
    }

    @Test
    void removalWithinDelayLoopPlusRetriesTimesTimeoutAndRetryDelay() {
        // the lab's acceptance bound: delay_loop + (retry + 1) * (connect_timeout + delay_before_retry) = 5 s,
        // for a server that stops answering (every attempt runs into the full connect timeout)
        monitor.addCheck(fast(RS1));
        timers.advance(500);
        tcp.up.put(RS1, false);
        long took = millisUntil(() -> !inTable(RS1), 10_000);
        assertTrue(took <= 5_000, "removed after " + took + " ms");
        assertTrue(took >= 3_000, "two timed-out attempts and a retry delay take at least 3 s, took " + took);
        // back within two delay_loops of the server answering again
        timers.advance(300);
        tcp.up.put(RS1, true);
        long back = millisUntil(() -> inTable(RS1), 10_000);
        assertTrue(back <= 2_000, "back after " + back + " ms");
    }

    // ------------------------------------------------------------------ warmup and alpha

    @Test
    void warmupDelaysTheFirstCheckByARandomPartOfIt() {
        warmupFraction1000 = 500;
        monitor.addCheck(spec(RS1, "tcp", "delay_loop", "2", "warmup", "8"));
        assertEquals(List.of(8_000L), warmupBounds);
        timers.advance(3_999);
        assertEquals(List.of(), tcp.callTimes(RS1));
        timers.advance(1);
        assertEquals(List.of(4_000L), tcp.callTimes(RS1));
    }

    @Test
    void warmupDefaultsToDelayLoopAndZeroStartsAtOnce() {
        warmupFraction1000 = 1000;
        monitor.addCheck(spec(RS1, "tcp", "delay_loop", "3"));
        monitor.addCheck(spec(RS2, "tcp", "delay_loop", "3", "warmup", "0"));
        assertEquals(List.of(3_000L), warmupBounds, "warmup 0 draws nothing");
        timers.advance(0);
        assertEquals(List.of(0L), tcp.callTimes(RS2));
        assertEquals(List.of(), tcp.callTimes(RS1));
        timers.advance(3_000);
        assertEquals(List.of(3_000L), tcp.callTimes(RS1));
    }

    @Test
    void alphaStartsDownUntilTheFirstSuccess() {
        warmupFraction1000 = 1000;
        monitor.addCheck(spec(RS1, "tcp", "delay_loop", "1", "warmup", "2", "alpha", ""));
        assertFalse(inTable(RS1), "alpha: out of the table until a check passes");
        assertEquals(List.of("DOWN 10.0.1.1:8080"), events);
        timers.advance(1_999);
        assertFalse(inTable(RS1));
        timers.advance(2); // first attempt at 2 s, answered 1 ms later
        assertTrue(inTable(RS1));
        ServerConfig back = table.server(SVC, RS1, 8080);
        assertEquals(new ServerConfig(RS1, 8080, ForwardMethod.MASQ, 1, 100, 50), back, "restored as configured");
        assertEquals(List.of("DOWN 10.0.1.1:8080", "UP 10.0.1.1:8080"), events);
    }

    @Test
    void withoutAlphaAServerStartsUp() {
        monitor.addCheck(fast(RS1));
        assertTrue(inTable(RS1));
        assertEquals(List.of(), events);
    }

    // ------------------------------------------------------------------ inhibit_on_failure, weights

    @Test
    void inhibitOnFailureSetsWeightZeroAndRestoresIt() {
        table.editServer(SVC, table.server(SVC, RS1, 8080).withWeight(7));
        table.changes.clear();
        monitor.addCheck(fast(RS1, "inhibit_on_failure", ""));
        tcp.refuse = true;
        tcp.up.put(RS1, false);
        timers.advance(1_500);
        assertTrue(inTable(RS1), "inhibited servers stay in the table (established connections go on)");
        assertEquals(0, weight(RS1));
        tcp.up.put(RS1, true);
        timers.advance(1_000);
        assertEquals(7, weight(RS1));
        assertEquals(List.of("edit 10.0.1.1:8080 w0", "edit 10.0.1.1:8080 w7"), table.changes);
        HealthStatus.ServiceHealth h = monitor.service(SVC);
        assertEquals("UP", h.servers().get(0).state());
    }

    @Test
    void anOperatorWeightEditIsTheOneRestored() {
        monitor.addCheck(fast(RS1));
        table.editServer(SVC, table.server(SVC, RS1, 8080).withWeight(9));
        tcp.refuse = true;
        tcp.up.put(RS1, false);
        timers.advance(1_500);
        assertFalse(inTable(RS1));
        tcp.up.put(RS1, true);
        timers.advance(1_000);
        assertEquals(9, weight(RS1));
    }

    @Test
    void aDynamicWeightFromTheCheckIsApplied() {
        tcp.weight.put(RS1, 5);
        monitor.addCheck(fast(RS1));
        timers.advance(10);
        assertEquals(5, weight(RS1));
        assertTrue(events.contains("WEIGHT 10.0.1.1:8080"));
        tcp.weight.put(RS1, 2);
        timers.advance(1_000);
        assertEquals(2, weight(RS1));
    }

    // ------------------------------------------------------------------ quorum, hysteresis, sorry server

    @Test
    void quorumIsLostBelowQuorumMinusHysteresisAndRegainedAtQuorumPlusHysteresis() {
        for (int rs : new int[] {RS1, RS2, RS3, RS4}) monitor.addCheck(fast(rs));
        monitor.setQuorum(SVC, new QuorumConfig(3, 1, 0, 0));
        tcp.refuse = true;
        tcp.up.put(RS1, false);
        tcp.up.put(RS2, false);
        timers.advance(1_500); // live weight 2: not below 3 - 1
        assertTrue(monitor.service(SVC).quorumUp());
        tcp.up.put(RS3, false);
        timers.advance(2_000); // live weight 1 < 2: lost
        assertFalse(monitor.service(SVC).quorumUp());
        assertTrue(events.contains("QUORUM_LOST "), events.toString());
        tcp.up.put(RS1, true);
        tcp.up.put(RS2, true);
        timers.advance(2_000); // live weight 3: not yet 3 + 1
        assertFalse(monitor.service(SVC).quorumUp());
        tcp.up.put(RS3, true);
        timers.advance(2_000); // 4 >= 4: gained
        assertTrue(monitor.service(SVC).quorumUp());
        assertEquals(1, events.stream().filter(e -> e.startsWith("QUORUM_GAINED")).count());
    }

    @Test
    void theSorryServerTakesOverWhileTheQuorumIsLostAndLeavesWhenItIsBack() {
        monitor.addCheck(fast(RS1));
        monitor.addCheck(fast(RS2));
        monitor.setQuorum(SVC, new QuorumConfig(2, 0, SORRY, 8080));
        assertNull(table.server(SVC, SORRY, 8080), "quorum 2 is met by 4 servers");
        tcp.refuse = true;
        tcp.up.put(RS1, false);
        tcp.up.put(RS2, false);
        tcp.up.put(RS3, false); // RS3 and RS4 have no checks: they count as live
        timers.advance(1_500);
        // live weight 2 (RS3, RS4) >= 2: no sorry server yet
        assertNull(table.server(SVC, SORRY, 8080));
        table.deleteServer(SVC, RS4, 8080);
        table.changes.clear();
        timers.advance(Monitor.SWEEP_MILLIS); // the sweep sees the operator's change: live weight 1 < 2
        ServerConfig sorry = table.server(SVC, SORRY, 8080);
        assertNotNull(sorry, "the sorry server is in");
        assertEquals(1, sorry.weight());
        assertEquals(ForwardMethod.MASQ, sorry.method());
        assertFalse(inTable(RS3), "keepalived takes the remaining live servers out while the sorry server serves");
        assertEquals("add 10.0.9.9:8080 w1", table.changes.get(0), "the sorry server goes in before the others go out");
        HealthStatus.ServiceHealth h = monitor.service(SVC);
        assertFalse(h.quorumUp());
        assertTrue(h.servers().stream().anyMatch(s -> s.sorry() && s.address() == SORRY));
        // RS1 comes back: live weight 2 (RS1 + RS3 held out): quorum gained, the sorry server leaves
        table.changes.clear();
        tcp.up.put(RS1, true);
        timers.advance(1_000);
        assertNull(table.server(SVC, SORRY, 8080));
        assertTrue(inTable(RS1));
        assertTrue(inTable(RS3), "the server without checks is put back");
        assertFalse(inTable(RS2));
        assertEquals("delete 10.0.9.9:8080", table.changes.get(table.changes.size() - 1),
                "the live servers go in before the sorry server goes out");
    }

    @Test
    void allServersDownSwitchToTheSorryServerAndBack() {
        for (int rs : new int[] {RS1, RS2, RS3, RS4}) monitor.addCheck(fast(rs));
        monitor.setQuorum(SVC, new QuorumConfig(1, 0, SORRY, 8080));
        tcp.refuse = true;
        for (int rs : new int[] {RS1, RS2, RS3, RS4}) tcp.up.put(rs, false);
        timers.advance(1_500);
        assertNotNull(table.server(SVC, SORRY, 8080));
        assertEquals(1, table.servers.get(SVC).size(), "only the sorry server");
        for (int rs : new int[] {RS1, RS2, RS3, RS4}) tcp.up.put(rs, true);
        timers.advance(1_000);
        assertNull(table.server(SVC, SORRY, 8080));
        assertEquals(4, table.servers.get(SVC).size());
    }

    @Test
    void withInhibitTheHeldOutServersGetWeightZero() {
        monitor.addCheck(fast(RS1, "inhibit_on_failure", ""));
        monitor.addCheck(fast(RS2, "inhibit_on_failure", ""));
        table.deleteServer(SVC, RS3, 8080);
        table.deleteServer(SVC, RS4, 8080);
        monitor.setQuorum(SVC, new QuorumConfig(2, 0, SORRY, 8080));
        tcp.refuse = true;
        tcp.up.put(RS1, false);
        timers.advance(1_500);
        assertNotNull(table.server(SVC, SORRY, 8080));
        assertEquals(0, weight(RS1));
        assertEquals(0, weight(RS2), "alive but held at weight 0 while the sorry server serves");
    }

    @Test
    void changingTheSorryServerWhileItServesSwapsIt() {
        monitor.addCheck(fast(RS1));
        monitor.setQuorum(SVC, new QuorumConfig(10, 0, SORRY, 8080));
        assertNotNull(table.server(SVC, SORRY, 8080));
        int other = Ip4.parse("10.0.9.10");
        monitor.setQuorum(SVC, new QuorumConfig(10, 0, other, 8080));
        assertNull(table.server(SVC, SORRY, 8080));
        assertNotNull(table.server(SVC, other, 8080));
        monitor.setQuorum(SVC, new QuorumConfig(1, 0, other, 8080));
        assertNull(table.server(SVC, other, 8080));
        assertEquals(4, table.servers.get(SVC).size());
    }

    // ------------------------------------------------------------------ hot swap of checkers

    @Test
    void aCheckerThatLeavesSuspendsItsChecksWithTheirLastStateUntilOneIsBack() {
        monitor.addCheck(fast(RS1));
        monitor.addCheck(fast(RS2));
        tcp.refuse = true;
        tcp.up.put(RS2, false);
        timers.advance(1_500);
        assertFalse(inTable(RS2));
        monitor.checkerRemoved("tcp", tcp);
        int before = tcp.calls.size();
        timers.advance(30_000);
        assertEquals(before, tcp.calls.size(), "nothing runs without a checker");
        assertTrue(inTable(RS1), "no flap: the live server stays");
        assertFalse(inTable(RS2), "the dead one stays out");
        assertEquals(List.of("SUSPENDED", "SUSPENDED"), monitor.checks(SVC).stream().map(CheckStatus::state).toList());
        FakeChecker updated = new FakeChecker(timers);
        updated.up.put(RS2, true);
        monitor.checkerAdded("tcp", updated);
        timers.advance(1_100);
        assertEquals(List.of("UP", "UP"), monitor.checks(SVC).stream().map(CheckStatus::state).toList());
        assertTrue(inTable(RS2));
        assertEquals(List.of("delete 10.0.1.2:8080", "add 10.0.1.2:8080 w1"), table.changes);
    }

    @Test
    void aResultOfTheLeavingCheckerIsIgnored() {
        monitor.addCheck(fast(RS1));
        timers.advance(500);
        tcp.hang = true;
        timers.advance(600); // the attempt at 1.001 s is in flight
        assertEquals(1, tcp.pending.stream().filter(f -> !f.isDone()).count());
        monitor.checkerRemoved("tcp", tcp);
        tcp.pending.get(tcp.pending.size() - 1).complete(org.jlvs.api.CheckResult.down("bundle stopping", 0));
        timers.advance(10_000);
        assertTrue(inTable(RS1));
        assertEquals("SUSPENDED", monitor.checks(SVC).get(0).state());
    }

    @Test
    void twoCheckersOfOneTypeHandOverWithoutSuspending() {
        FakeChecker second = new FakeChecker(timers);
        monitor.checkerAdded("tcp", second);
        monitor.addCheck(fast(RS1));
        timers.advance(1_500);
        assertEquals(0, second.calls.size(), "the first one registered runs the checks");
        monitor.checkerRemoved("tcp", tcp);
        timers.advance(1_500);
        assertTrue(second.calls.size() >= 1);
        assertEquals("UP", monitor.checks(SVC).get(0).state());
    }

    @Test
    void aCheckerThatNeverAnswersFailsTheAttemptAfterTheTimeout() {
        monitor.addCheck(fast(RS1, "retry", "0"));
        timers.advance(500);
        tcp.hang = true;
        timers.advance(600); // attempt at 1.001 never answers
        assertTrue(inTable(RS1));
        timers.advance(1_000 + Monitor.WATCHDOG_GRACE_MILLIS);
        assertFalse(inTable(RS1));
        assertTrue(monitor.checks(SVC).get(0).lastResult().startsWith("no result within"));
        assertTrue(tcp.pending.get(1).isCancelled(), "the attempt is cancelled so that the checker can drop it");
    }

    // ------------------------------------------------------------------ several checks, events, scripts

    @Test
    void aServerIsAliveOnlyWhileEveryCheckPasses() {
        FakeChecker http = new FakeChecker(timers);
        monitor.checkerAdded("http", http);
        monitor.addCheck(fast(RS1));
        monitor.addCheck(spec(RS1, "HTTP_GET", "delay_loop", "1", "retry", "0", "warmup", "0"));
        http.refuse = true;
        http.up.put(RS1, false);
        timers.advance(100);
        assertFalse(inTable(RS1), "tcp passes but http fails");
        http.up.put(RS1, true);
        timers.advance(1_000);
        assertTrue(inTable(RS1));
        assertEquals(List.of("http", "tcp"), monitor.checks(SVC).stream().map(c -> c.spec().type()).sorted().toList());
    }

    @Test
    void stateChangesArePostedAndRunTheNotifyScripts() {
        monitor.addCheck(fast(RS1, "notify_up", "/bin/up.sh", "notify_down", "/bin/down.sh arg"));
        tcp.refuse = true;
        tcp.up.put(RS1, false);
        timers.advance(1_500);
        tcp.up.put(RS1, true);
        timers.advance(1_000);
        assertEquals(List.of("DOWN 10.0.1.1:8080", "UP 10.0.1.1:8080"), events);
        assertEquals(List.of("/bin/down.sh arg 10.0.1.1:8080 DOWN", "/bin/up.sh 10.0.1.1:8080 UP"), scripts);
        Map<String, Object> down = eventProperties.get(0);
        assertEquals("TCP 10.0.0.100:80", down.get("service"));
        assertEquals("DOWN", down.get("state"));
        assertEquals("tcp: connection refused", down.get("reason"));
        assertEquals(HealthMonitor.TOPIC_DOWN.substring(0, HealthMonitor.TOPIC_DOWN.lastIndexOf('/')), "org/jlvs/realserver");
    }

    @Test
    void removingTheChecksOfAServerTheMonitorTookOutPutsItBack() {
        monitor.addCheck(fast(RS1));
        tcp.refuse = true;
        tcp.up.put(RS1, false);
        timers.advance(1_500);
        assertFalse(inTable(RS1));
        assertEquals(1, monitor.removeChecks(SVC, RS1, 8080, null));
        assertEquals(new ServerConfig(RS1, 8080, ForwardMethod.MASQ, 1, 100, 50), table.server(SVC, RS1, 8080));
        assertEquals(List.of(), monitor.checks(SVC));
        assertNull(monitor.service(SVC), "nothing left to watch");
        int calls = tcp.calls.size();
        timers.advance(5_000);
        assertEquals(calls, tcp.calls.size(), "its timers are cancelled");
    }

    @Test
    void theOperatorDeletingAServiceOrServerDropsItsChecks() {
        monitor.addCheck(fast(RS1));
        monitor.addCheck(fast(RS2));
        table.deleteServer(SVC, RS1, 8080);
        timers.advance(Monitor.SWEEP_MILLIS);
        assertEquals(1, monitor.checks(SVC).size());
        table.deleteService(SVC);
        timers.advance(Monitor.SWEEP_MILLIS);
        assertEquals(List.of(), monitor.checks(null));
        assertNull(monitor.service(SVC));
    }

    @Test
    void refusals() {
        assertThrows(LvsException.class, () -> monitor.addCheck(spec(RS1, "dns")), "no dns checker");
        ServiceKey v6 = ServiceKey.parse(Protocol.TCP, "[2001:db8::1]:80");
        table.addService(ServiceConfig.of(v6, "rr"));
        org.jlvs.api.Ip6Address rip6 = org.jlvs.api.Ip6Address.parse("2001:db8::11");
        table.addServer(v6, ServerConfig.of(rip6, 80, ForwardMethod.MASQ, 1));
        table.changes.clear();
        assertEquals("No such real server: " + org.jlvs.api.Ip4.toString(rip6.fold(), 80) + " in TCP [2001:db8::1]:80 (an"
                + " IPv6 service has IPv6 real servers)",
                assertThrows(LvsException.class, () -> monitor.addCheck(new CheckSpec(v6, rip6.fold(), 80, "tcp",
                        Map.of()))).getMessage(), "a check by the fold alone would connect to a wrong IPv4 address");
        org.jlvs.api.Ip6Address other = org.jlvs.api.Ip6Address.parse("2001:db8::12");
        assertThrows(LvsException.class, () -> monitor.addCheck(new CheckSpec(v6, 0, 80, "tcp", Map.of(), other)),
                "no such IPv6 real server");
        assertThrows(LvsException.class, () -> monitor.addCheck(spec(Ip4.parse("10.0.1.77"), "tcp")), "no such server");
        assertThrows(LvsException.class, () -> monitor.addCheck(new CheckSpec(new ServiceKey(Protocol.UDP, 1, 53), RS1, 53,
                "tcp", Map.of())), "no such service");
        assertThrows(IllegalArgumentException.class, () -> monitor.addCheck(spec(RS1, "tcp", "delay_loop", "0")));
        assertThrows(IllegalArgumentException.class, () -> monitor.addCheck(spec(RS1, "tcp", "retry", "-1")));
        assertThrows(IllegalArgumentException.class, () -> monitor.addCheck(spec(RS1, "tcp", "connect_ip", "1.2.3")));
        monitor.addCheck(spec(RS1, "TCP_CHECK"));
        assertThrows(LvsException.class, () -> monitor.addCheck(spec(RS1, "tcp")), "one tcp check per server");
        assertThrows(LvsException.class, () -> monitor.removeChecks(SVC, RS2, 8080, null));
        assertThrows(LvsException.class, () -> monitor.removeChecks(SVC, RS1, 8080, "http"));
        assertEquals(List.of(), table.changes, "a refusal changes nothing");
    }
}
