package org.jlvs.core.internal;

import java.util.Collection;

import org.jlvs.api.ServiceKey;

/**
 * An immutable open-addressing map from a packed service key (protocol, VIP, port) to the service, and the
 * set of virtual addresses, rebuilt on every configuration change so that the data path looks services up
 * without locks or allocation.
 */
final class ServiceIndex {
    static final ServiceIndex EMPTY = new ServiceIndex(java.util.List.of());

    private final long[] keys;
    private final Service[] values;
    private final int[] vips;
    private final int mask;
    private final int vipMask;

    ServiceIndex(Collection<Service> services) {
        int size = Integer.highestOneBit(Math.max(4, services.size() * 2 + 1)) * 2;
        keys = new long[size];
        values = new Service[size];
        mask = size - 1;
        vips = new int[size];
        vipMask = mask;
        boolean[] vipUsed = new boolean[size];
        for (Service s : services) {
            long key = s.key().packed();
            int i = slot(key);
            while (values[i] != null) i = (i + 1) & mask;
            keys[i] = key;
            values[i] = s;
            int a = s.key().address();
            int j = vipSlot(a);
            while (vipUsed[j] && vips[j] != a) j = (j + 1) & vipMask;
            vipUsed[j] = true;
            vips[j] = a;
        }
        this.vipUsed = vipUsed;
    }

    private final boolean[] vipUsed;

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    private int vipSlot(int address) {
        return (address * 0x9E3779B9 >>> 16) & vipMask;
    }

    /** The service for this packet, or null; a port-0 (all ports) service matches when no exact one does. */
    Service find(int protocol, int address, int port) {
        Service s = get(ServiceKey.pack(protocol, address, port));
        return s != null ? s : get(ServiceKey.pack(protocol, address, 0));
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

    boolean isVirtualAddress(int address) {
        int j = vipSlot(address);
        while (vipUsed[j]) {
            if (vips[j] == address) return true;
            j = (j + 1) & vipMask;
        }
        return false;
    }
}
