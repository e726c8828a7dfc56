package org.jlvs.shell.internal.commands.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.karaf.shell.support.CommandException;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.HealthStatus;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.QuorumConfig;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.shell.internal.commands.LvsAction;
import org.jlvs.api.fake.FakeHealthMonitor;
import org.jlvs.api.fake.FakeVirtualServerTable;
import org.junit.jupiter.api.Test;

/** lvs:list with the health monitor's states, and lvs:edit-service's quorum settings. */
class HealthCommandsTest {
    static final ServiceKey WEB = new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.1"), 80);
    final FakeVirtualServerTable table = new FakeVirtualServerTable();
    final ByteArrayOutputStream output = new ByteArrayOutputStream();
    /** Says rs1 is UP, rs2 DOWN and out of the table, rs3 the sorry server; records setQuorum. */
    final FakeHealthMonitor monitor = new FakeHealthMonitor();

    HealthCommandsTest() {
        monitor.health.put(WEB, new HealthStatus.ServiceHealth(WEB, QuorumConfig.DEFAULT, true, 1, List.of(
                new HealthStatus.ServerHealth(Ip4.parse("192.168.1.11"), 80, true, true, false, "UP", "", 0),
                new HealthStatus.ServerHealth(Ip4.parse("192.168.1.12"), 80, false, false, false, "DOWN", "removed", 0),
                new HealthStatus.ServerHealth(Ip4.parse("192.168.1.13"), 80, true, true, true, "SORRY", "quorum lost", 0))));
    }

    <T extends LvsAction> T command(T action) {
        action.table = table;
        action.out = new PrintStream(output, true, StandardCharsets.UTF_8);
        action.err = action.out;
        return action;
    }

    void web() {
        table.addService(ServiceConfig.of(WEB, "wlc"));
        table.addServer(WEB, ServerConfig.of(Ip4.parse("192.168.1.11"), 80, ForwardMethod.MASQ, 1));
        table.addServer(WEB, ServerConfig.of(Ip4.parse("192.168.1.13"), 80, ForwardMethod.MASQ, 1));
        table.addService(ServiceConfig.of(new ServiceKey(Protocol.UDP, Ip4.parse("10.0.0.1"), 53), "rr"));
    }

    @Test
    void listShowsTheHealthOfWatchedServers() throws Exception {
        web();
        ListCommand list = command(new ListCommand());
        list.health = monitor;
        list.execute();
        String text = output.toString(StandardCharsets.UTF_8);
        assertEquals(String.join("\n",
                "IP Virtual Server version 1.2.1 (size=4096)",
                "Prot LocalAddress:Port Scheduler Flags",
                "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn Health",
                "TCP  10.0.0.1:80 wlc",
                "  -> 192.168.1.11:80              Masq    1      0          0          UP",
                "  -> 192.168.1.13:80              Masq    1      0          0          SORRY",
                "  -- 192.168.1.12:80              DOWN (removed)",
                "UDP  10.0.0.1:53 rr", ""), text);
    }

    @Test
    void withoutWatchedServicesTheListingIsIpvsadms() throws Exception {
        table.addService(ServiceConfig.of(new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.9"), 80), "wlc"));
        ListCommand plain = command(new ListCommand());
        plain.execute();
        String without = output.toString(StandardCharsets.UTF_8);
        output.reset();
        ListCommand withMonitor = command(new ListCommand());
        withMonitor.health = monitor;
        withMonitor.execute();
        assertEquals(without, output.toString(StandardCharsets.UTF_8));
        assertTrue(without.contains("InActConn\n"));
    }

    @Test
    void editServiceSetsTheQuorumAloneOrWithTheScheduler() throws Exception {
        web();
        EditServiceCommand q = command(new EditServiceCommand());
        q.monitor = monitor;
        q.tcp = "10.0.0.1:80";
        q.quorum = "2";
        q.hysteresis = "1";
        q.sorryServer = "192.168.1.99";
        q.execute();
        assertEquals(List.of("TCP 10.0.0.1:80 QuorumConfig[quorum=2, hysteresis=1, sorryAddress=" + Ip4.parse("192.168.1.99")
                + ", sorryPort=80]"), monitor.quorumCalls);
        assertEquals("wlc", table.get(WEB).config().scheduler(), "the service itself is unchanged");

        EditServiceCommand both = command(new EditServiceCommand());
        both.monitor = monitor;
        both.tcp = "10.0.0.1:80";
        both.scheduler = "rr";
        both.sorryServer = "none";
        both.execute();
        assertEquals("rr", table.get(WEB).config().scheduler());
        assertEquals(new QuorumConfig(2, 1, 0, 0), monitor.quorum(WEB), "unnamed settings are kept");
    }

    @Test
    void editServiceRefusals() {
        web();
        EditServiceCommand noScheduler = command(new EditServiceCommand());
        noScheduler.tcp = "10.0.0.1:80";
        assertTrue(assertThrows(CommandException.class, noScheduler::execute).getMessage().startsWith("missing -s"));
        EditServiceCommand noMonitor = command(new EditServiceCommand());
        noMonitor.tcp = "10.0.0.1:80";
        noMonitor.quorum = "2";
        assertTrue(assertThrows(CommandException.class, noMonitor::execute).getMessage().contains("jlvs-healthcheck"));
        EditServiceCommand bad = command(new EditServiceCommand());
        bad.monitor = monitor;
        bad.tcp = "10.0.0.1:80";
        bad.quorum = "-1";
        assertThrows(CommandException.class, bad::execute);
        EditServiceCommand badSorry = command(new EditServiceCommand());
        badSorry.monitor = monitor;
        badSorry.tcp = "10.0.0.1:80";
        badSorry.sorryServer = "1.2.3";
        assertThrows(CommandException.class, badSorry::execute);
        assertEquals(List.of(), monitor.quorumCalls);
    }
}
