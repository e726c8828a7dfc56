package org.jlvs.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.MarkRule;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.ipvsadm.ConfigException;
import org.jlvs.ipvsadm.ServiceDef;
import org.junit.jupiter.api.Test;

/** Mark services and mark rules in jlvs's files: JSON, the service's Config Admin file, org.jlvs.marks. */
class MarkConfigTest {
    private static final List<MarkRule> RULES = List.of(MarkRule.parse("1 tcp 10.0.0.100 80"),
            MarkRule.parse("1 tcp 10.0.0.100 443"), MarkRule.parse("2 any 10.0.0.10-20"));
    private static final ServiceDef FWM = new ServiceDef(new ServiceConfig(ServiceKey.fwmark(1), "rr", 0, 300, -1),
            List.of(ServerConfig.of(org.jlvs.api.Ip4.parse("10.0.1.1"), 0, ForwardMethod.MASQ, 1)));

    @Test
    void jsonCarriesMarkServicesAndTheRules() {
        String text = JsonConfig.write(List.of(FWM), RULES);
        assertEquals(Map.of(FWM.key(), FWM), JsonConfig.read(text));
        assertEquals(RULES, JsonConfig.readMarks(text));
        assertNull(JsonConfig.readMarks(JsonConfig.write(List.of(FWM))), "no marks: not the document's business");
        ConfigException e = assertThrows(ConfigException.class,
                () -> JsonConfig.readMarks(text.replace("2 any 10.0.0.10-20", "2 any 10.0.0.20-10")));
        assertEquals("marks[2]: mark rule '2 any 10.0.0.20-10': address range 10.0.0.20-10 ends before it starts",
                e.getMessage());
        String withPort = text.replace("\"fwmark\": 1,", "\"fwmark\": 1, \"port\": 80,");
        assertEquals(false, withPort.equals(text));
        e = assertThrows(ConfigException.class, () -> JsonConfig.read(withPort));
        assertEquals("a mark service (fwmark) has no port", e.reason());
        assertEquals(true, e.where().startsWith("services[0].port"), e.where());
    }

    @Test
    void aMarkServicesFileNamesItsServersWithMinusF() {
        Map<String, String> props = ServiceProperties.toProperties(FWM);
        assertEquals("-f 1 -s rr -p 300", props.get("service"));
        assertEquals("-r 10.0.1.1:0 -m -w 1", props.get("server.1"));
        assertEquals(FWM, ServiceProperties.parse(props));
        assertEquals("fwm-1", ServiceProperties.name(FWM.key()));
    }

    @Test
    void theRulesFileIsNumberedRulesAndABadOneIsNamed() {
        Map<String, String> props = MarkRuleProperties.toProperties(RULES);
        assertEquals("1 tcp 10.0.0.100 443", props.get("rule.2"));
        assertEquals(RULES, MarkRuleProperties.parse(props));
        assertEquals(RULES, MarkRuleProperties.parse(Map.of("rule.10", "2 any 10.0.0.10-20", "rule.2",
                "1 tcp 10.0.0.100 80", "rule.3", "1 tcp 10.0.0.100 443", "service.pid", "org.jlvs.marks")),
                "in the order of the numbers; Config Admin's keys ignored");
        ConfigException e = assertThrows(ConfigException.class, () -> MarkRuleProperties.parse(Map.of("rule.1", "1 tcp")));
        assertEquals("key rule.1", e.where());
        e = assertThrows(ConfigException.class, () -> MarkRuleProperties.parse(Map.of("mark.1", "1 tcp 10.0.0.1")));
        assertEquals("key mark.1: unknown key: the mark rules' file holds 'rule.N' (N a number) only", e.getMessage());
    }
}
