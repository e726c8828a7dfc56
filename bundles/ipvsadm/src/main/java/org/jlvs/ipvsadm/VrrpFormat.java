package org.jlvs.ipvsadm;

import java.util.List;
import java.util.Map;

import org.jlvs.api.Ip4;
import org.jlvs.api.ha.DirectorRole;

/** lvs:vrrp's listing of the VRRP instances: text for people, one JSON line (jlvs-vrrp, version 1) for machines. */
public final class VrrpFormat {
    private VrrpFormat() {}

    /**
     * Per instance: "NAME STATE" with interface, VRID, group; then priority (configured/effective), the master's
     * address, the advert interval and Master_Down timer in seconds, the addresses, and the counters.
     */
    public static String text(List<DirectorRole.Instance> instances) {
        StringBuilder b = new StringBuilder();
        for (DirectorRole.Instance i : instances) {
            b.append(i.name()).append(' ').append(i.state()).append("  interface ").append(i.interfaceName())
                    .append("  vrid ").append(i.vrid());
            if (i.group() != null) b.append("  group ").append(i.group());
            b.append('\n');
            b.append("  priority ").append(i.priority()).append(" effective ").append(i.effectivePriority())
                    .append("  master ").append(master(i) == null ? "-" : master(i))
                    .append("  advert_int ").append(seconds(i.advertIntervalCentis() * 10_000_000L))
                    .append(" s  master_down ").append(seconds(i.masterDownNanos())).append(" s\n");
            b.append("  addresses");
            for (String a : addresses(i)) b.append(' ').append(a);
            b.append('\n');
            for (Map.Entry<String, Long> c : i.counters().entrySet()) {
                b.append("  ").append(String.format("%-32s %d", c.getKey(), c.getValue())).append('\n');
            }
        }
        return b.toString();
    }

    /** {"format":"jlvs-vrrp","version":1,"instances":[{...}]}; times in milliseconds. */
    public static String json(List<DirectorRole.Instance> instances) {
        StringBuilder b = new StringBuilder("{\"format\":\"jlvs-vrrp\",\"version\":1,\"instances\":[");
        for (int n = 0; n < instances.size(); n++) {
            DirectorRole.Instance i = instances.get(n);
            if (n > 0) b.append(',');
            b.append("{\"name\":").append(ListJson.str(i.name()))
                    .append(",\"state\":").append(ListJson.str(i.state().name()))
                    .append(",\"group\":").append(i.group() == null ? "null" : ListJson.str(i.group()))
                    .append(",\"interface\":").append(ListJson.str(i.interfaceName()))
                    .append(",\"vrid\":").append(i.vrid())
                    .append(",\"priority\":").append(i.priority())
                    .append(",\"effective_priority\":").append(i.effectivePriority())
                    .append(",\"master\":").append(master(i) == null ? "null" : ListJson.str(master(i)))
                    .append(",\"advert_interval_ms\":").append(i.advertIntervalCentis() * 10)
                    .append(",\"master_down_ms\":").append(String.format(java.util.Locale.ROOT, "%.3f", i.masterDownNanos() / 1e6))
                    .append(",\"addresses\":[");
            List<String> addresses = addresses(i);
            for (int k = 0; k < addresses.size(); k++) b.append(k > 0 ? "," : "").append(ListJson.str(addresses.get(k)));
            b.append("],\"counters\":").append(ListJson.counters(i.counters()).strip()).append('}');
        }
        return b.append("]}\n").toString();
    }

    /** The instance's virtual addresses as text: IPv4 ones, or an IPv6 instance's. */
    public static List<String> addresses(DirectorRole.Instance i) {
        List<String> all = new java.util.ArrayList<>();
        for (int a : i.addresses()) all.add(Ip4.toString(a));
        for (org.jlvs.api.Ip6Address a : i.addresses6()) all.add(a.toString());
        return all;
    }

    /** The master's address (an IPv6 instance's link-local one), or null when none is known. */
    static String master(DirectorRole.Instance i) {
        if (i.masterAddress6() != null) return i.masterAddress6().toString();
        return i.masterAddress() == 0 ? null : Ip4.toString(i.masterAddress());
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.3f", nanos / 1e9);
    }
}
