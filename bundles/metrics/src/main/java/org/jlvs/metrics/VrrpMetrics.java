package org.jlvs.metrics;

import java.util.List;
import java.util.Map;

import org.jlvs.api.ha.DirectorRole;

/**
 * VRRP under the names of the keepalived exporter (mehdy/keepalived-exporter), so that its dashboard and alerts
 * work against jlvs: per instance, with labels {@code iname, intf, vrid, state}, the fifteen
 * {@code keepalived_*_total} counters; {@code keepalived_vrrp_state{iname,intf,vrid,ip_address}} once per virtual
 * address (0 INIT, 1 BACKUP, 2 MASTER, 3 FAULT); {@code keepalived_up}. Counters jlvs does not keep (VRRPv3 has
 * no authentication; there is no garp delay) are written as 0, as keepalived's own VRRPv3 instances show them.
 * jlvs's own counters and the priorities go under {@code jlvs_vrrp_*}.
 */
public final class VrrpMetrics {
    private VrrpMetrics() {}

    /** The exporter's counter names without prefix and suffix, in its order; help texts follow its wording. */
    static final String[][] EXPORTER_COUNTERS = {
        {"advertisements_received", "Advertisements received"},
        {"advertisements_sent", "Advertisements sent"},
        {"become_master", "Became master"},
        {"release_master", "Released master"},
        {"packet_length_errors", "Packet length errors"},
        {"advertisements_interval_errors", "Advertisement interval errors"},
        {"ip_ttl_errors", "TTL errors"},
        {"invalid_type_received", "Invalid type errors"},
        {"address_list_errors", "Address list errors"},
        {"authentication_invalid", "Authentication invalid"},
        {"authentication_mismatch", "Authentication mismatch"},
        {"authentication_failure", "Authentication failure"},
        {"priority_zero_received", "Priority zero received"},
        {"priority_zero_sent", "Priority zero sent"},
        {"gratuitous_arp_delay", "Gratuitous ARP delay"},
    };

    /** Writes nothing when the failover bundle is absent ({@code instances} null). */
    public static void write(List<DirectorRole.Instance> instances, PrometheusText out) {
        if (instances == null) return;
        out.family("keepalived_up", "gauge", "Status").sample("keepalived_up", 1);
        out.family("keepalived_vrrp_state", "gauge", "State of vrrp");
        for (DirectorRole.Instance i : instances) {
            for (String a : org.jlvs.ipvsadm.VrrpFormat.addresses(i)) { // keepalived_exporter: one series per VIP
                out.sample("keepalived_vrrp_state", i.state().ordinal(), "iname", i.name(), "intf", i.interfaceName(),
                        "vrid", Integer.toString(i.vrid()), "ip_address", a);
            }
        }
        for (String[] c : EXPORTER_COUNTERS) {
            String name = "keepalived_" + c[0] + "_total";
            out.family(name, "counter", c[1]);
            for (DirectorRole.Instance i : instances) out.sample(name, value(i.counters(), c[0]), labels(i));
        }
        out.family("jlvs_vrrp_priority", "gauge", "Configured VRRP priority per instance (255 = address owner).");
        for (DirectorRole.Instance i : instances) out.sample("jlvs_vrrp_priority", i.priority(), labels(i));
        out.family("jlvs_vrrp_effective_priority", "gauge", "VRRP priority after track-script weights (what the adverts carry).");
        for (DirectorRole.Instance i : instances) out.sample("jlvs_vrrp_effective_priority", i.effectivePriority(), labels(i));
        out.family("jlvs_vrrp_master_down_seconds", "gauge", "Master_Down_Interval of the instance.");
        for (DirectorRole.Instance i : instances) out.sample("jlvs_vrrp_master_down_seconds", i.masterDownNanos() / 1e9, labels(i));
        out.family("jlvs_vrrp_events_total", "counter", "VRRP counters jlvs keeps beyond the keepalived exporter's.");
        for (DirectorRole.Instance i : instances) {
            for (Map.Entry<String, Long> e : i.counters().entrySet()) {
                if (isExporterCounter(e.getKey())) continue;
                out.sample("jlvs_vrrp_events_total", e.getValue(), "iname", i.name(), "counter", e.getKey());
            }
        }
    }

    private static String[] labels(DirectorRole.Instance i) {
        return new String[] {"iname", i.name(), "intf", i.interfaceName(), "vrid", Integer.toString(i.vrid()),
            "state", i.state().name()};
    }

    private static long value(Map<String, Long> counters, String name) {
        Long v = counters.get(name);
        return v == null ? 0 : v;
    }

    private static boolean isExporterCounter(String name) {
        for (String[] c : EXPORTER_COUNTERS) if (c[0].equals(name)) return true;
        return false;
    }
}
