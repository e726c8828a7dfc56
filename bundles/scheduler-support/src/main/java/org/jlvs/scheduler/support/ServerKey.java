package org.jlvs.scheduler.support;

import java.util.List;
import java.util.Objects;

import org.jlvs.api.Ip6Address;
import org.jlvs.api.spi.RealServer;

/**
 * A real server's identity within a service (address and port), packed in a long. The data path may publish
 * new RealServer objects when a server is edited; schedulers that keep state across snapshots (cursors,
 * caches) find "the same server" in the new snapshot by this key.
 *
 * <p>An IPv6 server's int address is its fold, so the packed long of two IPv6 servers with the same fold and
 * port is the same: {@link #indexOf} and {@link #identity} also compare the whole IPv6 address.
 */
public final class ServerKey {
    private ServerKey() {}

    public static long of(int address, int port) {
        return ((address & 0xffffffffL) << 16) | (port & 0xffff);
    }

    public static long of(RealServer s) {
        return of(s.address(), s.port());
    }

    /** A map key for the server's identity: its packed long, or its whole IPv6 address and port. */
    public static Object identity(RealServer s) {
        Ip6Address address6 = s.address6();
        return address6 == null ? (Object) of(s) : new Endpoint6(address6, s.port());
    }

    private record Endpoint6(Ip6Address address, int port) {}

    /** Index of the server with the same address and port in {@code servers}, or -1. */
    public static int indexOf(List<? extends RealServer> servers, RealServer s) {
        int address = s.address();
        int port = s.port();
        Ip6Address address6 = s.address6();
        for (int i = 0, n = servers.size(); i < n; i++) {
            RealServer c = servers.get(i);
            if (c == s || (c.address() == address && c.port() == port && Objects.equals(c.address6(), address6))) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Where a list cursor goes when the server list changes, as IPVS moves it: it stays on its server if that
     * server is still there, otherwise it falls back to the nearest earlier server that is still there
     * (ip_vs_rr_del_dest), or to the list head (-1).
     *
     * @param cursor index in {@code before}, or -1 for the list head
     */
    public static int remapCursor(List<? extends RealServer> before, int cursor,
                                  List<? extends RealServer> after) {
        for (int i = Math.min(cursor, before.size() - 1); i >= 0; i--) {
            int j = indexOf(after, before.get(i));
            if (j >= 0) return j;
        }
        return -1;
    }
}
