package org.jlvs.scheduler.support;

import java.util.List;

import org.jlvs.api.spi.RealServer;

/** Weight arithmetic shared by the table-building schedulers (wrr, mh). */
public final class Weights {
    private Weights() {}

    public static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** Greatest common divisor of the weights above 0, or 0 when no server has one (ip_vs_wrr_gcd_weight). */
    public static int gcdOfWeights(List<? extends RealServer> servers) {
        int g = 0;
        for (RealServer s : servers) {
            int w = s.weight();
            if (w > 0) g = g > 0 ? gcd(w, g) : w;
        }
        return g;
    }

    /** The same over {@link RealServer#lastWeight()}, as mh uses it. */
    public static int gcdOfLastWeights(List<? extends RealServer> servers) {
        int g = 0;
        for (RealServer s : servers) {
            int w = s.lastWeight();
            if (w > 0) g = g > 0 ? gcd(w, g) : w;
        }
        return g;
    }

    /** Largest weight, 0 for an empty list. */
    public static int maxWeight(List<? extends RealServer> servers) {
        int max = 0;
        for (RealServer s : servers) max = Math.max(max, s.weight());
        return max;
    }

    public static int maxLastWeight(List<? extends RealServer> servers) {
        int max = 0;
        for (RealServer s : servers) max = Math.max(max, s.lastWeight());
        return max;
    }
}
