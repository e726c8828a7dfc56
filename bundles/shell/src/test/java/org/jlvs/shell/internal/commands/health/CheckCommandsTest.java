package org.jlvs.shell.internal.commands.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.karaf.shell.support.CommandException;
import org.jlvs.api.CheckSpec;
import org.jlvs.api.CheckStatus;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.fake.FakeHealthMonitor;
import org.jlvs.ipvsadm.JlvsJson;
import org.jlvs.shell.internal.format.Listing;
import org.junit.jupiter.api.Test;

/** The lvs:check-* commands turn their options into keepalived keywords and refuse bad input in one line. */
class CheckCommandsTest {
    static final ServiceKey WEB = new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.1"), 80);

    final FakeHealthMonitor monitor = new FakeHealthMonitor();

    CheckCommandsTest() {
        monitor.types = Set.of("http", "dns", "udp");
    }

    CheckAddCommand add() {
        CheckAddCommand c = new CheckAddCommand();
        c.monitor = monitor;
        c.tcp = "10.0.0.1:80";
        c.realServer = "10.0.1.1";
        c.type = "http";
        return c;
    }

    @Test
    void optionsBecomeKeepalivedKeywords() throws Exception {
        CheckAddCommand c = add();
        c.delayLoop = "1";
        c.connectTimeout = "1";
        c.retry = "1";
        c.delayBeforeRetry = "1";
        c.inhibit = true;
        c.path = "/health";
        c.statusCode = List.of("200", "300-399,404");
        c.digest = "9b3a0c85a887a256d6939da88aabd8cd";
        c.notifyUp = "/bin/up 'x y'";
        c.extra = List.of("http-protocol=1.1", "fast_recovery");
        c.execute();
        CheckSpec s = monitor.checks.get(0);
        assertEquals(WEB, s.service());
        assertEquals(Ip4.parse("10.0.1.1"), s.address());
        assertEquals(80, s.port(), "the port defaults to the service's");
        Map<String, String> want = new LinkedHashMap<>();
        want.put("delay_loop", "1");
        want.put("connect_timeout", "1");
        want.put("retry", "1");
        want.put("delay_before_retry", "1");
        want.put("inhibit_on_failure", "");
        want.put("notify_up", "/bin/up 'x y'");
        want.put("path", "/health");
        want.put("status_code", "200 300-399 404");
        want.put("digest", "9b3a0c85a887a256d6939da88aabd8cd");
        want.put("http_protocol", "1.1");
        want.put("fast_recovery", "");
        assertEquals(want, s.options());
    }

    @Test
    void dnsAndUdpNamesMapToKeepalivedsKeywords() throws Exception {
        CheckAddCommand c = add();
        c.udp = "10.0.0.1:53";
        c.tcp = null;
        c.type = "dns";
        c.dnsType = "A";
        c.dnsName = "example.test";
        c.execute();
        assertEquals(Map.of("type", "A", "name", "example.test"), monitor.checks.get(0).options());
        CheckAddCommand u = add();
        u.type = "udp";
        u.requireReply = "any";
        u.payload = "00ff";
        u.execute();
        assertEquals(Map.of("require_reply", "", "payload", "00ff"), monitor.checks.get(1).options());
    }

    @Test
    void refusalsAreOneLine() {
        CheckAddCommand noService = add();
        noService.tcp = null;
        assertTrue(assertThrows(CommandException.class, noService::execute).getMessage().startsWith("missing service"));
        CheckAddCommand badServer = add();
        badServer.realServer = "10.0.1";
        assertThrows(CommandException.class, badServer::execute);
        CheckAddCommand badExtra = add();
        badExtra.extra = List.of("=x");
        assertThrows(CommandException.class, badExtra::execute);
        CheckAddCommand missing = add();
        missing.type = "nope";
        assertEquals("no nope checker is installed (installed: dns, http, udp): install the jlvs-check-nope feature",
                assertThrows(CommandException.class, missing::execute).getMessage());
        assertEquals(List.of(), monitor.checks);
    }

    @Test
    void anIpv6RealServerIsCheckedByItsIpv6Address() throws Exception {
        CheckAddCommand v6 = add();
        v6.tcp = "[2001:db8::1]:80";
        v6.realServer = "[2001:db8::11]:8080";
        v6.execute();
        org.jlvs.api.CheckSpec spec = monitor.checks.get(monitor.checks.size() - 1);
        assertEquals(org.jlvs.api.Ip6Address.parse("2001:db8::11"), spec.address6());
        assertEquals("[2001:db8::11]:8080", spec.server());
        assertEquals("TCP [2001:db8::1]:80", spec.service().toString());
    }

