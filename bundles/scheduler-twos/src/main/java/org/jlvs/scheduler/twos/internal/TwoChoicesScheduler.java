package org.jlvs.scheduler.twos.internal;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.spi.VirtualService;
import org.jlvs.scheduler.support.LeastLoad;
import org.osgi.service.component.annotations.Component;

/**
 * IPVS twos (ip_vs_twos.c, power of two choices): two servers drawn at random in proportion to their
 * weights, and the one with the lower {@code overhead / weight} wins (the first on a tie). As in the kernel
 * the draws are {@code rand % (sum of weights + 1)} and a server is chosen when the running draw reaches
 * {@code <= 0}, which gives the first available server one extra share: (w1 + 1) / (W + 1).
 * Stateless apart from the random source (per-thread by default, so no lock).
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=twos")
public final class TwoChoicesScheduler implements Scheduler {
    private final Supplier<? extends RandomGenerator> random;

    public TwoChoicesScheduler() {
        this(ThreadLocalRandom::current);
    }

    /** With another random source, e.g. a seeded one for tests; it is asked once per pick. */
    TwoChoicesScheduler(Supplier<? extends RandomGenerator> random) {
        this.random = random;
    }

    @Override
    public Binding bind(VirtualService service) {
        return flow -> pick(service.realServers(), random.get());
    }

    static RealServer pick(List<? extends RealServer> servers, RandomGenerator rnd) {
        long total = 0;
        RealServer choice1 = null;
        int n = servers.size();
        for (int i = 0; i < n; i++) {
            RealServer d = servers.get(i);
            if (d.available()) {
                total += d.weight();
                choice1 = d;
            }
        }
        if (choice1 == null) return null;
        total += 1; // draws include the sum itself
        long r1 = rnd.nextLong(total);
        long r2 = rnd.nextLong(total);
        RealServer choice2 = null;
        int w1 = -1;
        int w2 = -1;
        long oh1 = 0;
        long oh2 = 0;
        for (int i = 0; i < n && (w1 == -1 || w2 == -1); i++) {
            RealServer d = servers.get(i);
            if (d.overloaded()) continue;
            int w = d.weight();
            if (w <= 0) continue;
            r1 -= w;
            r2 -= w;
            if (r1 <= 0 && w1 == -1) {
                choice1 = d;
                w1 = w;
                oh1 = d.overhead();
            }
            if (r2 <= 0 && w2 == -1) {
                choice2 = d;
                w2 = w;
                oh2 = d.overhead();
            }
        }
        // overhead2 / w2 < overhead1 / w1, compared in 64 bits (the kernel multiplies in int)
        if (choice2 != null && LeastLoad.lessLoaded(oh2, w2, oh1, w1)) choice1 = choice2;
        return choice1;
    }
}
