package org.jlvs.core.internal;

import java.util.ArrayList;
import java.util.List;

import org.jlvs.api.Ip6Address;
import org.jlvs.api.ServiceKey;

/**
 * The IPv6 part of a {@link ServiceIndex}: an immutable open-addressing map from (protocol, VIP6, port) to the
 * service, and the set of virtual IPv6 addresses, both keyed by the address's two halves so that the data path
 * looks up without allocation.
 */
final class Service6Index {
    private final long[] hi, lo;
    /** protocol << 16 | port, -1 for an empty cell. */
    private final int[] meta;
    private final Service[] values;
    private final long[] vipHi, vipLo;
    private final boolean[] vipUsed;
    private final int mask;

    Service6Index(List<Service> services) {
        int size = Integer.highestOneBit(Math.max(4, services.size() * 2 + 1)) * 2;
        mask = size - 1;
        hi = new long[size];
        lo = new long[size];
        meta = new int[size];
        values = new Service[size];
        vipHi = new long[size];
        vipLo = new long[size];
        vipUsed = new boolean[size];
        for (Service s : services) {
            ServiceKey k = s.key();
            Ip6Address a = k.address6();
            int m = k.protocol().number() << 16 | k.port();
            int i = slot(a.hi(), a.lo(), m);
            while (values[i] != null) i = (i + 1) & mask;
            hi[i] = a.hi();
            lo[i] = a.lo();
            meta[i] = m;
            values[i] = s;
            int j = slot(a.hi(), a.lo(), 0);
            while (vipUsed[j] && !(vipHi[j] == a.hi() && vipLo[j] == a.lo())) j = (j + 1) & mask;
            vipUsed[j] = true;
            vipHi[j] = a.hi();
            vipLo[j] = a.lo();
        }
    }

    private int slot(long h, long l, int m) {
        long x = (h * 0x9E3779B97F4A7C15L) ^ (l * 0xC2B2AE3D27D4EB4FL) ^ m;
        x ^= x >>> 29;
        return (int) (x ^ (x >>> 32)) & mask;
    }

    Service find(int protocol, long h, long l, int port) {
        Service s = get(protocol << 16 | port, h, l);
        return s != null ? s : get(protocol << 16, h, l);
    }

    private Service get(int m, long h, long l) {
        int i = slot(h, l, m);
        Service s;
        while ((s = values[i]) != null) {
            if (meta[i] == m && hi[i] == h && lo[i] == l) return s;
            i = (i + 1) & mask;
        }
        return null;
    }

    boolean isVirtualAddress(long h, long l) {
        int j = slot(h, l, 0);
        while (vipUsed[j]) {
            if (vipHi[j] == h && vipLo[j] == l) return true;
            j = (j + 1) & mask;
        }
        return false;
    }

    List<Ip6Address> addresses() {
        List<Ip6Address> out = new ArrayList<>();
        for (int j = 0; j < vipUsed.length; j++) {
            if (vipUsed[j]) out.add(new Ip6Address(vipHi[j], vipLo[j]));
        }
        return out;
    }
}
