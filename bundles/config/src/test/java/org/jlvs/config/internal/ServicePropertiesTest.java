package org.jlvs.config.internal;

import static org.jlvs.ipvsadm.Models.everything;
import static org.jlvs.ipvsadm.Models.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.StringReader;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

import org.jlvs.api.Ip4;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.ipvsadm.ConfigException;
import org.jlvs.ipvsadm.Models;
import org.jlvs.ipvsadm.ServiceDef;
import org.junit.jupiter.api.Test;

class ServicePropertiesTest {
    @Test
    void everySettingSurvivesTheFileFormat() throws IOException {
        for (ServiceDef def : everything().values()) roundTrip(def);
    }

    /** The definition comes back through its properties and through its file text. */
    static void roundTrip(ServiceDef def) throws IOException {
        Map<String, String> props = ServiceProperties.toProperties(def);
        assertSame(def, ServiceProperties.parse(props), "through the properties");
        // and through the file text, as java.util.Properties (and so fileinstall) reads it
        Properties file = new Properties();
        file.load(new StringReader(ServiceProperties.fileText(def)));
        Map<String, Object> read = new HashMap<>();
        file.forEach((k, v) -> read.put(k.toString(), v));
        assertSame(def, ServiceProperties.parse(read), "through the file");
    }

    /** Equal, but for the tunnel settings of servers that are not tunnelled, which ipvsadm's options cannot state. */
    private static void assertSame(ServiceDef expected, ServiceDef actual, String what) {
        assertEquals(expected.toString(), actual.toString(), what);
        assertEquals(expected.config(), actual.config(), what);
        for (int i = 0; i < expected.servers().size(); i++) {
            ServerConfig e = expected.servers().get(i);
            ServerConfig a = actual.servers().get(i);
            if (e.method() == org.jlvs.api.ForwardMethod.TUNNEL) assertEquals(e, a, what);
            else assertEquals(e.withWeight(e.weight()).toString().replaceAll("tunnelType=\\w+, tunnelPort=\\d+", ""),
                    a.toString().replaceAll("tunnelType=\\w+, tunnelPort=\\d+", ""), what);
        }
        assertEquals(true, expected.sameAs(actual), what);
    }

    @Test
    void writesIpvsadmsOptionsWithThresholds() {
        ServiceDef def = Models.def(new ServiceConfig(tcp("10.0.0.1", 80), "wlc", 0, 360, Ip4.parse("255.255.255.0")),
                new ServerConfig(Ip4.parse("10.0.1.1"), 8080, org.jlvs.api.ForwardMethod.MASQ, 2, 100, 50),
                Models.masq("10.0.1.2", 80, 1));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("service", "-t 10.0.0.1:80 -s wlc -p 360 -M 255.255.255.0");
        expected.put("server.1", "-r 10.0.1.1:8080 -m -w 2 -x 100 -y 50");
        expected.put("server.2", "-r 10.0.1.2:80 -m -w 1");
        assertEquals(expected, ServiceProperties.toProperties(def));
        assertEquals("tcp-10.0.0.1-80", ServiceProperties.name(def.key()));
    }

    @Test
    void serversAreOrderedByTheirNumberAndConfigAdminsKeysAreIgnored() {
        Map<String, Object> props = new HashMap<>();
        props.put("service", "-t 10.0.0.1:80 -s rr");
        props.put("server.10", "-r 10.0.1.10 -m");
        props.put("server.9", "-r 10.0.1.9 -m -w 3");
        props.put("service.pid", "org.jlvs.service~web");
        props.put("service.factoryPid", "org.jlvs.service");
        props.put("felix.fileinstall.filename", "file:/opt/jlvs/etc/org.jlvs.service-web.cfg");
        ServiceDef def = ServiceProperties.parse(props);
        assertEquals("TCP 10.0.0.1:80 rr 10.0.1.9:80 10.0.1.10:80", def.toString());
        assertEquals(3, def.servers().get(0).weight());
        assertEquals(org.jlvs.api.ForwardMethod.MASQ, def.servers().get(1).method());
    }

    private static String refused(Map<String, Object> props) {
        return assertThrows(ConfigException.class, () -> ServiceProperties.parse(props)).getMessage();
    }

    @Test
    void refusalsNameTheKeyItsValueAndTheReason() {
        Map<String, Object> props = new HashMap<>();
        props.put("service", "-t 10.0.0.1:80 -s rr");
        props.put("server.1", "-r 10.0.1.1 -m -w 70000");
        assertEquals("key server.1 (-r 10.0.1.1 -m -w 70000): illegal weight specified", refused(props));
        props.put("server.1", "-r 10.0.1.1 -m");
        props.put("server.2", "-r 10.0.1.1:80 -m -w 2");
        assertEquals("key server.2 (-r 10.0.1.1:80 -m -w 2): real server 10.0.1.1:80 is given twice", refused(props));
        props.remove("server.2");
        props.put("sever.2", "-r 10.0.1.2 -m");
        assertEquals("key sever.2: unknown key: a service's file holds 'service' and 'server.N' (N a number) only",
                refused(props));
        props.remove("sever.2");
        props.put("service", "-t 10.0.0.1:80 -s rr -w 1");
        assertEquals("key service (-t 10.0.0.1:80 -s rr -w 1): Illegal 'weight' option with the 'add-service' command",
                refused(props));
        assertEquals(tcp("10.0.0.1", 80), ServiceProperties.keyOf(Map.of("service", "-t 10.0.0.1:80 -s rr")));
        assertNull(ServiceProperties.keyOf(Map.of("service", "-t 10.0.0.1:99999")));
        assertEquals("missing key 'service' (e.g. service = -t 10.0.0.1:80 -s wlc)", refused(Map.of("server.1", "-r 10.0.1.1")));
    }
}
