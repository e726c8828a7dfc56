package org.jlvs.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The host's IPv4 routing table, read from /proc/net/route (this network namespace's), for finding the
 * interface and next hop toward a real server. Reloaded periodically by the director.
 */
final class Routes {
    record Route(String interfaceName, int destination, int mask, int gateway, int metric) {}

    private final Path procRoute;
    private volatile List<Route> routes = List.of();

    Routes(Path procRoute) {
        this.procRoute = procRoute;
    }

    void reload() {
        List<Route> list = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(procRoute);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                // Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT (hex, little-endian)
                String[] f = line.trim().split("\\s+");
                if (f.length < 8) continue;
                int flags = Integer.parseInt(f[3], 16);
                if ((flags & 0x1) == 0) continue; // RTF_UP
                list.add(new Route(f[0], le(f[1]), le(f[7]), le(f[2]), Integer.parseInt(f[6])));
            }
        } catch (IOException | RuntimeException e) {
            return; // keep the previous table
        }
        routes = List.copyOf(list);
    }

    private static int le(String hex) {
        return Integer.reverseBytes((int) Long.parseLong(hex, 16));
    }

    /** The most specific route to {@code address} (lowest metric on ties), or null. */
    Route lookup(int address) {
        Route best = null;
        for (Route r : routes) {
            if ((address & r.mask()) != (r.destination() & r.mask())) continue;
            if (best == null || Integer.bitCount(r.mask()) > Integer.bitCount(best.mask())
                    || (r.mask() == best.mask() && r.metric() < best.metric())) {
                best = r;
            }
        }
        return best;
    }

    List<Route> all() {
        return routes;
    }
}
