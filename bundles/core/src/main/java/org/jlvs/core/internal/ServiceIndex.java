package org.jlvs.core.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.jlvs.api.MarkRule;
import org.jlvs.api.ServiceKey;

/**
 * An immutable open-addressing map from a packed service key (protocol, VIP, port; or a mark) to the service,
 * the set of virtual addresses and the mark classifier, rebuilt on every configuration change so that the
 * data path looks services up without locks or allocation.
 */
final class ServiceIndex {
    static final ServiceIndex EMPTY = new ServiceIndex(List.of());
    /** A mark rule's range is announced with gratuitous ARP address by address only up to this size. */
    static final int MAX_ANNOUNCED_RANGE = 256;

    private final long[] keys;
    private final Service[] values;
    private final int[] vips;
    private final boolean[] vipUsed;
    private final int mask;
    private final int vipMask;
    private final MarkClassifier marks;
    /** The rules whose mark has a service: their addresses are the director's, as VIPs are. */
    private final MarkClassifier ownedMarks;
    /** The IPv6 services, apart: their packed keys are not unique (see {@link ServiceKey#packed()}). */
    private final Service6Index v6;

    ServiceIndex(Collection<Service> services) {
        this(services, List.of());
    }

    ServiceIndex(Collection<Service> services, List<MarkRule> rules) {
        int size = Integer.highestOneBit(Math.max(4, services.size() * 2 + 1)) * 2;
        keys = new long[size];
        values = new Service[size];
        mask = size - 1;
        vips = new int[size];
        vipMask = mask;
        vipUsed = new boolean[size];
        List<Service> ipv6 = new ArrayList<>();
        for (Service s : services) {
            if (s.key().isIpv6()) {
                ipv6.add(s);
                continue;
            }
            long key = s.key().packed();
            int i = slot(key);
            while (values[i] != null) i = (i + 1) & mask;
            keys[i] = key;
            values[i] = s;
            if (s.key().isFwmark()) continue; // its addresses are its rules'
            int a = s.key().address();
            int j = vipSlot(a);
            while (vipUsed[j] && vips[j] != a) j = (j + 1) & vipMask;
            vipUsed[j] = true;
            vips[j] = a;
        }
        v6 = new Service6Index(ipv6);
        marks = rules.isEmpty() ? MarkClassifier.EMPTY : new MarkClassifier(rules);
        List<MarkRule> owned = new ArrayList<>();
        for (MarkRule r : rules) {
            if (get(ServiceKey.fwmark(r.mark()).packed()) != null) owned.add(r);
        }
        ownedMarks = owned.isEmpty() ? MarkClassifier.EMPTY : new MarkClassifier(owned);
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private int vipSlot(int address) {
        return (address * 0x9E3779B9 >>> 16) & vipMask;
    }

    /**
     * The service for a new flow, or null. As ip_vs_service_find: the mark service of the flow's mark first
     * (on Linux a marked packet goes to its fwmark service before any address service is looked up); then
     * the exact (protocol, address, port) service; then a port-0 (all ports) service of the address.
     */
    Service find(int protocol, int address, int port) {
        if (marks.size() > 0) {
            int mark = marks.classify(protocol, address, port);
            if (mark != 0) {
                Service s = get(ServiceKey.pack(0, mark, 0)); // ServiceKey.fwmark(mark).packed()
                if (s != null) return s;
            }
        }
        Service s = get(ServiceKey.pack(protocol, address, port));
        return s != null ? s : get(ServiceKey.pack(protocol, address, 0));
    }

    /**
     * The IPv6 service for a new flow to (hi, lo) and port, or null: the exact one, then a port-0 one of the
     * address (mark services are IPv4 only). No allocation.
     */
    Service find6(int protocol, long hi, long lo, int port) {
        return v6.find(protocol, hi, lo, port);
    }

    /** Whether (hi, lo) is the virtual address of an IPv6 service (answered for NS and echo). */
    boolean isVirtualAddress6(long hi, long lo) {
        return v6.isVirtualAddress(hi, lo);
    }

    /** The virtual IPv6 addresses, announced with an unsolicited Neighbour Advertisement when they appear. */
    List<org.jlvs.api.Ip6Address> announcedAddresses6() {
        return v6.addresses();
    }

    /** The firewall-mark service of {@code mark} (ipvsadm -f), or null. */
    Service findMark(int mark) {
        return get(ServiceKey.pack(0, mark, 0)); // ServiceKey.fwmark(mark).packed()
    }

    private Service get(long key) {
        int i = slot(key);
        Service s;
        while ((s = values[i]) != null) {
            if (keys[i] == key) return s;
            i = (i + 1) & mask;
        }
        return null;
    }

    /** Whether the director owns the address: a service's VIP, or covered by a rule of a mark service. */
    boolean isVirtualAddress(int address) {
        int j = vipSlot(address);
        while (vipUsed[j]) {
            if (vips[j] == address) return true;
            j = (j + 1) & vipMask;
        }
        return ownedMarks.size() > 0 && ownedMarks.covers(address);
    }

    /**
     * The addresses to announce with gratuitous ARP: every VIP, and each address of a mark service's rule
     * of at most {@value #MAX_ANNOUNCED_RANGE} addresses (a larger range is answered, never announced: a
     * flood of gratuitous ARP for a /16 would help nobody).
     */
    List<Integer> announcedAddresses() {
        List<Integer> out = new ArrayList<>();
        for (int j = 0; j < vips.length; j++) {
            if (vipUsed[j]) out.add(vips[j]);
        }
        for (int i = 0; i < ownedMarks.size(); i++) {
            long first = ownedMarks.firstAddress(i) & 0xffffffffL, last = ownedMarks.lastAddress(i) & 0xffffffffL;
            if (last - first + 1 > MAX_ANNOUNCED_RANGE) continue;
            for (long a = first; a <= last; a++) out.add((int) a);
        }
        return out;
    }
}
