package org.jlvs.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.Random;

import org.junit.jupiter.api.Test;

class Ip6AddressTest {
    @Test
    void printsAsRfc5952Recommends() {
        // RFC 5952 section 4: lower case, no leading zeros, the longest run compressed, the first of equal runs
        assertEquals("2001:db8::1", Ip6Address.parse("2001:0DB8:0000:0000:0000:0000:0000:0001").toString());
        assertEquals("2001:db8:0:1:1:1:1:1", Ip6Address.parse("2001:db8:0:1:1:1:1:1").toString());
        assertEquals("2001:0:0:1::1", Ip6Address.parse("2001:0:0:1:0:0:0:1").toString());
        assertEquals("2001:db8::1:0:0:1", Ip6Address.parse("2001:db8:0:0:1:0:0:1").toString());
        assertEquals("::", Ip6Address.parse("::").toString());
        assertEquals("::1", Ip6Address.parse("::1").toString());
        assertEquals("fe80::", Ip6Address.parse("fe80::").toString());
        assertEquals("::ffff:a00:1", Ip6Address.parse("::ffff:10.0.0.1").toString());
        assertEquals("[2001:db8::1]:80", Ip6Address.parse("2001:db8::1").toString(80));
    }

    @Test
    void agreesWithTheJdkOnRandomAddresses() throws Exception {
        Random random = new Random(5952);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[16];
            random.nextBytes(bytes);
            for (int g = 0; g < 8; g++) if (random.nextInt(3) == 0) bytes[2 * g] = bytes[2 * g + 1] = 0;
            long hi = 0, lo = 0;
            for (int k = 0; k < 8; k++) hi = hi << 8 | (bytes[k] & 0xff);
            for (int k = 8; k < 16; k++) lo = lo << 8 | (bytes[k] & 0xff);
            Ip6Address a = new Ip6Address(hi, lo);
            String text = a.toString();
            assertEquals(a, Ip6Address.parse(text), text);
            // the JDK prints every group uncompressed; both name the same 16 bytes
            assertEquals(InetAddress.getByAddress(bytes), InetAddress.getByName(text), text);
        }
    }

    @Test
    void refusesWhatIsNotAnAddress() {
        for (String bad : new String[] {"", ":", ":::", "1::2::3", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::",
                "g::1", "1:", ":1", "1:2:3:4:5:6:7:8::", "::1.2.3", "::1.2.3.4.5", "1.2.3.4::", "fe80::1%eth0",
                "2001:db8::1 ", "[::1]"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ip6Address.parse(bad),
                    bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void foldsAsIpvsHashesAndMasksByPrefix() {
        Ip6Address a = Ip6Address.parse("2001:db8:1:2:3:4:5:6");
        assertEquals(0x20010db8 ^ 0x00010002 ^ 0x00030004 ^ 0x00050006, a.fold());
        assertEquals(Ip6Address.parse("2001:db8:1:2::"), a.masked(64));
        assertEquals(Ip6Address.parse("2001:db8::"), a.masked(32));
        assertEquals(Ip6Address.parse("2001:db8:1:2:3::"), a.masked(80));
        assertEquals(a, a.masked(128));
        assertEquals(Ip6Address.parse("::"), a.masked(0));
    }

    @Test
    void serviceKeysOfBothFamilies() {
        ServiceKey v6 = ServiceKey.parse(Protocol.TCP, "[2001:db8::1]:80");
        assertTrue(v6.isIpv6());
        assertEquals("TCP [2001:db8::1]:80", v6.toString());
        assertEquals("-t [2001:db8::1]:80", v6.toIpvsadm());
        ServiceKey v4 = ServiceKey.parse(Protocol.TCP, "10.0.0.1:80");
        assertTrue(v4.compareTo(v6) < 0, "IPv4 services sort before IPv6 ones");
        assertTrue(v6.compareTo(ServiceKey.fwmark(1)) < 0, "mark services sort last");
        ServiceKey other = ServiceKey.parse(Protocol.TCP, "[2001:db8::2]:80");
        assertTrue(v6.compareTo(other) < 0);
        assertEquals(v6, ServiceKey.parse(Protocol.TCP, "[2001:0db8:0::1]:80"));
        assertTrue(v6.packed() != v4.packed() && (v6.packed() & ServiceKey.IPV6_PACKED) != 0);
        assertThrows(IllegalArgumentException.class, () -> ServiceKey.parse(Protocol.TCP, "[2001:db8::1]"));
        assertThrows(IllegalArgumentException.class, () -> ServiceKey.parse(Protocol.TCP, "[2001:db8::1]:99999"));
        assertEquals(128, ServiceConfig.of(v6, "rr").persistenceMask());
        assertThrows(IllegalArgumentException.class, () -> new ServiceConfig(v6, "rr", 0, 300, 129));
    }

    @Test
    void anIpv6ServerIsKeyedByItsFold() {
        Ip6Address a = Ip6Address.parse("2001:db8:2::11");
        ServerConfig s = ServerConfig.of(a, 80, ForwardMethod.MASQ, 1);
        assertEquals(a.fold(), s.address());
        assertEquals("[2001:db8:2::11]:80", s.endpoint());
        assertTrue(s.sameEndpoint(s.withWeight(5)));
        assertEquals(a, s.withWeight(5).address6());
    }
}
