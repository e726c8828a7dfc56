package org.jlvs.ipvsadm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.Ip4;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.LvsException;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.Stats;
import org.jlvs.api.fake.FakeVirtualServerTable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * lvs:ipvsadm with IPv6 services, against texts written out from ipvsadm 1.31's printf formats: "[v6]:port"
 * endpoints, printed whole (ipvsadm cuts only IPv4 names at 33 and 28 characters), -M as a prefix length.
 */
class Ipvsadm6Test {
    private static final ServiceKey WEB = ServiceKey.parse(Protocol.TCP, "[2001:db8::1]:80");
    private final FakeVirtualServerTable table = new FakeVirtualServerTable();
    private final IpvsadmTest.FakeConnections connections = new IpvsadmTest.FakeConnections();
    private final Ipvsadm ipvsadm = new Ipvsadm(table, connections);

    private String run(String line) throws IOException {
        return run(line, "");
    }

    private String run(String line, String input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ipvsadm.run(Arrays.asList(line.split(" ")), new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private String refused(String line) {
        return assertThrows(IllegalArgumentException.class, () -> run(line)).getMessage();
    }

    @BeforeEach
    void script() throws IOException {
        for (String line : List.of(
                "-A -t [2001:db8::1]:80 -s rr",
                "-a -t [2001:db8::1]:80 -r [2001:db8::11]:80 -m -w 1",
                "-a -t [2001:db8::1]:80 -r 2001:db8::12 -m -w 2",
                "-a -t [2001:db8::1]:80 -r [2001:db8:aaaa:bbbb:cccc:dddd:eeee:13]:8080 -m -w 3",
                "-A -u [2001:db8::1]:53 -s wlc -p 600 -M 64",
                "-a -u [2001:db8::1]:53 -r [2001:db8::11]:53 -g",
                "-A -t 10.0.0.1:80 -s rr")) {
            assertEquals("", run(line), line);
        }
    }

    @AfterEach
    void systemResolver() {
        IpvsadmArgs.resolver = NameResolver.SYSTEM;
    }

    @Test
    void listsIpv6ServicesAsIpvsadm() throws IOException {
        assertEquals("IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                + "TCP  10.0.0.1:80 rr\n"
                + "TCP  [2001:db8::1]:80 rr\n"
                + "  -> [2001:db8::11]:80            Masq    1      0          0         \n"
                + "  -> [2001:db8::12]:80            Masq    2      0          0         \n"
                // longer than the 28-wide column: printed whole, the row shifts right
                + "  -> [2001:db8:aaaa:bbbb:cccc:dddd:eeee:13]:8080 Masq    3      0          0         \n"
                + "UDP  [2001:db8::1]:53 wlc persistent 600 mask 64\n"
                + "  -> [2001:db8::11]:53            Route   1      0          0         \n", run("-L -n"));
    }

    @Test
    void savesAndRestoresIpv6Rules() throws IOException {
        String saved = "-A -t 10.0.0.1:80 -s rr\n"
                + "-A -t [2001:db8::1]:80 -s rr\n"
                + "-a -t [2001:db8::1]:80 -r [2001:db8::11]:80 -m -w 1\n"
                + "-a -t [2001:db8::1]:80 -r [2001:db8::12]:80 -m -w 2\n"
                + "-a -t [2001:db8::1]:80 -r [2001:db8:aaaa:bbbb:cccc:dddd:eeee:13]:8080 -m -w 3\n"
                + "-A -u [2001:db8::1]:53 -s wlc -p 600 -M 64\n"
                + "-a -u [2001:db8::1]:53 -r [2001:db8::11]:53 -g -w 1\n";
        assertEquals(saved, run("-S -n"));
        run("-C");
        assertEquals("", run("-S -n"));
        run("-R", saved);
        assertEquals(saved, run("-S -n"));
        assertEquals(64, table.services.get(ServiceKey.parse(Protocol.UDP, "[2001:db8::1]:53")).persistenceMask());
    }

    @Test
    void statsRateAndPersistentConnColumns() throws IOException {
        table.stats.put(WEB, new Stats(5, 10, 8, 1000, 2000, 1, 2, 3, 4, 5));
        table.serverConns.put("[2001:db8::11]:80", new int[] {3, 1, 2});
        String stats = run("-L -n --stats -t [2001:db8::1]:80");
        assertEquals(String.format("%-33s %8s %8s %8s %8s %8s\n", "Prot LocalAddress:Port",
                "Conns", "InPkts", "OutPkts", "InBytes", "OutBytes") + "  -> RemoteAddress:Port\n"
                + String.format("%-33s%9d%9d%9d%9d%9d\n", "TCP  [2001:db8::1]:80", 5, 10, 8, 1000, 2000)
                + String.format("  -> %-28s%9d%9d%9d%9d%9d\n", "[2001:db8::11]:80", 0, 0, 0, 0, 0)
                + String.format("  -> %-28s%9d%9d%9d%9d%9d\n", "[2001:db8::12]:80", 0, 0, 0, 0, 0)
                + "  -> [2001:db8:aaaa:bbbb:cccc:dddd:eeee:13]:8080" + String.format("%9d%9d%9d%9d%9d\n", 0, 0, 0, 0, 0),
                stats);
        String conns = run("-L -n --persistent-conn -t [2001:db8::1]:80");
        assertEquals(String.format("  -> %-28s %-9s %-11s %-10s %-10s\n", "[2001:db8::11]:80", 1, 2, 3, 1),
                conns.lines().skip(3).findFirst().orElseThrow() + "\n");
        String rate = run("-L -n --rate -t [2001:db8::1]:80");
        assertEquals(String.format("%-33s%9d%9d%9d%9d%9d", "TCP  [2001:db8::1]:80", 1, 2, 3, 4, 5),
                rate.lines().skip(2).findFirst().orElseThrow());
    }

    @Test
    void listsIpv6ConnectionEntries() throws IOException {
        connections.entries.add(new ConnectionInfo(Protocol.TCP, "ESTABLISHED", 899_500, 0, 51234, 0, 80, 0, 80,
                false, Ip6Address.parse("2001:db8:99:1::2"), Ip6Address.parse("2001:db8::1"),
                Ip6Address.parse("2001:db8::11")));
        connections.entries.add(new ConnectionInfo(Protocol.UDP, "UDP", 59_000, Ip4.parse("203.0.113.5"), 5353,
                Ip4.parse("10.0.0.1"), 53, Ip4.parse("10.0.1.1"), 53));
        assertEquals("IPVS connection entries\n"
                + "pro expire state       source             virtual            destination\n"
                // the 18-wide columns overflow, as ipvsadm's print_conn prints IPv6 entries
                + "TCP 14:59  ESTABLISHED [2001:db8:99:1::2]:51234 [2001:db8::1]:80   [2001:db8::11]:80\n"
                + "UDP 00:59  UDP         203.0.113.5:5353   10.0.0.1:53        10.0.1.1:53\n", run("-L -n -c"));
        String json = run("-L -n -c --json");
        assertEquals(true, json.contains("\"client\":\"[2001:db8:99:1::2]:51234\""), json);
        assertEquals(true, json.contains("\"server\":\"[2001:db8::11]:80\""), json);
    }

    @Test
    void deletesEditsAndZeroesIpv6Servers() throws IOException {
        run("-e -t [2001:db8::1]:80 -r [2001:db8::11]:80 -m -w 7");
        assertEquals(7, table.server(WEB, Ip6Address.parse("2001:db8::11"), 80).weight());
        run("-d -t [2001:db8::1]:80 -r 2001:db8::12"); // a bare address: the service's port
        assertEquals(null, table.server(WEB, Ip6Address.parse("2001:db8::12"), 80));
        run("-Z -t [2001:db8::1]:80");
        assertEquals(WEB, table.zeroed);
        run("-D -t [2001:db8::1]:80");
        assertEquals(null, table.get(WEB));
    }

    @Test
    void listsTheIpv6ServiceAsJson() throws IOException {
        String json = run("-L -n -u [2001:db8::1]:53 --json");
        assertEquals(true, json.contains("\"address\": \"2001:db8::1\""), json);
        assertEquals(true, json.contains("\"netmask\": \"64\""), json);
        assertEquals(true, json.contains("\"address\": \"2001:db8::11\""), json);
    }

    @Test
    void badIpv6TextIsRefusedWithIpvsadmsMessages() {
        assertEquals("illegal virtual server address[:port] specified", refused("-A -t [2001:db8::1] -s rr"));
        assertEquals("illegal virtual server address[:port] specified", refused("-A -t [2001:db8::g]:80 -s rr"));
        assertEquals("illegal virtual server address[:port] specified", refused("-A -t [2001:db8::1:80 -s rr"));
        assertEquals("illegal virtual server address[:port] specified", refused("-A -t [10.0.0.1]:80 -s rr"));
        assertEquals("illegal virtual server address[:port] specified", refused("-A -t [2001:db8::1]:http2 -s rr"));
        assertEquals("illegal real server address[:port] specified",
                refused("-a -t [2001:db8::1]:80 -r [2001:db8::11] -m"));
        assertEquals("illegal real server address[:port] specified",
                refused("-a -t [2001:db8::1]:80 -r [2001:db8::11]:99999 -m"));
        assertEquals("illegal ipv6 netmask specified", refused("-A -t [2001:db8::2]:80 -p -M 129"));
        assertEquals("illegal ipv6 netmask specified", refused("-A -t [2001:db8::2]:80 -p -M 255.255.255.0"));
        assertEquals("illegal ipv6 netmask specified", refused("-A -t [2001:db8::2]:80 -p -M 0"));
    }

    @Test
    void theFamiliesDoNotMix() {
        assertEquals("an IPv6 service takes IPv6 real servers",
                assertThrows(LvsException.class, () -> run("-a -t [2001:db8::1]:80 -r 10.0.1.1:80 -m")).getMessage());
        assertEquals("an IPv4 service takes IPv4 real servers",
                assertThrows(LvsException.class, () -> run("-a -t 10.0.0.1:80 -r [2001:db8::11]:80 -m")).getMessage());
    }

    @Test
    void hostNamesResolveToIpv6WhereTheyMust() throws IOException {
        Map<String, String> v4 = Map.of("dual.lab", "10.0.1.5");
        Map<String, String> v6 = Map.of("dual.lab", "2001:db8::5", "six.lab", "2001:db8::6");
        IpvsadmArgs.resolver = new NameResolver() {
            @Override
            public int host(String name) {
                if (!v4.containsKey(name)) throw new IllegalArgumentException("unknown host " + name);
                return Ip4.parse(v4.get(name));
            }

            @Override
            public Ip6Address host6(String name) {
                if (!v6.containsKey(name)) throw new IllegalArgumentException("unknown IPv6 host " + name);
                return Ip6Address.parse(v6.get(name));
            }

            @Override
            public int port(String name, String protocol) {
                return NameResolver.servicePort(List.of("http 80/tcp"), name, protocol);
            }
        };
        run("-A -t six.lab:http -s rr"); // no IPv4 address: its IPv6 one
        run("-A -t dual.lab:http -s rr"); // an IPv4 address first, as ipvsadm's gethostbyname
        run("-A -t [dual.lab]:http -s rr"); // in brackets: its IPv6 address
        run("-a -t [2001:db8::5]:80 -r dual.lab:http -m"); // the real server of an IPv6 service: IPv6
        assertEquals("-A -t 10.0.1.5:80 -s rr\n", run("-S -n").lines().filter(l -> l.contains("10.0.1.5"))
                .findFirst().orElseThrow() + "\n");
        String saved = run("-S -n");
        assertEquals(true, saved.contains("-A -t [2001:db8::6]:80 -s rr\n"), saved);
        assertEquals(true, saved.contains("-a -t [2001:db8::5]:80 -r [2001:db8::5]:80 -m -w 1\n"), saved);
        assertEquals("illegal virtual server address[:port] specified", refused("-A -t [nowhere.lab]:80 -s rr"));
    }
}
