package org.jlvs.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.jlvs.api.Ip6Address;

/**
 * The host's IPv6 routes, read from /proc/net/ipv6_route (this network namespace's), for the interface and
 * gateway toward an IPv6 real server that no interface's prefix holds. Reloaded with the IPv4 routes.
 */
final class Routes6 {
    /** RTF_LOCAL: the host's own address (the kernel lists them on their interface), not a way out. */
    private static final int RTF_UP = 0x1, RTF_REJECT = 0x200, RTF_LOCAL = 0x8000_0000;

    /** A route: destination prefix (masked), its length, the gateway (both halves 0: on-link), the interface. */
    record Route(long hi, long lo, int prefixLength, long gatewayHi, long gatewayLo, int metric, String interfaceName) {
        boolean onLink() {
            return gatewayHi == 0 && gatewayLo == 0;
        }
    }

    private final Path procRoute;
    private volatile List<Route> routes = List.of();

    Routes6(Path procRoute) {
        this.procRoute = procRoute;
    }

    void reload() {
        List<Route> list = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(procRoute)) {
                // dest plen src plen nexthop metric refcnt use flags iface (hex, no header line)
                String[] f = line.trim().split("\\s+");
                if (f.length < 10 || f[0].length() != 32 || f[4].length() != 32) continue;
                int flags = (int) Long.parseLong(f[8], 16);
                if ((flags & RTF_UP) == 0 || (flags & (RTF_REJECT | RTF_LOCAL)) != 0 || f[9].equals("lo")) continue;
                int length = Integer.parseInt(f[1], 16);
                long hi = Long.parseUnsignedLong(f[0].substring(0, 16), 16);
                long lo = Long.parseUnsignedLong(f[0].substring(16), 16);
                list.add(new Route(Ip6Address.maskHi(hi, length), Ip6Address.maskLo(lo, length), length,
                        Long.parseUnsignedLong(f[4].substring(0, 16), 16), Long.parseUnsignedLong(f[4].substring(16), 16),
                        (int) Long.parseLong(f[5], 16), f[9]));
            }
        } catch (IOException | RuntimeException e) {
            return; // keep the previous table
        }
        routes = List.copyOf(list);
    }

    /** The most specific route to hi/lo (lowest metric on ties), or null. */
    Route lookup(long hi, long lo) {
        Route best = null;
        for (Route r : routes) {
            if (Ip6Address.maskHi(hi, r.prefixLength()) != r.hi() || Ip6Address.maskLo(lo, r.prefixLength()) != r.lo()) {
                continue;
            }
            if (best == null || r.prefixLength() > best.prefixLength()
                    || (r.prefixLength() == best.prefixLength() && r.metric() < best.metric())) {
                best = r;
            }
        }
        return best;
    }
}
