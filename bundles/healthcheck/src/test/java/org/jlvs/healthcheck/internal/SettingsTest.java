package org.jlvs.healthcheck.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.jlvs.api.CheckSpec;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServiceKey;
import org.junit.jupiter.api.Test;

/** keepalived's defaults and keyword handling. */
class SettingsTest {
    static final ServiceKey SVC = new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.1"), 80);

    static Settings of(String type, Map<String, String> options) {
        return Settings.of(new CheckSpec(SVC, Ip4.parse("10.0.1.1"), 80, type, options));
    }

    @Test
    void keepalivedDefaults() {
        Settings tcp = of("TCP_CHECK", Map.of());
        assertEquals("tcp", tcp.type());
        assertEquals(60_000, tcp.delayLoopMillis());
        assertEquals(5_000, tcp.timeoutMillis());
        assertEquals(1, tcp.retry());
        assertEquals(1_000, tcp.delayBeforeRetryMillis());
        assertEquals(60_000, tcp.warmupMillis(), "warmup defaults to delay_loop");
        assertEquals(3_000, of("HTTP_GET", Map.of()).delayBeforeRetryMillis());
        assertEquals("ssl", of("SSL_GET", Map.of()).type());
        assertEquals(3_000, of("ssl", Map.of()).delayBeforeRetryMillis());
        Settings dns = of("DNS_CHECK", Map.of("delay_loop", "7"));
        assertEquals(3, dns.retry());
        assertEquals(7_000, dns.delayBeforeRetryMillis(), "DNS retries after delay_loop");
        Settings misc = of("MISC_CHECK", Map.of("delay_loop", "4", "misc_path", "/bin/true"));
        assertEquals(0, misc.retry());
        assertEquals(4_000, misc.timeoutMillis(), "misc_timeout defaults to delay_loop");
        assertEquals(Map.of("misc_path", "/bin/true"), misc.config().options());
    }

    @Test
    void timersTakeFractionsAndZeroTimeoutMeansOneSecond() {
        Settings s = of("tcp", Map.of("delay-loop", "0.25", "connect_timeout", "0", "delay_before_retry", "1.5", "warmup", "0"));
        assertEquals(250, s.delayLoopMillis());
        assertEquals(1_000, s.timeoutMillis());
        assertEquals(1_500, s.delayBeforeRetryMillis());
        assertEquals(0, s.warmupMillis());
        assertThrows(IllegalArgumentException.class, () -> of("tcp", Map.of("delay_loop", "0")));
        Settings v6 = of("tcp", Map.of("connect_ip", "2001:db8::11"));
        assertEquals(org.jlvs.api.Ip6Address.parse("2001:db8::11"), v6.config().address6(), "connect_ip of IPv6");
        assertEquals("[2001:db8::11]:80", v6.config().endpoint());
        assertEquals("bindto ::1: IPv6 check addresses are not supported yet",
                assertThrows(IllegalArgumentException.class, () -> of("tcp", Map.of("bindto", "::1"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> of("tcp", Map.of("delay_loop", "1.0005")));
        assertThrows(IllegalArgumentException.class, () -> of("tcp", Map.of("warmup", "abc")));
        assertThrows(IllegalArgumentException.class, () -> of("tcp", Map.of("alpha", "maybe")));
        assertThrows(IllegalArgumentException.class, () -> of("misc", Map.of("connect_timeout", "3")));
    }

    @Test
    void connectionKeywordsMakeTheTargetAndTheRestGoesToTheChecker() {
        Settings s = of("http", Map.of("connect_ip", "10.0.2.2", "connect_port", "8080", "bindto", "10.0.0.9",
                "bind_port", "4000", "path", "/health", "status_code", "200-299", "alpha", "", "inhibit_on_failure", "yes"));
        assertEquals(Ip4.parse("10.0.2.2"), s.config().address());
        assertEquals(8080, s.config().port());
        assertEquals(Ip4.parse("10.0.0.9"), s.config().bindAddress());
        assertEquals(4000, s.config().bindPort());
        assertEquals(Map.of("path", "/health", "status_code", "200-299"), s.config().options());
        assertTrue(s.alpha());
        assertTrue(s.inhibitOnFailure());
        assertEquals("10.0.2.2:8080", s.effective().get("connect"));
    }

    @Test
    void checkerTypesComeFromTheServiceProperty() {
        assertEquals(List.of("http", "ssl"), MonitorComponent.types(Map.of("lvs.check", new String[] {"http", "SSL_GET"})));
        assertEquals(List.of("tcp"), MonitorComponent.types(Map.of("lvs.check", "TCP")));
        assertEquals(List.of("dns", "udp"), MonitorComponent.types(Map.of("lvs.check", List.of("dns", "udp"))));
        assertEquals(List.of(), MonitorComponent.types(Map.of()));
    }

}
