package org.jlvs.keepalived.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jlvs.config.internal.FakeConfigAdmin;
import org.jlvs.ipvsadm.ConfigException;
import org.junit.jupiter.api.Test;

/** vrrp_instance, vrrp_sync_group and vrrp_script blocks as the ha bundle's configurations, written to Config Admin. */
class KeepalivedVrrpTest {
    private static final String CONF = """
            vrrp_script chk_web {
                script "/usr/bin/curl -sf http://127.0.0.1/"
                interval 2
                weight -20
                fall 3
                rise 2
                user nobody
            }
            vrrp_sync_group G1 {
                group {
                    VI_1
                    VI_GW
                }
                notify_master /bin/true
            }
            vrrp_instance VI_1 {
                state MASTER
                interface eth0
                virtual_router_id 51
                priority 150
                advert_int 0.5
                nopreempt
                authentication {
                    auth_type PASS
                }
                virtual_ipaddress {
                    10.99.1.100/24 dev eth0
                    10.99.1.101
                }
                track_script {
                    chk_web
                }
                notify_master "/etc/jlvs/master.sh VI_1"
            }
            vrrp_instance VI_GW {
                interface eth1
                virtual_router_id 52
                unicast_peer {
                    10.99.2.3
                }
                virtual_ipaddress {
                    10.99.2.254/24
                }
            }
            virtual_server 10.99.1.100 80 {
                lb_algo rr
            }
            """;

    @Test
    void instancesGroupsAndScriptsBecomeTheHaBundlesKeys() {
        KeepalivedVrrp.Result r = KeepalivedVrrp.read(CONF);
        assertEquals(List.of("VI_1", "VI_GW"), List.copyOf(r.instances().keySet()));
        Map<String, Object> vi1 = r.instances().get("VI_1");
        assertEquals("VI_1", vi1.get("name"));
        assertEquals("MASTER", vi1.get("state"));
        assertEquals("eth0", vi1.get("interface"));
        assertEquals("51", vi1.get("virtual_router_id"));
        assertEquals("150", vi1.get("priority"));
        assertEquals("0.5", vi1.get("advert_int"));
        assertEquals("true", vi1.get("nopreempt"));
        assertEquals("10.99.1.100/24 10.99.1.101", vi1.get("virtual_ipaddress"));
        assertEquals("chk_web", vi1.get("track_script"));
        assertEquals("/etc/jlvs/master.sh VI_1", vi1.get("notify_master"));
        assertEquals("G1", vi1.get("sync_group"));
        assertEquals("G1", r.instances().get("VI_GW").get("sync_group"));
        assertEquals("10.99.2.3", r.instances().get("VI_GW").get("unicast_peer"));
        assertEquals(Map.of("name", "chk_web", "script", "/usr/bin/curl -sf http://127.0.0.1/", "interval", "2",
                "weight", "-20", "fall", "3", "rise", "2"), r.scripts().get("chk_web"));
        assertEquals(Set.of(1, 9, 16, 35), r.carriedLines(), "the blocks' first lines; the virtual_server is not ours");
        List<String> notCarried = r.notCarried();
        assertTrue(notCarried.stream().anyMatch(l -> l.startsWith("line 7: user in vrrp_script chk_web")), notCarried.toString());
        assertTrue(notCarried.stream().anyMatch(l -> l.startsWith("line 14: notify_master in vrrp_sync_group G1")), notCarried.toString());
        assertTrue(notCarried.stream().anyMatch(l -> l.startsWith("line 23: authentication { ... } in vrrp_instance VI_1")), notCarried.toString());
        assertTrue(notCarried.stream().anyMatch(l -> l.startsWith("line 27: virtual_ipaddress 10.99.1.100/24 dev eth0")), notCarried.toString());
    }

    @Test
    void aGroupMemberThatIsNoInstanceIsRefusedWithItsLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> KeepalivedVrrp.read(
                "vrrp_sync_group G { group {\n VI_9\n } }\n"));
        assertTrue(e.getMessage().contains("line 2") && e.getMessage().contains("no vrrp_instance VI_9"), e.getMessage());
        assertThrows(ConfigException.class, () -> KeepalivedVrrp.read("vrrp_instance A { }\nvrrp_instance A { }\n"));
    }

    @Test
    void writtenToConfigAdminUpdatedInPlaceAndPrunedWithoutMerge() throws Exception {
        FakeConfigAdmin cm = new FakeConfigAdmin();
        KeepalivedVrrp.Result r = KeepalivedVrrp.read(CONF);
        assertEquals(List.of("add vrrp_instance VI_1", "add vrrp_instance VI_GW", "add vrrp_script chk_web"),
                VrrpConfigWriter.apply(cm.service, r, false, true));
        assertTrue(cm.writes.isEmpty(), "a dry run writes nothing");
        VrrpConfigWriter.apply(cm.service, r, false, false);
        assertEquals("150", cm.stored.get("org.jlvs.vrrp.instance~VI_1").get("priority"));
        assertEquals("-20", cm.stored.get("org.jlvs.vrrp.script~chk_web").get("weight"));
        assertEquals(List.of(), VrrpConfigWriter.apply(cm.service, r, false, false), "the same file again changes nothing");

        KeepalivedVrrp.Result only = KeepalivedVrrp.read(
                "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 51\n priority 120\n virtual_ipaddress {\n 10.99.1.100\n }\n}\n");
        assertEquals(List.of("edit vrrp_instance VI_1"), VrrpConfigWriter.apply(cm.service, only, true, false));
        assertEquals("120", cm.stored.get("org.jlvs.vrrp.instance~VI_1").get("priority"));
        assertEquals(List.of("delete vrrp_instance VI_GW", "delete vrrp_script chk_web"),
                VrrpConfigWriter.apply(cm.service, only, false, false));
        assertEquals(Set.of("org.jlvs.vrrp.instance~VI_1"), cm.stored.keySet());
        assertEquals(List.of(), VrrpConfigWriter.apply(cm.service, KeepalivedVrrp.read("virtual_server 10.0.0.1 80 {\n}\n"),
                false, false), "a file without VRRP leaves the instances alone");
    }
}
