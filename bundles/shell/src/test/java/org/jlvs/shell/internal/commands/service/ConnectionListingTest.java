package org.jlvs.shell.internal.commands.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.karaf.shell.support.CommandException;
import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.fake.FakeConnectionTable;
import org.jlvs.api.fake.FakeVirtualServerTable;
import org.jlvs.shell.internal.commands.LvsAction;
import org.junit.jupiter.api.Test;

class ConnectionListingTest {
    private static final String TITLE = "IPVS connection entries\n"
            + "pro expire state       source             virtual            destination\n";

    private static ConnectionInfo conn(Protocol p, String state, long millis, int cport, String vip, int vport, String rip) {
        return new ConnectionInfo(p, state, millis, Ip4.parse("203.0.113.5"), cport, Ip4.parse(vip), vport, Ip4.parse(rip), vport);
    }

    private final FakeConnectionTable table = new FakeConnectionTable(List.of(
            conn(Protocol.TCP, "ESTABLISHED", 899_000, 51234, "10.0.0.100", 80, "192.168.1.11"),
            conn(Protocol.UDP, "UDP", 298_000, 40000, "10.0.0.100", 53, "192.168.1.21"),
            conn(Protocol.TCP, "SYN_RECV", 59_000, 51235, "10.0.0.100", 443, "192.168.1.12")));

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private <T extends LvsAction> T command(T action) {
        action.table = new FakeVirtualServerTable();
        action.out = new PrintStream(out, true, StandardCharsets.UTF_8);
        action.err = new PrintStream(err, true, StandardCharsets.UTF_8);
        return action;
    }

