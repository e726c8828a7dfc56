package org.jlvs.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;

import org.jlvs.api.ServiceKey;
import org.jlvs.ipvsadm.ConfigException;
import org.jlvs.ipvsadm.Models;
import org.jlvs.ipvsadm.ServiceDef;
import org.junit.jupiter.api.Test;

/** IPv6 services and servers in both persisted forms: the JSON document and the Config Admin properties. */
class Ipv6ConfigTest {
    @Test
    void jsonRoundTripOfIpv6Services() {
        Map<ServiceKey, ServiceDef> all = Models.ipv6();
        String text = JsonConfig.write(all.values());
        assertTrue(text.contains("\"address\": \"2001:db8::1\""), text);
        assertTrue(text.contains("\"address\": \"2001:db8:1::11\""), text);
        assertTrue(text.contains("\"netmask\": \"64\""), text);
        Map<ServiceKey, ServiceDef> read = JsonConfig.read(text);
        assertEquals(all, read);
        assertEquals(text, JsonConfig.write(read.values()));
    }

    /** A document with one IPv6 service whose fields end with {@code more} and one server with {@code server}. */
    private static String doc(String more, String server) {
        return "{\"format\": \"jlvs-config\", \"version\": 1, \"services\": [\n"
                + "  {\"protocol\": \"tcp\", \"address\": \"2001:db8::1\", \"port\": 80" + more + ",\n"
                + "   \"servers\": [{" + server + "}]}]}\n";
    }

    private static String refused(String text) {
        return assertThrows(ConfigException.class, () -> JsonConfig.read(text)).getMessage();
    }

    @Test
    void badIpv6ValuesAreRefusedWithTheirPath() {
        assertEquals("services[0].servers[0].address (line 3): bad IPv6 address: 2001:db8::zz",
                refused(doc("", "\"address\": \"2001:db8::zz\", \"method\": \"masq\"")));
        assertEquals("services[0].servers[0].address (line 3): an IPv6 service takes IPv6 real servers",
                refused(doc("", "\"address\": \"10.0.1.1\", \"method\": \"masq\"")));
        assertEquals("services[0].netmask (line 2): bad IPv6 netmask: 255.255.255.0 (a prefix length 1..128)",
                refused(doc(", \"persistence\": 60, \"netmask\": \"255.255.255.0\"",
                        "\"address\": \"2001:db8::11\", \"method\": \"masq\"")));
        assertEquals("services[0].servers[1] (line 3): real server [2001:db8::11]:80 is given twice",
                refused(doc("", "\"address\": \"2001:db8::11\", \"method\": \"masq\"},"
                        + " {\"address\": \"2001:0db8::0011\", \"method\": \"masq\"")));
    }

    @Test
    void configAdminPropertiesOfIpv6Services() throws IOException {
        for (ServiceDef def : Models.ipv6().values()) {
            assertEquals(def, ServiceProperties.parse(ServiceProperties.toProperties(def)), "exactly");
            ServicePropertiesTest.roundTrip(def);
        }
        ServiceDef udp = Models.ipv6().values().stream().filter(d -> d.key().port() == 53).findFirst().orElseThrow();
        assertEquals(Map.of("service", "-u [2001:db8::1]:53 -s sh -p 600 -M 64",
                "server.1", "-r [2001:db8:1::11]:5353 -m -w 4"), ServiceProperties.toProperties(udp));
        assertEquals("udp-2001_db8__1-53", ServiceProperties.name(udp.key()));
    }

    @Test
    void badIpv6PropertiesNameTheKeyAndTheReason() {
        ConfigException bad = assertThrows(ConfigException.class, () -> ServiceProperties.parse(Map.of(
                "service", "-t [2001:db8::1]:80 -s rr", "server.1", "-r [2001:db8::1x]:80 -m")));
        assertEquals("key server.1 (-r [2001:db8::1x]:80 -m): illegal real server address[:port] specified",
                bad.getMessage());
        ConfigException mixed = assertThrows(ConfigException.class, () -> ServiceProperties.parse(Map.of(
                "service", "-t [2001:db8::1]:80 -s rr", "server.1", "-r 10.0.1.1:80 -m")));
        assertEquals("key server.1 (-r 10.0.1.1:80 -m): an IPv6 service takes IPv6 real servers", mixed.getMessage());
        ConfigException mask = assertThrows(ConfigException.class, () -> ServiceProperties.parse(Map.of(
                "service", "-t [2001:db8::1]:80 -s rr -p 60 -M 200")));
        assertEquals("key service (-t [2001:db8::1]:80 -s rr -p 60 -M 200): illegal ipv6 netmask specified",
                mask.getMessage());
    }
}
