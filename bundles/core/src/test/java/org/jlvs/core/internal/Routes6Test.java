package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.core.internal.DataPlaneTest.FakeChannel;
import org.jlvs.packet.Icmpv6;
import org.jlvs.packet.Ndp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /proc/net/ipv6_route as the kernel writes it, and real servers behind an IPv6 gateway. */
class Routes6Test {
    // dest plen src plen nexthop metric refcnt use flags iface, as in a namespace with eth0, eth1 and a default
    private static final List<String> TABLE = List.of(
            "20010db8009900010000000000000000 40 00000000000000000000000000000000 00 "
                    + "00000000000000000000000000000000 00000100 00000001 00000000 00000001     eth0",
            "20010db8009900020000000000000000 40 00000000000000000000000000000000 00 "
                    + "00000000000000000000000000000000 00000100 00000002 00000000 00000001     eth1",
            "00000000000000000000000000000000 00 00000000000000000000000000000000 00 "
                    + "20010db80099000200000000000000fe 00000400 00000001 00000000 00000003     eth1",
            "00000000000000000000000000000001 80 00000000000000000000000000000000 00 "
                    + "00000000000000000000000000000000 00000000 00000002 00000000 80200001       lo",
            "20010db8006600000000000000000000 20 00000000000000000000000000000000 00 "
                    + "00000000000000000000000000000000 00000000 00000001 00000000 00200201       lo",
            "20010db8007700000000000000000001 80 00000000000000000000000000000000 00 "
                    + "00000000000000000000000000000000 00000000 00000004 00000000 80200001     eth0");

    @TempDir
    Path dir;

    @Test
    void theMostSpecificRouteWins() throws IOException {
        Path file = dir.resolve("ipv6_route");
        Files.write(file, TABLE);
        Routes6 routes = new Routes6(file);
        routes.reload();
        Routes6.Route onLink = routes.lookup(Ip6Address.parse("2001:db8:99:2::11").hi(), 0x11);
        assertEquals("eth1", onLink.interfaceName());
        assertTrue(onLink.onLink());
        Ip6Address far = Ip6Address.parse("2001:db8:77::1");
        Routes6.Route viaGateway = routes.lookup(far.hi(), far.lo());
        assertEquals("eth1", viaGateway.interfaceName());
        assertEquals(Ip6Address.parse("2001:db8:99:2::fe"), new Ip6Address(viaGateway.gatewayHi(), viaGateway.gatewayLo()));
        Ip6Address rejected = Ip6Address.parse("2001:db8:66::1");
        assertEquals(0, routes.lookup(rejected.hi(), rejected.lo()).prefixLength(), "reject and lo routes are skipped");
        assertEquals("eth1", routes.lookup(far.hi(), far.lo()).interfaceName(), "a local route (an own address) too");

        Files.writeString(file, "z".repeat(32) + " 40 " + "0".repeat(32) + " 00 " + "0".repeat(32)
                + " 00000100 00000001 00000000 00000001 eth0\n");
        routes.reload();
        assertNotNull(routes.lookup(far.hi(), far.lo()), "a table that cannot be read keeps the previous one");
        assertNull(new Routes6(dir.resolve("missing")).lookup(far.hi(), far.lo()));
    }

    @Test
    void aNatServerBehindAGatewayIsReachedThroughTheGatewaysMac() throws IOException {
        Files.write(dir.resolve("ipv6_route"), TABLE);
        DataPlane plane = new DataPlane(System::nanoTime, dir.resolve("route"), dir.resolve("arp"), Runnable::run);
        FakeChannel eth1 = new FakeChannel("eth1");
        Ip6Address self = Ip6Address.parse("2001:db8:99:2::1");
        plane.addLink(new Link("eth1", eth1, 0x0200000000c2L, 0, 0, plane.newNeighbours("eth1"), self.hi(), self.lo(),
                64, 0, 0));
        plane.services.schedulerAdded("rr", service -> flow -> null);
        plane.services.forwarderAdded(ForwardMethod.MASQ, new TestForwarders6.Nat());
        ServiceKey key = new ServiceKey(Protocol.TCP, Ip6Address.parse("2001:db8:99:1::100"), 80);
        plane.services.addService(ServiceConfig.of(key, "rr"));
        eth1.sent.clear();
        Ip6Address far = Ip6Address.parse("2001:db8:77::1");
        plane.services.addServer(key, ServerConfig.of(far, 80, ForwardMethod.MASQ, 1));
        byte[] ns = eth1.only();
        assertEquals(Icmpv6.NEIGHBOUR_SOLICITATION, Icmpv6.type(ns, Frames6.L4));
        assertEquals(Ip6Address.parse("2001:db8:99:2::fe"),
                new Ip6Address(Ndp.targetHi(ns, Frames6.L4), Ndp.targetLo(ns, Frames6.L4)), "the gateway is solicited");
        Dest d = plane.services.services().get(0).find6(far, 80);
        assertEquals("eth1", d.nextHop6.link.name);
    }
}
