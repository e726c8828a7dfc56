package org.jlvs.config.internal;

import static org.jlvs.ipvsadm.Models.def;
import static org.jlvs.ipvsadm.Models.everything;
import static org.jlvs.ipvsadm.Models.masq;
import static org.jlvs.ipvsadm.Models.model;
import static org.jlvs.ipvsadm.Models.tcp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.ipvsadm.ConfigException;
import org.jlvs.ipvsadm.ServiceDef;
import org.junit.jupiter.api.Test;

class JsonConfigTest {
    @Test
    void everyOptionSurvivesARoundTripAndTheTextIsStable() {
        Map<ServiceKey, ServiceDef> all = everything();
        String text = JsonConfig.write(all.values());
        Map<ServiceKey, ServiceDef> read = JsonConfig.read(text);
        assertEquals(all, read, "every setting, and the order of the real servers, comes back");
        assertEquals(text, JsonConfig.write(read.values()), "what was read is written back byte for byte");
    }

    @Test
    void writesTheDocumentedLayout() {
        String expected = """
                {
                  "format": "jlvs-config",
                  "version": 1,
                  "services": [
                    {
                      "protocol": "tcp",
                      "address": "10.0.0.1",
                      "port": 80,
                      "scheduler": "rr",
                      "flags": [],
                      "persistence": 0,
                      "netmask": "255.255.255.255",
                      "servers": [
                        {
                          "address": "10.0.1.2",
                          "port": 8080,
                          "method": "masq",
                          "weight": 3,
                          "upperThreshold": 0,
                          "lowerThreshold": 0
                        }
                      ]
                    }
                  ]
                }
                """;
        String written = JsonConfig.write(model(def(ServiceConfig.of(tcp("10.0.0.1", 80), "rr"),
                masq("10.0.1.2", 8080, 3))).values());
        assertEquals(expected, written);
    }

    @Test
    void optionalFieldsTakeTheirDefaults() {
        Map<ServiceKey, ServiceDef> read = JsonConfig.read("""
                {"format": "jlvs-config", "version": 1, "services": [
                  {"protocol": "tcp", "address": "10.0.0.1", "port": 80,
                   "servers": [{"address": "10.0.1.2", "method": "masq"}]}]}
                """);
        assertEquals(model(def(ServiceConfig.of(tcp("10.0.0.1", 80), "wlc"), masq("10.0.1.2", 80, 1))), read);
    }

    /** A document with one service and one real server, with {@code server} as the server's fields. */
    private static String withServer(String server) {
        return "{\n  \"format\": \"jlvs-config\",\n  \"version\": 1,\n  \"services\": [\n    {\n"
                + "      \"protocol\": \"tcp\", \"address\": \"10.0.0.1\", \"port\": 80, \"scheduler\": \"rr\",\n"
                + "      \"servers\": [\n        {\n" + server + "\n        }\n      ]\n    }\n  ]\n}\n";
    }

    private static String refused(String text) {
        return assertThrows(ConfigException.class, () -> JsonConfig.read(text)).getMessage();
    }

    @Test
    void refusesWithPathLineAndReason() {
        assertEquals("services[0].servers[0].weight (line 11): must be a whole number from 0 to 65535, not 70000",
                refused(withServer("          \"address\": \"10.0.1.2\",\n          \"method\": \"masq\",\n"
                        + "          \"weight\": 70000")));
        assertEquals("services[0].servers[0].wieght (line 11): unknown field \"wieght\" (known are address,"
                        + " lowerThreshold, method, port, tunnel, upperThreshold, weight)",
                refused(withServer("          \"address\": \"10.0.1.2\",\n          \"method\": \"masq\",\n"
                        + "          \"wieght\": 2")));
        assertEquals("services[0].servers[0].address (line 9): bad IPv4 address: 10.0.1.256",
                refused(withServer("          \"address\": \"10.0.1.256\",\n          \"method\": \"masq\"")));
        assertEquals("services[0].servers[0].method (line 10): must be \"masq\", \"route\" or \"tunnel\", not \"nat\"",
                refused(withServer("          \"address\": \"10.0.1.2\",\n          \"method\": \"nat\"")));
        assertEquals("services[0].servers[0] (line 8): TCP 10.0.0.1:80: real server 10.0.1.2:8080 with Route (-g)"
                        + " must use the service's port 80",
                refused(withServer("          \"address\": \"10.0.1.2\",\n          \"port\": 8080,\n"
                        + "          \"method\": \"route\"")));
        assertEquals("services[0].servers[0].address (line 10): given twice",
                refused(withServer("          \"address\": \"10.0.1.2\",\n          \"address\": \"10.0.1.3\",\n"
                        + "          \"method\": \"masq\"")));
        assertEquals("services[0].servers[0] (line 8): missing field \"method\"",
                refused(withServer("          \"address\": \"10.0.1.2\"")));
    }

    @Test
    void refusesWrongDocumentsAndServices() {
        String notJson = refused("{\n");
        assertTrue(notJson.startsWith("line 2, column 1: not JSON: Unexpected end-of-input"), notJson);
        assertEquals("the document (line 1): not a jlvs configuration: \"format\": \"jlvs-config\" is missing",
                refused("{\"services\": []}"));
        assertEquals("version (line 1): version 2 is not known here (this jlvs reads version 1)",
                refused("{\"format\": \"jlvs-config\", \"version\": 2, \"services\": []}"));
        String svc = "{\"protocol\": \"tcp\", \"address\": \"10.0.0.1\", \"port\": 80}";
        assertEquals("services[1] (line 3): TCP 10.0.0.1:80 is given twice (also services[0])",
                refused("{\"format\": \"jlvs-config\", \"version\": 1, \"services\": [\n" + svc + ",\n" + svc + "]}"));
        assertEquals("services[0] (line 1): Zero port specified for non-persistent service",
                refused("{\"format\": \"jlvs-config\", \"version\": 1, \"services\": [{\"protocol\": \"tcp\","
                        + " \"address\": \"10.0.0.1\", \"port\": 0}]}"));
        assertEquals("services[0].flags (line 1): incompatible scheduler flag 'sh-port': it is for the sh"
                        + " scheduler, not rr",
                refused("{\"format\": \"jlvs-config\", \"version\": 1, \"services\": [{\"protocol\": \"tcp\","
                        + " \"address\": \"10.0.0.1\", \"port\": 80, \"scheduler\": \"rr\", \"flags\": [\"sh-port\"]}]}"));
        assertEquals("services[0].protocol (line 1): must be \"tcp\" or \"udp\", not \"sctp\"",
                refused("{\"format\": \"jlvs-config\", \"version\": 1, \"services\": [{\"protocol\": \"sctp\","
                        + " \"address\": \"10.0.0.1\", \"port\": 80}]}"));
        assertEquals("line 1: text after the document",
                refused("{\"format\": \"jlvs-config\", \"version\": 1, \"services\": []} []"));
    }
}
