package org.jlvs.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jlvs.api.Ip4;
import org.jlvs.api.ha.DirectorRole;
import org.jlvs.api.sync.SyncDaemon;
import org.jlvs.api.sync.SyncSettings;
import org.jlvs.api.sync.SyncStatus;
import org.jlvs.ipvsadm.JlvsJson;
import org.junit.jupiter.api.Test;

/** The keepalived exporter's names for VRRP, jlvs_sync_* for sync, and nothing of either when they are absent. */
class VrrpSyncMetricsTest {
    record Inst(String name, String group, String interfaceName, int vrid, DirectorRole.State state,
                List<Integer> addresses, int priority, int effectivePriority, int masterAddress,
                int advertIntervalCentis, long masterDownNanos, Map<String, Long> counters) implements DirectorRole.Instance {
    }

    static DirectorRole.Instance instance() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("advertisements_received", 12L);
        c.put("advertisements_sent", 340L);
        c.put("become_master", 1L);
        c.put("priority_zero_sent", 2L);
        c.put("checksum_errors", 3L);
        return new Inst("VI_1", null, "eth0", 51, DirectorRole.State.MASTER,
                List.of(Ip4.parse("10.99.1.100"), Ip4.parse("10.99.1.101")), 150, 140, Ip4.parse("10.99.1.1"), 100,
                3_414_000_000L, c);
    }

    private static String text(java.util.function.Consumer<PrometheusText> writer) {
        StringBuilder b = new StringBuilder();
        writer.accept(new PrometheusText(b));
        return b.toString();
    }

    @Test
    void anIpv6InstanceHasASeriesPerVip6AndItsLinkLocalMaster() {
        DirectorRole.Instance v6 = new DirectorRole.Instance() { // an IPv6 instance, BACKUP behind fe80::1
            @Override public String name() { return "VI_6"; }
            @Override public String group() { return null; }
            @Override public String interfaceName() { return "eth0"; }
            @Override public int vrid() { return 51; }
            @Override public DirectorRole.State state() { return DirectorRole.State.BACKUP; }
            @Override public List<Integer> addresses() { return List.of(); }
            @Override public List<org.jlvs.api.Ip6Address> addresses6() {
                return List.of(org.jlvs.api.Ip6Address.parse("2001:db8:99:4::100"));
            }
            @Override public int priority() { return 100; }
            @Override public int effectivePriority() { return 100; }
            @Override public int masterAddress() { return 0; }
            @Override public org.jlvs.api.Ip6Address masterAddress6() { return org.jlvs.api.Ip6Address.parse("fe80::1"); }
            @Override public int advertIntervalCentis() { return 100; }
            @Override public long masterDownNanos() { return 3_609_000_000L; }
            @Override public Map<String, Long> counters() { return Map.of(); }
        };
        String t = text(out -> VrrpMetrics.write(List.of(v6), out));
        assertTrue(t.contains("keepalived_vrrp_state{iname=\"VI_6\",intf=\"eth0\",vrid=\"51\",ip_address=\"2001:db8:99:4::100\"} 1\n"), t);
        String listing = org.jlvs.ipvsadm.VrrpFormat.text(List.of(v6));
        assertTrue(listing.contains("master fe80::1") && listing.contains("addresses 2001:db8:99:4::100"), listing);
        assertTrue(org.jlvs.ipvsadm.VrrpFormat.json(List.of(v6)).contains("\"master\":\"fe80::1\",")
                && org.jlvs.ipvsadm.VrrpFormat.json(List.of(v6)).contains("\"addresses\":[\"2001:db8:99:4::100\"]"));
    }

    @Test
    void vrrpUnderTheKeepalivedExportersNames() {
        String t = text(out -> VrrpMetrics.write(List.of(instance()), out));
        assertTrue(t.contains("keepalived_up 1\n"), t);
        assertTrue(t.contains("keepalived_vrrp_state{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\",ip_address=\"10.99.1.100\"} 2\n"), t);
        assertTrue(t.contains("keepalived_vrrp_state{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\",ip_address=\"10.99.1.101\"} 2\n"), t);
        String labels = "{iname=\"VI_1\",intf=\"eth0\",vrid=\"51\",state=\"MASTER\"}";
        assertTrue(t.contains("keepalived_advertisements_received_total" + labels + " 12\n"), t);
        assertTrue(t.contains("keepalived_advertisements_sent_total" + labels + " 340\n"), t);
        assertTrue(t.contains("keepalived_become_master_total" + labels + " 1\n"), t);
        assertTrue(t.contains("keepalived_priority_zero_sent_total" + labels + " 2\n"), t);
        assertTrue(t.contains("keepalived_authentication_failure_total" + labels + " 0\n"), t);
        assertTrue(t.contains("# TYPE keepalived_release_master_total counter\n"), t);
        assertTrue(t.contains("jlvs_vrrp_effective_priority" + labels + " 140\n"), t);
        assertTrue(t.contains("jlvs_vrrp_events_total{iname=\"VI_1\",counter=\"checksum_errors\"} 3\n"), t);
        assertEquals(15, t.lines().filter(l -> l.startsWith("keepalived_") && l.contains("_total{")).count());
    }

    @Test
    void noFailoverBundleNoKeepalivedSeries() {
        assertEquals("", text(out -> VrrpMetrics.write(null, out)));
        assertEquals("", text(out -> SyncMetrics.write(null, out)));
    }

    static SyncDaemon daemon(SyncStatus master, SyncStatus backup) {
        return new SyncDaemon() {
            @Override public void start(Role role, SyncSettings settings) { }
            @Override public boolean stop(Role role) { return false; }
            @Override public SyncStatus status(Role role) { return role == Role.MASTER ? master : backup; }
            @Override public Map<String, Long> counters() { return Map.of(); }
        };
    }

    static SyncStatus backup() {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("datagrams_received", 10L);
        c.put("entries_received", 250L);
        c.put("entries_installed", 240L);
        c.put("dropped_unknown_service", 7L);
        c.put("dropped_table_full", 3L);
        c.put("resyncs", 1L);
        c.put("lag_millis", 1500L);
        c.put("something_new", 9L);
        return new SyncStatus(SyncDaemon.Role.BACKUP, SyncSettings.of("eth1", 5), "running", c,
                new SyncStatus.ResyncReport("10.99.2.3", 1_700_000_000_000L, 250, 240, "complete"));
    }

    @Test
    void syncSeriesPerRoleWithDropsByReason() {
        Map<String, Long> mc = new LinkedHashMap<>();
        mc.put("datagrams_sent", 4L);
        mc.put("entries_sent", 100L);
        mc.put("queue_full", 2L);
        mc.put("queue_depth", 0L);
        SyncStatus master = new SyncStatus(SyncDaemon.Role.MASTER, SyncSettings.of("eth1", 5), "no IPv4 address on eth1", mc, null);
        String t = text(out -> SyncMetrics.write(daemon(master, backup()), out));
        assertTrue(t.contains("jlvs_sync_daemon_up{role=\"master\"} 0\n"), t);
        assertTrue(t.contains("jlvs_sync_daemon_up{role=\"backup\"} 1\n"), t);
        assertTrue(t.contains("jlvs_sync_datagrams_sent_total{role=\"master\"} 4\n"), t);
        assertTrue(t.contains("jlvs_sync_entries_received_total{role=\"backup\"} 250\n"), t);
        assertTrue(t.contains("jlvs_sync_dropped_total{role=\"master\",reason=\"queue_full\"} 2\n"), t);
        assertTrue(t.contains("jlvs_sync_dropped_total{role=\"backup\",reason=\"unknown_service\"} 7\n"), t);
        assertTrue(t.contains("jlvs_sync_dropped_total{role=\"backup\",reason=\"table_full\"} 3\n"), t);
        assertTrue(t.contains("jlvs_sync_resyncs_total{role=\"backup\"} 1\n"), t);
        assertTrue(t.contains("jlvs_sync_lag_seconds{role=\"backup\"} 1.5\n"), t);
        assertTrue(t.contains("jlvs_sync_last_resync_entries{role=\"backup\"} 240\n"), t);
        assertTrue(t.contains("jlvs_sync_events_total{role=\"backup\",counter=\"something_new\"} 9\n"), t);
    }

    @Test
    void syncJsonNamesDaemonsAndTheirLastResync() {
        String j = JlvsJson.sync(daemon(null, backup()), null);
        assertTrue(j.startsWith("{\"format\":\"jlvs-sync\",\"version\":1,\"installed\":true,\"daemons\":[{\"role\":\"backup\",\"state\":\"running\""), j);
        assertTrue(j.contains("\"entries_received\":250"), j);
        assertTrue(j.contains("\"last_resync\":{\"peer\":\"10.99.2.3\",\"started_ms\":1700000000000,\"duration_ms\":250,\"entries\":240,\"result\":\"complete\"}"), j);
        assertEquals("{\"format\":\"jlvs-sync\",\"version\":1,\"installed\":false,\"daemons\":[]}\n", JlvsJson.sync(null, null));
    }
}