    @Test
    void listDashCStreamsEveryRowInIpvsadmLayout() throws Exception {
        ListCommand list = command(new ListCommand());
        list.connections = table;
        list.connection = true;
        list.numeric = true;
        list.execute();
        assertEquals(TITLE
                + "TCP 14:59  ESTABLISHED 203.0.113.5:51234  10.0.0.100:80      192.168.1.11:80\n"
                + "UDP 04:58  UDP         203.0.113.5:40000  10.0.0.100:53      192.168.1.21:53\n"
                + "TCP 00:59  SYN_RECV    203.0.113.5:51235  10.0.0.100:443     192.168.1.12:443\n",
                out.toString(StandardCharsets.UTF_8));
        assertEquals(ConnectionPrinter.DEFAULT_LIMIT, table.askedLimit);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void originShowsLocalAndSyncedEntriesAndTheDefaultLayoutStaysIpvsadms() throws Exception {
        FakeConnectionTable mixed = new FakeConnectionTable(List.of(
                conn(Protocol.TCP, "ESTABLISHED", 899_000, 51234, "10.0.0.100", 80, "192.168.1.11"),
                new ConnectionInfo(Protocol.TCP, "ESTABLISHED", 600_000, Ip4.parse("203.0.113.6"), 40001,
                        Ip4.parse("10.0.0.100"), 80, Ip4.parse("192.168.1.12"), 80, true)));
        ListCommand list = command(new ListCommand());
        list.connections = mixed;
        list.connection = true;
        list.origin = true;
        list.execute();
        assertEquals("IPVS connection entries\n"
                + "pro expire state       source             virtual            destination        origin\n"
                + "TCP 14:59  ESTABLISHED 203.0.113.5:51234  10.0.0.100:80      192.168.1.11:80    LOCAL\n"
                + "TCP 10:00  ESTABLISHED 203.0.113.6:40001  10.0.0.100:80      192.168.1.12:80    SYNC\n",
                out.toString(StandardCharsets.UTF_8));
        out.reset();
        ListCommand plain = command(new ListCommand());
        plain.connections = mixed;
        plain.connection = true;
        plain.execute();
        assertEquals(TITLE
                + "TCP 14:59  ESTABLISHED 203.0.113.5:51234  10.0.0.100:80      192.168.1.11:80\n"
                + "TCP 10:00  ESTABLISHED 203.0.113.6:40001  10.0.0.100:80      192.168.1.12:80\n",
                out.toString(StandardCharsets.UTF_8), "without --origin: ipvsadm's layout, byte for byte");
    }

    @Test
    void limitCutsTheListingAndSaysSo() throws Exception {
        ConnectionsCommand c = command(new ConnectionsCommand());
        c.connections = table;
        c.limit = "1";
        c.execute();
        assertEquals(TITLE + "TCP 14:59  ESTABLISHED 203.0.113.5:51234  10.0.0.100:80      192.168.1.11:80\n",
                out.toString(StandardCharsets.UTF_8));
        assertEquals("(listing stopped after 1 entries; the table holds 3: use --limit N, 0 for all)\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void limitZeroMeansAll() throws Exception {
        ConnectionsCommand c = command(new ConnectionsCommand());
        c.connections = table;
        c.limit = "0";
        c.execute();
        assertEquals(Long.MAX_VALUE, table.askedLimit);
        assertEquals(2 + 3, out.toString(StandardCharsets.UTF_8).split("\n").length);
    }

    @Test
    void serviceFilterKeepsThatServiceOnly() throws Exception {
        ConnectionsCommand c = command(new ConnectionsCommand());
        c.connections = table;
        c.tcp = "10.0.0.100:443";
        c.execute();
        assertEquals(TITLE + "TCP 00:59  SYN_RECV    203.0.113.5:51235  10.0.0.100:443     192.168.1.12:443\n",
                out.toString(StandardCharsets.UTF_8));

        out.reset();
        ConnectionsCommand allPorts = command(new ConnectionsCommand());
        allPorts.connections = table;
        allPorts.tcp = "10.0.0.100"; // port 0: every TCP port of the address
        allPorts.execute();
        assertEquals(2 + 2, out.toString(StandardCharsets.UTF_8).split("\n").length); // title + the two TCP rows
    }

    @Test
    void connectionsAsJsonWithTheLimit() throws Exception {
        ConnectionsCommand c = command(new ConnectionsCommand());
        c.connections = table;
        c.json = true;
        c.limit = "2";
        c.execute();
        JsonNode doc = new ObjectMapper()
                .readTree(out.toString(StandardCharsets.UTF_8));
        assertEquals("jlvs-connections", doc.get("format").asText());
        assertEquals(2, doc.get("connections").size());
        assertEquals("203.0.113.5:40000", doc.get("connections").get(1).get("client").asText());
        assertEquals(2, table.askedLimit);
    }

    @Test
    void badLimitIsRefused() {
        ConnectionsCommand c = command(new ConnectionsCommand());
        c.connections = table;
        c.limit = "many";
        assertEquals("bad limit 'many': must be 0..9223372036854775807",
                assertThrows(CommandException.class, c::execute).getMessage());
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void listTimeoutPrintsIpvsadmLine() throws Exception {
        ListCommand list = command(new ListCommand());
        list.connections = table;
        list.timeout = true;
        list.execute();
        assertEquals("Timeout (tcp tcpfin udp): 900 120 300\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void setTimeoutChangesTheGivenValuesAndZeroKeepsOne() throws Exception {
        SetTimeoutCommand set = command(new SetTimeoutCommand());
        set.connections = table;
        set.tcp = "600";
        set.tcpFin = "0";
        set.udp = "30";
        set.execute();
        ListCommand list = command(new ListCommand());
        list.connections = table;
        list.timeout = true;
        list.execute();
        assertEquals("Timeout (tcp tcpfin udp): 600 120 30\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void setTimeoutRefusesBadValuesBeforeChangingAnything() {
        SetTimeoutCommand set = command(new SetTimeoutCommand());
        set.connections = table;
        set.tcp = "600";
        set.tcpFin = "10";
        set.udp = "-1";
        assertEquals("bad udp timeout '-1': must be 0..16777216",
                assertThrows(CommandException.class, set::execute).getMessage());
        assertEquals(List.of(900, 120, 300), List.of(table.timeouts()[0], table.timeouts()[1], table.timeouts()[2]));
    }

    @Test
    void timeoutCommandsWithoutTheCoreSayWhy() {
        SetTimeoutCommand set = command(new SetTimeoutCommand());
        set.tcp = set.tcpFin = set.udp = "1";
        assertEquals("the connection table is not available (is the jlvs-core feature running?)",
                assertThrows(CommandException.class, set::execute).getMessage());
        ListCommand list = command(new ListCommand());
        list.timeout = true;
        assertThrows(CommandException.class, list::execute);
    }
}
