package org.jlvs.ha.internal;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jlvs.api.Ip4;
import org.jlvs.packet.Vrrp;

/**
 * One VRRP instance's settings, checked: keepalived's vrrp_instance keywords (keepalived.conf(5)) with its
 * defaults. {@link #parse} refuses a bad value with the key and the reason.
 *
 * @param sourceAddress the adverts' source (unicast_src_ip / mcast_src_ip); 0 = the interface's first IPv4
 *     address
 * @param acceptBothChecksums receive adverts whose checksum is in either form; otherwise only in the form sent
 */
record InstanceConfig(String name, String interfaceName, int vrid, int priority, int advertCentis,
                      boolean startAsMaster, boolean preempt, long preemptDelayNanos, int[] addresses,
                      int sourceAddress, int[] unicastPeers, boolean messageOnlyChecksum,
                      boolean acceptBothChecksums, boolean useVmac, int garpMasterRepeat, long garpMasterDelayNanos,
                      int garpLowerPrioRepeat, List<String> trackInterfaces, List<String> trackScripts,
                      String syncGroup, String notifyMaster, String notifyBackup, String notifyFault,
                      String notifyStop, String notifyAny, long notifyTimeoutNanos) {

    static final int DEFAULT_PRIORITY = 100;
    static final String DEFAULT_ADVERT_INT = "1";
    static final int DEFAULT_GARP_REPEAT = 5;
    static final String DEFAULT_GARP_DELAY = "5";
    static final String DEFAULT_NOTIFY_TIMEOUT = "10";
    static final String CHECKSUM_PSEUDO_HEADER = "pseudo-header";
    static final String CHECKSUM_MESSAGE_ONLY = "message-only";
    static final String ACCEPT_SENT = "sent";
    static final String ACCEPT_BOTH = "both";
    private static final long NANOS_PER_CENTI = 10_000_000L;
    private static final long NANOS_PER_MILLI = 1_000_000L;

    /** The IP and VRRP headers and the addresses must fit a 1500-byte MTU; the count field holds 255 at most. */
    static final int MAX_ADDRESSES = 255;

    static InstanceConfig parse(Map<String, ?> properties) {
        ConfigReader r = new ConfigReader(properties);
        String name = r.required("name");
        if (!name.matches("[A-Za-z0-9_.-]{1,64}")) throw ConfigReader.bad("name", "use 1-64 letters, digits, _ . -");
        String iface = r.required("interface");
        int vrid = r.integer("virtual_router_id", -1, 1, 255);
        if (vrid < 0) throw ConfigReader.bad("virtual_router_id", "missing");
        int priority = r.integer("priority", DEFAULT_PRIORITY, 1, 255);
        // RFC 5798: Max Adver Int is 12 bits of centiseconds (0.01 .. 40.95 s)
        int advert = (int) r.fixed("advert_int", Long.parseLong(DEFAULT_ADVERT_INT) * 100, 2, 1, 4095);
        String state = r.choice("state", "backup", "backup", "master");
        boolean nopreempt = r.bool("nopreempt", false);
        long preemptDelay = r.fixed("preempt_delay", 0, 3, 0, 1_000_000) * NANOS_PER_MILLI;
        int[] addresses = r.addresses("virtual_ipaddress");
        if (addresses.length == 0) throw ConfigReader.bad("virtual_ipaddress", "at least one address is required");
        if (addresses.length > MAX_ADDRESSES) {
            throw ConfigReader.bad("virtual_ipaddress", addresses.length + " addresses, at most " + MAX_ADDRESSES);
        }
        requireDistinct("virtual_ipaddress", addresses);
        String source = r.string("unicast_src_ip", r.string("mcast_src_ip", null));
        int sourceAddress = source == null ? 0 : r.address("unicast_src_ip", source);
        int[] peers = r.addresses("unicast_peer");
        requireDistinct("unicast_peer", peers);
        String checksum = r.choice("checksum", CHECKSUM_PSEUDO_HEADER, CHECKSUM_PSEUDO_HEADER, CHECKSUM_MESSAGE_ONLY);
        String accept = r.choice("checksum_accept", ACCEPT_SENT, ACCEPT_SENT, ACCEPT_BOTH);
        boolean vmac = r.bool("use_vmac", false);
        int garpRepeat = r.integer("garp_master_repeat", DEFAULT_GARP_REPEAT, 0, 100);
        long garpDelay = r.fixed("garp_master_delay", Long.parseLong(DEFAULT_GARP_DELAY) * 1000, 3, 0, 3_600_000)
                * NANOS_PER_MILLI;
        int garpLower = r.integer("garp_lower_prio_repeat", DEFAULT_GARP_REPEAT, 0, 100);
        String group = r.string("sync_group", null);
        long notifyTimeout = r.fixed("notify_timeout", Long.parseLong(DEFAULT_NOTIFY_TIMEOUT) * 1000, 3, 1, 3_600_000)
                * NANOS_PER_MILLI;
        if (priority == Vrrp.PRIORITY_OWNER && nopreempt) {
            throw ConfigReader.bad("nopreempt", "the address owner (priority 255) always preempts");
        }
        return new InstanceConfig(name, iface, vrid, priority, advert, state.equals("master"), !nopreempt,
                preemptDelay, addresses, sourceAddress, peers, checksum.equals(CHECKSUM_MESSAGE_ONLY),
                accept.equals(ACCEPT_BOTH), vmac, garpRepeat, garpDelay, garpLower, r.list("track_interface"),
                r.list("track_script"), group, r.string("notify_master", null), r.string("notify_backup", null),
                r.string("notify_fault", null), r.string("notify_stop", null), r.string("notify", null),
                notifyTimeout);
    }

    private static void requireDistinct(String key, int[] addresses) {
        Set<Integer> seen = new HashSet<>();
        for (int a : addresses) {
            if (!seen.add(a)) throw ConfigReader.bad(key, Ip4.toString(a) + " is listed twice");
        }
    }

    long advertNanos() {
        return advertCentis * NANOS_PER_CENTI;
    }

    boolean unicast() {
        return unicastPeers.length > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InstanceConfig c && c.toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }

    @Override
    public String toString() {
        return "InstanceConfig[" + name + " " + interfaceName + " vrid " + vrid + " prio " + priority + " adv "
                + advertCentis + "cs addresses " + Arrays.toString(addresses) + " peers " + Arrays.toString(unicastPeers)
                + " preempt " + preempt + "/" + preemptDelayNanos + " master " + startAsMaster + " checksum "
                + (messageOnlyChecksum ? CHECKSUM_MESSAGE_ONLY : CHECKSUM_PSEUDO_HEADER) + "/" + acceptBothChecksums
                + " vmac " + useVmac + " garp " + garpMasterRepeat + "/" + garpMasterDelayNanos + "/"
                + garpLowerPrioRepeat + " track " + trackInterfaces + trackScripts + " group " + syncGroup
                + " notify " + notifyMaster + "|" + notifyBackup + "|" + notifyFault + "|" + notifyStop + "|" + notifyAny
                + "/" + notifyTimeoutNanos + " src " + sourceAddress + "]";
    }
}
