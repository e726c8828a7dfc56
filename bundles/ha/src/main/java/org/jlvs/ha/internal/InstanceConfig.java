package org.jlvs.ha.internal;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jlvs.api.Ip4;
import org.jlvs.api.Ip6Address;
import org.jlvs.packet.Ipv6;
import org.jlvs.packet.Vrrp;

/**
 * One VRRP instance's settings, checked: keepalived's vrrp_instance keywords (keepalived.conf(5)) with its
 * defaults. {@link #parse} refuses a bad value with the key and the reason.
 *
 * @param sourceAddress the adverts' source (unicast_src_ip / mcast_src_ip); 0 = the interface's first IPv4
 *     address
 * @param acceptBothChecksums receive adverts whose checksum is in either form; otherwise only in the form sent
 * @param addresses6 the virtual addresses of an IPv6 instance (then {@code addresses} is empty): the family of
 *     an instance is that of its first virtual_ipaddress, as in keepalived; an address of the other family is
 *     refused (keepalived logs "address family must match VRRP instance" and drops it: a silent half-config)
 * @param sourceAddress6 the adverts' source of an IPv6 instance (mcast_src_ip, link-local); null = the
 *     interface's link-local address
 */
record InstanceConfig(String name, String interfaceName, int vrid, int priority, int advertCentis,
                      boolean startAsMaster, boolean preempt, long preemptDelayNanos, int[] addresses,
                      int sourceAddress, int[] unicastPeers, boolean messageOnlyChecksum,
                      boolean acceptBothChecksums, boolean useVmac, int garpMasterRepeat, long garpMasterDelayNanos,
                      int garpLowerPrioRepeat, List<String> trackInterfaces, List<String> trackScripts,
                      String syncGroup, String notifyMaster, String notifyBackup, String notifyFault,
                      String notifyStop, String notifyAny, long notifyTimeoutNanos, Ip6Address[] addresses6,
                      Ip6Address sourceAddress6) {

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
    /** IPv6: (1500 - 40 - 8) / 16 addresses fit a 1500-byte MTU. */
    static final int MAX_ADDRESSES6 = 90;

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
        List<String> vips = r.list("virtual_ipaddress");
        if (vips.isEmpty()) throw ConfigReader.bad("virtual_ipaddress", "at least one address is required");
        if (vips.size() > MAX_ADDRESSES) {
            throw ConfigReader.bad("virtual_ipaddress", vips.size() + " addresses, at most " + MAX_ADDRESSES);
        }
        boolean ipv6 = ConfigReader.isIpv6(vips.get(0));
        for (String vip : vips) {
            if (ConfigReader.isIpv6(vip) != ipv6) {
                throw ConfigReader.bad("virtual_ipaddress", vip + " is " + (ipv6 ? "IPv4" : "IPv6") + " but the instance is "
                        + (ipv6 ? "IPv6" : "IPv4") + " (its first address " + vips.get(0) + "): an instance is of one "
                        + "family, use a second instance for the other");
            }
        }
        int[] addresses = ipv6 ? new int[0] : r.addresses("virtual_ipaddress");
        Ip6Address[] addresses6 = new Ip6Address[ipv6 ? vips.size() : 0];
        for (int i = 0; i < addresses6.length; i++) addresses6[i] = r.address6("virtual_ipaddress", vips.get(i));
        if (addresses6.length > MAX_ADDRESSES6) {
            throw ConfigReader.bad("virtual_ipaddress", addresses6.length + " IPv6 addresses, at most " + MAX_ADDRESSES6);
        }
        requireDistinct("virtual_ipaddress", addresses);
        requireDistinct6(addresses6);
        String source = r.string("unicast_src_ip", r.string("mcast_src_ip", null));
        int sourceAddress = source == null || ipv6 ? 0 : r.address("unicast_src_ip", source);
        Ip6Address sourceAddress6 = source == null || !ipv6 ? null : linkLocal(r.address6("mcast_src_ip", source));
        int[] peers = r.addresses("unicast_peer");
        requireDistinct("unicast_peer", peers);
        if (ipv6 && peers.length > 0) throw ConfigReader.bad("unicast_peer", "not supported for an IPv6 instance (multicast only)");
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
        if (ipv6 && checksum.equals(CHECKSUM_MESSAGE_ONLY)) {
            throw ConfigReader.bad("checksum", "message-only is IPv4 only: over IPv6 the checksum always covers the pseudo-header");
        }
        if (priority == Vrrp.PRIORITY_OWNER && nopreempt) {
            throw ConfigReader.bad("nopreempt", "the address owner (priority 255) always preempts");
        }
        return new InstanceConfig(name, iface, vrid, priority, advert, state.equals("master"), !nopreempt,
                preemptDelay, addresses, sourceAddress, peers, checksum.equals(CHECKSUM_MESSAGE_ONLY),
                accept.equals(ACCEPT_BOTH), vmac, garpRepeat, garpDelay, garpLower, r.list("track_interface"),
                r.list("track_script"), group, r.string("notify_master", null), r.string("notify_backup", null),
                r.string("notify_fault", null), r.string("notify_stop", null), r.string("notify", null),
                notifyTimeout, addresses6, sourceAddress6);
    }

    private static Ip6Address linkLocal(Ip6Address a) {
        if (!Ipv6.isLinkLocal(a.hi())) {
            throw ConfigReader.bad("mcast_src_ip", a + " is not link-local (fe80::/10): RFC 5798 adverts go from one");
        }
        return a;
    }

    private static void requireDistinct6(Ip6Address[] addresses) {
        Set<Ip6Address> seen = new HashSet<>();
        for (Ip6Address a : addresses) {
            if (!seen.add(a)) throw ConfigReader.bad("virtual_ipaddress", a + " is listed twice");
        }
    }

    /** An IPv6 instance: adverts over IPv6 to ff02::12, unsolicited Neighbour Advertisements on takeover. */
    boolean ipv6() {
        return addresses6.length > 0;
    }

    /** How many virtual addresses the adverts carry. */
    int addressCount() {
        return ipv6() ? addresses6.length : addresses.length;
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
                + "/" + notifyTimeoutNanos + " src " + sourceAddress + " addresses6 " + Arrays.toString(addresses6)
                + " src6 " + sourceAddress6 + "]";
    }
}
