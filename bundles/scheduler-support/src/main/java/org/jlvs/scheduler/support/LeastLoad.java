package org.jlvs.scheduler.support;

import java.util.List;

import org.jlvs.api.spi.RealServer;

/**
 * The weighted least-connection rule of IPVS, shared by wlc, lblc and lblcr. Loads are compared as
 * {@code loh * w_d > doh * w_least} in 64 bits instead of dividing, so a tie keeps the earlier server.
 */
public final class LeastLoad {
    private LeastLoad() {}

    /** Whether a server with overhead {@code doh} and weight {@code dw} is less loaded than the current least. */
    public static boolean lessLoaded(long doh, int dw, long loh, int lw) {
        return loh * dw > doh * lw;
    }

    /**
     * IPVS wlc: the first server that is not overloaded and has a weight above 0 starts as the least; every
     * later server that is not overloaded replaces it when strictly less loaded. (A later server with weight 0
     * can never win: {@code loh * 0 > doh * w} is false.) Null when no server is available.
     */
    public static RealServer weightedLeastConnection(List<? extends RealServer> servers) {
        RealServer least = null;
        long loh = 0;
        int lw = 0;
        for (int i = 0, n = servers.size(); i < n; i++) {
            RealServer d = servers.get(i);
            if (d.overloaded()) continue;
            if (least == null) {
                int w = d.weight();
                if (w > 0) {
                    least = d;
                    loh = d.overhead();
                    lw = w;
                }
                continue;
            }
            long doh = d.overhead();
            int dw = d.weight();
            if (lessLoaded(doh, dw, loh, lw)) {
                least = d;
                loh = doh;
                lw = dw;
            }
        }
        return least;
    }

    /**
     * lblc/lblcr's own "overloaded" test for a cached server: it has more active connections than its weight
     * while some server of the service has fewer than half its weight (IPVS {@code is_overloaded} in
     * ip_vs_lblc.c). Every server of the list is considered, as in IPVS.
     */
    public static boolean localityOverloaded(RealServer dest, List<? extends RealServer> servers) {
        if (dest.activeConns() > dest.weight()) {
            for (int i = 0, n = servers.size(); i < n; i++) {
                RealServer d = servers.get(i);
                if ((long) d.activeConns() * 2 < d.weight()) return true;
            }
        }
        return false;
    }
}