    @Test
    void removeNamesTheServerAndType() throws Exception {
        monitor.addCheck(new CheckSpec(WEB, Ip4.parse("10.0.1.1"), 8080, "http", Map.of()));
        CheckRemoveCommand c = new CheckRemoveCommand();
        c.monitor = monitor;
        c.tcp = "10.0.0.1:80";
        c.realServer = "10.0.1.1:8080";
        c.type = "http";
        c.execute();
        assertEquals(List.of("TCP 10.0.0.1:80 10.0.1.1:8080 http"), monitor.removed);
    }

    /** What a table prints, with Karaf's layout or (noFormat) tab-separated. */
    static String printed(Listing table, boolean noFormat) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        table.print(new PrintStream(out, true, StandardCharsets.UTF_8), noFormat);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listingFormat() {
        CheckSpec spec = new CheckSpec(WEB, Ip4.parse("10.0.1.1"), 80, "http", Map.of());
        List<CheckStatus> checks = List.of(new CheckStatus(spec, "DOWN", "connection refused", 1_234_000, 3,
                1_000_000, 42, Map.of("delay_loop", "1")));
        assertEquals("TCP 10.0.0.1:80\t10.0.1.1:80\thttp\tDOWN\t-\t1.23ms\t3\t1m15s\t42\tconnection refused\tdelay_loop=1\n",
                printed(ChecksCommand.table(checks, monitor, 1_000_000 + 75_000, true), true));
        assertEquals("Service         | Real server | Type | State | Server | Latency | Fails | In state | Attempts | Last result\n"
                + "----------------+-------------+------+-------+--------+---------+-------+----------+----------+-------------------\n"
                + "TCP 10.0.0.1:80 | 10.0.1.1:80 | http | DOWN  | -      |  1.23ms |     3 |    1m15s |       42 | connection refused\n", printed(ChecksCommand.table(checks, monitor, 1_000_000 + 75_000, false), false));
    }

    @Test
    void checkersListAsATable() throws Exception {
        CheckersCommand checkers = new CheckersCommand();
        checkers.monitor = monitor;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        checkers.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        checkers.execute();
        assertEquals("Check type\n"
                + "----------\n"
                + "dns\n"
                + "http\n"
                + "udp\n", out.toString(StandardCharsets.UTF_8));
        out.reset();
        checkers.noFormat = true;
        checkers.execute();
        assertEquals("dns\nhttp\nudp\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void jsonListingReadsBack() throws Exception {
        monitor.addCheck(new CheckSpec(WEB, Ip4.parse("10.0.1.1"), 80, "http", Map.of()));
        ChecksCommand c = new ChecksCommand();
        c.monitor = monitor;
        c.json = true;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        c.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        c.execute();
        JsonNode doc = new ObjectMapper().readTree(out.toByteArray());
        assertEquals("jlvs-checks", doc.get("format").asText());
        assertEquals("10.0.1.1:80", doc.get("checks").get(0).get("server").asText());
        assertEquals("UP", doc.get("checks").get(0).get("state").asText());
    }

    @Test
    void jsonListing() {
        CheckSpec spec = new CheckSpec(WEB, Ip4.parse("10.0.1.1"), 80, "http", Map.of());
        String json = JlvsJson.checks(List.of(new CheckStatus(spec, "DOWN", "said \"no\"", 1_234_000, 3,
                1_000_000, 42, Map.of("delay_loop", "1"))), monitor);
        assertEquals("{\"format\":\"jlvs-checks\",\"version\":1,\"checks\":[{\"service\":\"TCP 10.0.0.1:80\","
                + "\"server\":\"10.0.1.1:80\",\"type\":\"http\",\"state\":\"DOWN\",\"serverState\":\"-\","
                + "\"lastLatencyMicros\":1234,\"consecutiveFailures\":3,\"stateSinceMillis\":1000000,\"attempts\":42,"
                + "\"lastResult\":\"said \\\"no\\\"\",\"settings\":{\"delay_loop\":\"1\"}}]}\n", json);
    }

    @Test
    void withoutTheMonitorTheCommandsSayWhatToInstall() {
        CheckersCommand checkers = new CheckersCommand();
        assertEquals("the health monitor is not available (feature:install jlvs-healthcheck)",
                assertThrows(CommandException.class, checkers::execute).getMessage());
        CheckAddCommand add = add();
        add.monitor = null;
        assertEquals("the health monitor is not available (feature:install jlvs-healthcheck)",
                assertThrows(CommandException.class, add::execute).getMessage());
    }

    @Test
    void checkersListAsJson() throws Exception {
        monitor.types = Set.of("http");
        CheckersCommand checkers = new CheckersCommand();
        checkers.monitor = monitor;
        checkers.json = true;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        checkers.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        checkers.execute();
        assertEquals("{\"format\":\"jlvs-checkers\",\"version\":1,\"checkers\":[\"http\"]}\n",
                out.toString(StandardCharsets.UTF_8));
    }
}
