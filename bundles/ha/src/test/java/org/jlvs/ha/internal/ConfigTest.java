package org.jlvs.ha.internal;

import static org.jlvs.ha.internal.Fakes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The keys of org.jlvs.vrrp.instance and org.jlvs.vrrp.script: keepalived's defaults, and refusals that name the key. */
class ConfigTest {
    @Test
    void keepalivedsDefaults() {
        InstanceConfig c = InstanceConfig.parse(props("priority", null, "advert_int", null));
        assertEquals(100, c.priority());
        assertEquals(100, c.advertCentis());
        assertTrue(c.preempt());
        assertFalse(c.startAsMaster());
        assertFalse(c.useVmac());
        assertFalse(c.messageOnlyChecksum());
        assertFalse(c.acceptBothChecksums());
        assertEquals(5, c.garpMasterRepeat());
        assertEquals(5 * S, c.garpMasterDelayNanos());
        assertEquals(5, c.garpLowerPrioRepeat());
        assertArrayEquals(new int[] {VIP}, c.addresses());
        assertEquals(0, c.sourceAddress());
        assertFalse(c.unicast());
    }

    @Test
    void valuesAsKeepalivedWritesThem() {
        InstanceConfig c = InstanceConfig.parse(props("advert_int", "0.5", "virtual_ipaddress",
                new String[] {"10.214.1.100/24", "10.214.1.101"}, "unicast_peer", List.of("10.214.1.3"),
                "preempt_delay", "2.5", "state", "MASTER", "nopreempt", "yes", "track_interface", "eth1, eth2",
                "unicast_src_ip", "10.214.1.2", "priority", 200));
        assertEquals(50, c.advertCentis());
        assertEquals(2, c.addresses().length);
        assertArrayEquals(new int[] {B}, c.unicastPeers());
        assertEquals(2_500 * MS, c.preemptDelayNanos());
        assertTrue(c.startAsMaster());
        assertFalse(c.preempt());
        assertEquals(List.of("eth1", "eth2"), c.trackInterfaces());
        assertEquals(A, c.sourceAddress());
        assertEquals(200, c.priority());
    }

    private static void refused(String key, String reason, Object... kv) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> InstanceConfig.parse(props(kv)));
        assertTrue(e.getMessage().startsWith(key + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void badValuesAreRefusedWithKeyAndReason() {
        refused("name", "missing", "name", null);
        refused("name", "letters", "name", "VI 1");
        refused("interface", "missing", "interface", "");
        refused("virtual_router_id", "missing", "virtual_router_id", null);
        refused("virtual_router_id", "0 is not in 1..255", "virtual_router_id", "0");
        refused("virtual_router_id", "not an integer", "virtual_router_id", "fifty");
        refused("priority", "256 is not in 1..255", "priority", "256");
        refused("advert_int", "not in 0.01..40.95", "advert_int", "41");
        refused("advert_int", "more than 2 decimals", "advert_int", "0.005");
        refused("advert_int", "not a number", "advert_int", "1s");
        refused("virtual_ipaddress", "at least one", "virtual_ipaddress", "");
        refused("virtual_ipaddress", "bad IPv4 address", "virtual_ipaddress", "10.214.1.300");
        refused("virtual_ipaddress", "listed twice", "virtual_ipaddress", "10.214.1.100 10.214.1.100/32");
        refused("virtual_ipaddress", "bad prefix", "virtual_ipaddress", "10.214.1.100/33");
        refused("state", "not one of backup, master", "state", "standby");
        refused("nopreempt", "not a boolean", "nopreempt", "maybe");
        refused("nopreempt", "address owner", "nopreempt", "true", "priority", "255");
        refused("checksum", "not one of", "checksum", "v2");
        refused("checksum_accept", "not one of", "checksum_accept", "any");
        refused("unicast_peer", "bad IPv4", "unicast_peer", "peer-b");
        refused("garp_master_repeat", "not in 0..100", "garp_master_repeat", "-1");
        refused("notify_timeout", "not in", "notify_timeout", "0");
    }

    @Test
    void trackScripts() {
        Map<String, Object> p = new HashMap<>(Map.of("name", "chk_haproxy", "script", "'/usr/bin/killall' -0 haproxy",
                "interval", "2", "weight", "-20", "fall", "3", "rise", "2"));
        ScriptConfig s = ScriptConfig.parse(p);
        assertEquals(2 * S, s.intervalNanos());
        assertEquals(2 * S, s.timeoutNanos()); // keepalived: the interval
        assertEquals(-20, s.weight());
        assertEquals(3, s.fall());
        assertEquals(2, s.rise());
        p.put("weight", "300");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ScriptConfig.parse(p));
        assertEquals("weight: 300 is not in -253..253", e.getMessage());
        p.put("weight", "1");
        p.put("script", "'unbalanced");
        e = assertThrows(IllegalArgumentException.class, () -> ScriptConfig.parse(p));
        assertTrue(e.getMessage().startsWith("script: unbalanced quote"), e.getMessage());
    }
}
