package org.jlvs.core.internal;

import java.util.ArrayList;
import java.util.List;

import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.spi.VirtualService;

/**
 * A virtual service at run time. Its real servers are an immutable list replaced on every change (the data
 * path reads it without locks); changes are serialised by the {@link ServiceTable}.
 */
final class Service implements VirtualService {
    private volatile ServiceConfig config;
    private volatile List<Dest> dests = List.of();
    /** The scheduler bound now, or null while the named scheduler is not installed. */
    volatile Scheduler scheduler;
    volatile Scheduler.Binding binding;
    /** Set once the missing scheduler was logged, so the log is not flooded. */
    volatile boolean missingSchedulerLogged;
    /** When the bound scheduler's service left (0: it has not); see {@link #orphan}. */
    volatile long orphanedSinceNanos;
    final StatsCounter stats = new StatsCounter();

    Service(ServiceConfig config) {
        this.config = config;
    }

    ServiceConfig config() { return config; }

    void setConfig(ServiceConfig config) { this.config = config; }

    @Override public ServiceKey key() { return config.key(); }
    @Override public String schedulerName() { return config.scheduler(); }
    @Override public int schedulerFlags() { return config.schedulerFlags(); }
    @Override public List<Dest> realServers() { return dests; }

    /** The IPv4 server at address and port, or null (an IPv6 server's int address is only its fold). */
    Dest find(int address, int port) {
        for (Dest d : dests) {
            if (d.address6() == null && d.address() == address && d.port() == port) return d;
        }
        return null;
    }

    /** The IPv6 server at address and port, or null. */
    Dest find6(org.jlvs.api.Ip6Address address, int port) {
        for (Dest d : dests) {
            if (address.equals(d.address6()) && d.port() == port) return d;
        }
        return null;
    }

    /** The server with {@code config}'s address and port, of its family, or null. */
    Dest find(org.jlvs.api.ServerConfig config) {
        return config.isIpv6() ? find6(config.address6(), config.port()) : find(config.address(), config.port());
    }

    /** The first server at {@code address}, whatever its port, or null. */
    Dest findByAddress(int address) {
        for (Dest d : dests) {
            if (d.address6() == null && d.address() == address) return d;
        }
        return null;
    }

    void addDest(Dest dest) {
        List<Dest> next = new ArrayList<>(dests);
        next.add(dest);
        dests = List.copyOf(next);
        notifyScheduler();
    }

    void removeDest(Dest dest) {
        List<Dest> next = new ArrayList<>(dests);
        next.remove(dest);
        dests = List.copyOf(next);
        notifyScheduler();
    }

    void notifyScheduler() {
        Scheduler.Binding b = binding;
        if (b != null) b.update();
    }

    /**
     * Binds {@code s} (or nothing) as this service's scheduler. The new binding is built before it replaces
     * the old one, so a new connection arriving meanwhile is never refused.
     */
    void bind(Scheduler s) {
        Scheduler.Binding old = binding;
        Scheduler.Binding next = s == null ? null : s.bind(this);
        binding = next;
        scheduler = s;
        orphanedSinceNanos = 0;
        if (s != null) missingSchedulerLogged = false;
        if (old != null) old.unbind();
    }

    /**
     * The bound scheduler's service went away (its bundle stops, for an update or an uninstall). The binding
     * keeps serving new connections for a short grace period: a bundle update re-registers within
     * milliseconds and then takes over without a single refused connection. An uninstall, or a grace period
     * that runs out, unbinds for good.
     */
    void orphan(long nowNanos) {
        orphanedSinceNanos = nowNanos == 0 ? 1 : nowNanos;
    }

    boolean orphaned() {
        return orphanedSinceNanos != 0;
    }
}
