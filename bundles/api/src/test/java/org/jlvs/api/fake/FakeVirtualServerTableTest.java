package org.jlvs.api.fake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.LvsException;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.junit.jupiter.api.Test;

/** The fake keeps IPv6 services and servers by the core's rules. */
class FakeVirtualServerTableTest {
    private static final ServiceKey V6 = ServiceKey.parse(Protocol.TCP, "[2001:db8::1]:80");
    private static final ServiceKey V4 = ServiceKey.parse(Protocol.TCP, "10.0.0.1:80");
    private static final Ip6Address S1 = Ip6Address.parse("2001:db8::11");

    @Test
    void anIpv6ServiceTakesIpv6ServersByAddressAndPort() {
        FakeVirtualServerTable table = new FakeVirtualServerTable();
        table.addService(ServiceConfig.of(V6, "rr"));
        table.addServer(V6, ServerConfig.of(S1, 80, ForwardMethod.MASQ, 1));
        table.addServer(V6, ServerConfig.of(S1, 8080, ForwardMethod.MASQ, 1));
        LvsException dup = assertThrows(LvsException.class,
                () -> table.addServer(V6, ServerConfig.of(S1, 80, ForwardMethod.MASQ, 2)));
        assertEquals("Destination already exists: [2001:db8::11]:80 in TCP [2001:db8::1]:80", dup.getMessage());

        table.editServer(V6, ServerConfig.of(S1, 80, ForwardMethod.MASQ, 5));
        assertEquals(5, table.server(V6, S1, 80).weight());
        // an IPv4 address equal to the server's fold is another server
        assertThrows(LvsException.class, () -> table.deleteServer(V6, S1.fold(), 80));

        table.deleteServer(V6, S1, 80);
        assertNull(table.server(V6, S1, 80));
        assertEquals(List.of("add [2001:db8::11]:80 w1", "add [2001:db8::11]:8080 w1", "edit [2001:db8::11]:80 w5",
                "delete [2001:db8::11]:80"), table.changes);
        LvsException missing = assertThrows(LvsException.class, () -> table.deleteServer(V6, S1, 80));
        assertEquals("No such destination: [2001:db8::11]:80 in TCP [2001:db8::1]:80", missing.getMessage());
    }

    @Test
    void theFamiliesDoNotMix() {
        FakeVirtualServerTable table = new FakeVirtualServerTable();
        table.addService(ServiceConfig.of(V6, "rr"));
        table.addService(ServiceConfig.of(V4, "rr"));
        LvsException v4In6 = assertThrows(LvsException.class,
                () -> table.addServer(V6, ServerConfig.of(Ip4.parse("10.0.1.1"), 80, ForwardMethod.MASQ, 1)));
        assertEquals("an IPv6 service takes IPv6 real servers", v4In6.getMessage());
        LvsException v6In4 = assertThrows(LvsException.class,
                () -> table.addServer(V4, ServerConfig.of(S1, 80, ForwardMethod.MASQ, 1)));
        assertEquals("an IPv4 service takes IPv4 real servers", v6In4.getMessage());
        assertEquals(List.of(), table.changes);
    }
}
