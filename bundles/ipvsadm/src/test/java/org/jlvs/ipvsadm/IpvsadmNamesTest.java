package org.jlvs.ipvsadm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.jlvs.api.fake.FakeVirtualServerTable;
import org.jlvs.api.Ip4;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ipvsadm -R of rules that {@code ipvsadm -S} without -n writes: host and service names, resolved as ipvsadm. */
class IpvsadmNamesTest {
    private static final List<String> SERVICES = List.of(
            "# /etc/services", "http\t\t80/tcp\t\twww\t\t# WorldWideWeb HTTP", "https\t\t443/tcp",
            "domain\t\t53/tcp", "domain\t\t53/udp", "ntp\t\t123/udp", "broken\t\tx/tcp");
    private static final Map<String, String> HOSTS = Map.of("web1.lab", "10.99.2.11", "web2.lab", "10.99.2.12");

    private final FakeVirtualServerTable table = new FakeVirtualServerTable();
    private final Ipvsadm ipvsadm = new Ipvsadm(table, new IpvsadmTest.FakeConnections());

    @BeforeEach
    void fakeResolver() {
        IpvsadmArgs.resolver = new NameResolver() {
            @Override
            public int host(String name) {
                String a = HOSTS.get(name);
                if (a == null) throw new IllegalArgumentException("unknown host " + name);
                return Ip4.parse(a);
            }

            @Override
            public int port(String name, String protocol) {
                return NameResolver.servicePort(SERVICES, name, protocol);
            }
        };
    }

    @AfterEach
    void systemResolver() {
        IpvsadmArgs.resolver = NameResolver.SYSTEM;
    }

    private String run(String line, String input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ipvsadm.run(Arrays.asList(line.split(" ")), new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void restoresRulesWithNamesAndListsThemNumerically() throws IOException {
        run("-R", "-C\n-A -t 192.168.1.112:http -s rr\n-a -t 192.168.1.112:http -r web1.lab:http -m -w 1\n"
                + "-a -t 192.168.1.112:www -r web2.lab:8080 -m -w 2\n-A -u 192.168.1.112:domain -s wlc\n"
                + "-a -u 192.168.1.112:domain -r web1.lab:domain -m -w 1\n");
        String listing = run("-L -n", "");
        System.out.println(listing);
        assertTrue(listing.contains("TCP  192.168.1.112:80 rr"), listing);
        assertTrue(listing.contains("  -> 10.99.2.11:80"), listing);
        assertTrue(listing.contains("  -> 10.99.2.12:8080"), listing);
        assertTrue(listing.contains("UDP  192.168.1.112:53 wlc"), listing);
        assertTrue(listing.contains("  -> 10.99.2.11:53"), listing);
    }

    @Test
    void unknownNamesAreRefusedWithIpvsadmsMessages() {
        assertEquals("line 1 (-A -t 192.168.1.112:gopher -s rr): illegal virtual server address[:port] specified",
                assertThrows(IllegalArgumentException.class, () -> run("-R", "-A -t 192.168.1.112:gopher -s rr\n"))
                        .getMessage());
        // ntp is a UDP service only: a TCP service cannot take its name
        assertThrows(IllegalArgumentException.class, () -> run("-A -t 192.168.1.112:ntp -s rr", ""));
        assertThrows(IllegalArgumentException.class, () -> run("-A -t nowhere.lab:80 -s rr", ""));
    }

    @Test
    void servicesFileAliasesAndBrokenLines() {
        assertEquals(80, NameResolver.servicePort(SERVICES, "www", "tcp"));
        assertEquals(53, NameResolver.servicePort(SERVICES, "domain", "udp"));
        assertThrows(IllegalArgumentException.class, () -> NameResolver.servicePort(SERVICES, "broken", "tcp"));
    }
}
