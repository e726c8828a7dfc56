package org.jlvs.ipvsadm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

import org.jlvs.api.fake.FakeVirtualServerTable;
import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.ConnectionTable;
import org.jlvs.api.Ip4;
import org.jlvs.api.LvsException;
import org.jlvs.api.Protocol;
import org.jlvs.api.Stats;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * lvs:ipvsadm against a table: a script written for ipvsadm, then each listing, compared with texts written out
 * from ipvsadm 1.31's printf formats (trailing spaces included: "%-10u" pads the last column too).
 */
class IpvsadmTest {
    private final FakeVirtualServerTable table = new FakeVirtualServerTable();
    private final FakeConnections connections = new FakeConnections();
    private final Ipvsadm ipvsadm = new Ipvsadm(table, connections);

    private static String sp(int n) {
        return " ".repeat(n);
    }

    /** Runs one command line, returns its output. */
    private String run(String line) throws IOException {
        return run(line, "");
    }

    private String run(String line, String input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ipvsadm.run(line.isEmpty() ? List.of() : Arrays.asList(line.split(" ")),
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private String refused(String line) {
        return assertThrows(IllegalArgumentException.class, () -> run(line)).getMessage();
    }

    private String refusedByTable(String line) {
        return assertThrows(LvsException.class, () -> run(line)).getMessage();
    }

    /** The kind of setup script an LVS director runs. */
    @BeforeEach
    void script() throws IOException {
        for (String line : List.of(
                "-C",
                "-A -t 10.99.1.100:80 -s wlc",
                "-a -t 10.99.1.100:80 -r 10.99.2.11:80 -m -w 2",
                "-a -t 10.99.1.100:80 -r 10.99.2.12 -m",
                "-a -t 10.99.1.100:80 -r 10.99.2.13:80 -m -w 0",
                "-A -u 10.99.1.100:53 -s rr -p 600 -M 255.255.255.0",
                "-a -u 10.99.1.100:53 -r 10.99.2.11:5353 -m -w 1 -x 100 -y 50",
                "-A -t 10.99.1.101:443 -s mh -b mh-port")) {
            assertEquals("", run(line), line);
        }
        table.log.clear();
    }

    static final String LISTING = "IP Virtual Server version 1.2.1 (size=4096)\n"
            + "Prot LocalAddress:Port Scheduler Flags\n"
            + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
            + "TCP  10.99.1.100:80 wlc\n"
            + "  -> 10.99.2.11:80" + sp(16) + "Masq    2      3          12        \n"
            + "  -> 10.99.2.12:80" + sp(16) + "Masq    1      0          0         \n"
            + "  -> 10.99.2.13:80" + sp(16) + "Masq    0      0          0         \n"
            + "TCP  10.99.1.101:443 mh (mh-port)\n"
            + "UDP  10.99.1.100:53 rr persistent 600 mask 255.255.255.0\n"
            + "  -> 10.99.2.11:5353" + sp(14) + "Masq    1      0          0         \n";

    @Test
    void listsAsIpvsadmLNDoes() throws IOException {
        table.serverConns.put("10.99.2.11:80", new int[] {3, 12, 0});
        assertEquals(LISTING, run("-L -n"));
        assertEquals(LISTING, run("-Ln"));
        assertEquals(LISTING, run("--list --numeric"));
        assertEquals(LISTING, run("-l"), "names are never resolved here");
        assertEquals(LISTING, run(""), "ipvsadm alone lists");
        assertEquals(List.of(), table.log, "a listing changes nothing");
    }

    @Test
    void listsOneService() throws IOException {
        assertEquals("Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                + "UDP  10.99.1.100:53 rr persistent 600 mask 255.255.255.0\n"
                + "  -> 10.99.2.11:5353" + sp(14) + "Masq    1      0          0         \n",
                run("-L -n -u 10.99.1.100:53"));
        assertEquals("No such service", refusedByTable("-L -n -t 10.99.1.100:81"));
    }

    @Test
    void listsStatsRatesThresholdsPersistenceAndTunnels() throws IOException {
        table.stats.put(Models.tcp("10.99.1.100", 80), new Stats(1234, 56789, 45678, 3456789, 1_234_567_890L,
                12, 340, 300, 45000, 400000));
        table.serverStats.put("10.99.2.11:80", new Stats(617, 28394, 22839, 1728394, 61728394, 6, 170, 150, 22500,
                200000));
        table.serverConns.put("10.99.2.11:80", new int[] {3, 12, 7});
        String tcp = " -t 10.99.1.100:80";
        // ipvsadm's print_title and print_service_entry formats, print_largenum's "%9llu" / "%8lluM"
        String statsTitle = String.format("%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n",
                "Prot LocalAddress:Port", "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes");
        String zeros = "%9d%9d%9d%9d%9d\n".formatted(0, 0, 0, 0, 0);
        String idle = String.format("  -> %-28s", "10.99.2.12:80") + zeros + String.format("  -> %-28s", "10.99.2.13:80") + zeros;
        assertEquals(statsTitle
                + String.format("%-33s%9d%9d%9d%9d%8dM\n", "TCP  10.99.1.100:80", 1234, 56789, 45678, 3456789, 1234)
                + String.format("  -> %-28s%9d%9d%9d%9d%9d\n", "10.99.2.11:80", 617, 28394, 22839, 1728394, 61728394)
                + idle, run("-L -n --stats" + tcp));
        // --exact: every digit, the column widened to the number plus one space
        assertEquals(statsTitle
                + String.format("%-33s%9d%9d%9d%9d%11d\n", "TCP  10.99.1.100:80", 1234, 56789, 45678, 3456789, 1234567890L)
                + String.format("  -> %-28s%9d%9d%9d%9d%9d\n", "10.99.2.11:80", 617, 28394, 22839, 1728394, 61728394)
                + idle, run("-L -n --stats --exact" + tcp));
        assertEquals(String.format("%-33s %8s %8s %8s %8s %8s\n  -> RemoteAddress:Port\n",
                        "Prot LocalAddress:Port", "CPS", "InPPS", "OutPPS", "InBPS", "OutBPS")
                + String.format("%-33s%9d%9d%9d%9d%9d\n", "TCP  10.99.1.100:80", 12, 340, 300, 45000, 400000)
                + String.format("  -> %-28s %8d %8d %8d%9d%9d\n", "10.99.2.11:80", 6, 170, 150, 22500, 200000)
                + String.format("  -> %-28s %8d %8d %8d", "10.99.2.12:80", 0, 0, 0) + "%9d%9d\n".formatted(0, 0)
                + String.format("  -> %-28s %8d %8d %8d", "10.99.2.13:80", 0, 0, 0) + "%9d%9d\n".formatted(0, 0),
                run("-L -n --rate" + tcp));
        assertEquals(String.format("%-33s %-10s %-10s %-10s %-10s\n  -> RemoteAddress:Port\n", "Prot LocalAddress:Port",
                        "Uthreshold", "Lthreshold", "ActiveConn", "InActConn")
                + "UDP  10.99.1.100:53 rr persistent 600 mask 255.255.255.0\n"
                + String.format("  -> %-28s %-10d %-10d %-10d %-10d\n", "10.99.2.11:5353", 100, 50, 0, 0),
                run("-L -n --thresholds -u 10.99.1.100:53"));
        assertEquals(String.format("%-33s %-9s %-11s %-10s %-10s\n  -> RemoteAddress:Port\n", "Prot LocalAddress:Port",
                        "Weight", "PersistConn", "ActiveConn", "InActConn")
                + "TCP  10.99.1.100:80 wlc\n"
                + String.format("  -> %-28s %-9d %-11d %-10d %-10d\n", "10.99.2.11:80", 2, 7, 3, 12)
                + String.format("  -> %-28s %-9d %-11d %-10d %-10d\n", "10.99.2.12:80", 1, 0, 0, 0)
                + String.format("  -> %-28s %-9d %-11d %-10d %-10d\n", "10.99.2.13:80", 0, 0, 0, 0),
                run("-L -n --persistent-conn" + tcp));
        run("-a -t 10.99.1.101:443 -r 10.99.3.1 -i --tun-type gue --tun-port 6080");
        run("-a -t 10.99.1.101:443 -r 10.99.3.2 -i");
        assertEquals("Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n"
                + "TCP  10.99.1.101:443 mh (mh-port)\n"
                + String.format("  -> %-28s %-7s %-13s %-6d %-10d %-10d\n", "10.99.3.1:443", "Tunnel", "gue:6080:-c", 1, 0, 0)
                + String.format("  -> %-28s %-7s %-13s %-6d %-10d %-10d\n", "10.99.3.2:443", "Tunnel", "ipip", 1, 0, 0),
                run("-L -n --tun-info -t 10.99.1.101:443"));
    }

    @Test
    void nosortKeepsTheOrderOfAdding() throws IOException {
        run("-a -t 10.99.1.101:443 -r 10.99.3.9:443 -m");
        run("-a -t 10.99.1.101:443 -r 10.99.3.1:443 -m");
        String dests = run("-L -n --nosort -t 10.99.1.101:443");
        assertEquals(List.of("  -> 10.99.3.9:443", "  -> 10.99.3.1:443"),
                dests.lines().filter(l -> l.startsWith("  -> 10.")).map(l -> l.substring(0, 18)).toList());
        String sorted = run("-L -n -t 10.99.1.101:443");
        assertEquals(List.of("  -> 10.99.3.1:443", "  -> 10.99.3.9:443"),
                sorted.lines().filter(l -> l.startsWith("  -> 10.")).map(l -> l.substring(0, 18)).toList());
    }

    @Test
    void savesAsIpvsadmSN() throws IOException {
        String rules = "-A -t 10.99.1.100:80 -s wlc\n"
                + "-a -t 10.99.1.100:80 -r 10.99.2.11:80 -m -w 2\n"
                + "-a -t 10.99.1.100:80 -r 10.99.2.12:80 -m -w 1\n"
                + "-a -t 10.99.1.100:80 -r 10.99.2.13:80 -m -w 0\n"
                + "-A -t 10.99.1.101:443 -s mh -b mh-port\n"
                + "-A -u 10.99.1.100:53 -s rr -p 600 -M 255.255.255.0\n"
                + "-a -u 10.99.1.100:53 -r 10.99.2.11:5353 -m -w 1\n";
        assertEquals(rules, run("-S -n"));
        assertEquals(rules, run("--save"));
    }

    @Test
    void restoringTheSavedRulesAfterAClearTouchesOnlyWhatTheyChange() throws IOException {
        String rules = run("-S -n");
        // what ipvsadm-restore does (-C, then the rules): here every service ends as it began, so none is touched
        run("-R", "-C\n" + rules);
        // ... except the thresholds, which ipvsadm's rules do not carry: that one real server loses them
        assertEquals(List.of("edit-server UDP 10.99.1.100:53 10.99.2.11:5353"), table.log);
        assertEquals(rules, run("-S -n"));
        table.log.clear();
        run("-R", "-C\n" + rules);
        assertEquals(List.of(), table.log, "now every service ends as it began");
    }

    @Test
    void restoreAppliesAllLinesOrNone(@TempDir Path dir) throws IOException {
        String before = run("-S -n");
        String bad = "-A -t 10.99.1.102:80 -s rr\n"
                + "-e -t 10.99.1.100:80 -r 10.99.2.11:80 -m -w 5\n"
                + "-a -t 10.99.1.102:80 -r 10.99.2.11:80 -m -w 70000\n";
        assertEquals("line 3 (-a -t 10.99.1.102:80 -r 10.99.2.11:80 -m -w 70000): illegal weight specified",
                assertThrows(ConfigException.class, () -> run("-R", bad)).getMessage());
        assertEquals(List.of(), table.log, "nothing was changed");
        assertEquals(before, run("-S -n"));

        Path rules = dir.resolve("rules");
        Files.writeString(rules, "-A -t 10.99.1.102:80 -s rr\n-e -t 10.99.1.100:80 -r 10.99.2.11:80 -m -w 5\n");
        run("-R --input " + rules);
        assertEquals(List.of("edit-server TCP 10.99.1.100:80 10.99.2.11:80", "add-service TCP 10.99.1.102:80"), table.log);
    }

    @Test
    void changesActAsIpvsadmAndTheKernelDo() throws IOException {
        // -e replaces every setting of the real server: without -w the weight is 1 again, as with ipvsadm
        run("-e -t 10.99.1.100:80 -r 10.99.2.11:80 -m");
        assertEquals(1, table.get(Models.tcp("10.99.1.100", 80)).servers().get(0).config().weight());
        // -E without -p makes the service not persistent
        run("-E -u 10.99.1.100:53 -s wlc");
        assertEquals(0, table.get(Models.udp("10.99.1.100", 53)).config().persistence());
        assertEquals(List.of("edit-server TCP 10.99.1.100:80 10.99.2.11:80", "edit-service UDP 10.99.1.100:53"), table.log);

        assertEquals("Service already exists", refusedByTable("-A -t 10.99.1.100:80 -s rr"));
        assertEquals("No such service", refusedByTable("-D -t 10.99.1.100:81"));
        assertEquals("No such service", refusedByTable("-E -t 10.99.1.100:81 -s rr"));
        assertEquals("Service not defined", refusedByTable("-a -t 10.99.1.100:81 -r 10.99.2.11 -m"));
        assertEquals("Destination already exists", refusedByTable("-a -t 10.99.1.100:80 -r 10.99.2.11 -m"));
        assertEquals("No such destination", refusedByTable("-d -t 10.99.1.100:80 -r 10.99.2.19"));
        assertEquals("No such destination", refusedByTable("-e -t 10.99.1.100:80 -r 10.99.2.19 -m"));
        assertEquals("illegal weight specified", refused("-a -t 10.99.1.100:80 -r 10.99.2.14 -m -w -1"));
        table.methods.remove(org.jlvs.api.ForwardMethod.ROUTE);
        assertEquals("forwarding method Route (-g) is not installed: install the jlvs-forward-dr feature",
                refusedByTable("-a -t 10.99.1.100:80 -r 10.99.2.14"));
        assertEquals(2, table.log.size(), "refused commands changed nothing");

        run("-d -t 10.99.1.100:80 -r 10.99.2.13");
        run("-D -t 10.99.1.101:443");
        run("-Z -t 10.99.1.100:80");
        run("-Z");
        assertEquals("No such service", refusedByTable("-Z -t 10.99.1.100:81"));
        assertEquals(List.of("delete-server TCP 10.99.1.100:80 10.99.2.13:80", "delete-service TCP 10.99.1.101:443",
                "zero TCP 10.99.1.100:80", "zero all"), table.log.subList(2, table.log.size()));
        run("-C");
        assertEquals(List.of(), table.list());
    }

    @Test
    void timeoutsConnectionsVersionAndHelp() throws IOException {
        assertEquals("Timeout (tcp tcpfin udp): 900 120 300\n", run("-L --timeout"));
        run("--set 60 0 30");
        assertArrayEquals(new int[] {60, 120, 30}, connections.timeouts());
        assertEquals("", run("-L --daemon"), "no sync daemon: ipvsadm prints nothing");
        connections.entries.add(new ConnectionInfo(Protocol.TCP, "ESTABLISHED", 899_500, Ip4.parse("203.0.113.5"), 51234,
                Ip4.parse("10.99.1.100"), 80, Ip4.parse("10.99.2.11"), 80));
        assertEquals("IPVS connection entries\n"
                + "pro expire state       source             virtual            destination\n"
                + "TCP 14:59  ESTABLISHED 203.0.113.5:51234  10.99.1.100:80     10.99.2.11:80\n", run("-L -n -c"));
        assertEquals("IPVS connection entries\n"
                + "pro expire state       source             virtual            destination        pe name          pe_data\n"
                + "TCP 14:59  ESTABLISHED 203.0.113.5:51234  10.99.1.100:80     10.99.2.11:80\n",
                run("-L -n -c --persistent-conn"));
        assertEquals("{\"format\":\"jlvs-connections\",\"version\":1,\"connections\":[{\"protocol\":\"tcp\","
                + "\"state\":\"ESTABLISHED\",\"expires\":899,\"client\":\"203.0.113.5:51234\",\"virtual\":"
                + "\"10.99.1.100:80\",\"server\":\"10.99.2.11:80\",\"origin\":\"local\"}]}\n", run("-L -n -c --json"));
        connections.entries.add(new ConnectionInfo(Protocol.TCP, "ESTABLISHED", 60_000, Ip4.parse("203.0.113.6"), 40000,
                Ip4.parse("10.99.1.100"), 80, Ip4.parse("10.99.2.12"), 80, true));
        assertTrue(run("-L -n -c --json").endsWith("\"server\":\"10.99.2.12:80\",\"origin\":\"sync\"}]}\n"),
                "an entry learnt by connection sync has origin sync");
        connections.entries.remove(1);
        assertEquals(Ipvsadm.VERSION + "\n", run("-v"));
        String usage = run("-h");
        assertEquals(Ipvsadm.VERSION, usage.lines().findFirst().orElse(""));
    }

    @Test
    void jsonListingCarriesStateAndCounters() throws IOException {
        table.serverConns.put("10.99.2.11:80", new int[] {3, 12, 0});
        String json = run("-L -n --json -t 10.99.1.100:80");
        assertEquals(true, json.contains("\"format\": \"jlvs-list\""), json);
        assertEquals(true, json.contains("\"activeConns\": 3,\n"), json);
        assertEquals(true, json.contains("\"inactiveConns\": 12,\n"), json);
        assertEquals(true, json.contains("\"schedulerBound\": true,\n"), json);
        assertEquals(3, json.split("\"method\": \"masq\"").length - 1, json);
    }

    /** A connection table with fixed entries and settable timeouts. */
    static final class FakeConnections implements ConnectionTable {
        final List<ConnectionInfo> entries = new ArrayList<>();
        private int[] timeouts = {900, 120, 300};

        @Override
        public long size() { return entries.size(); }

        @Override
        public long forEach(Predicate<ConnectionInfo> filter, long limit, Consumer<ConnectionInfo> sink) {
            long n = 0;
            for (ConnectionInfo c : entries) {
                if (n >= limit) break;
                if (filter.test(c)) {
                    sink.accept(c);
                    n++;
                }
            }
            return n;
        }

        @Override
        public int[] timeouts() { return timeouts.clone(); }

        @Override
        public void setTimeouts(int tcp, int tcpFin, int udp) {
            timeouts = new int[] {tcp == 0 ? timeouts[0] : tcp, tcpFin == 0 ? timeouts[1] : tcpFin,
                udp == 0 ? timeouts[2] : udp};
        }
    }
}
