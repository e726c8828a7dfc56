package org.jlvs.core.internal;

import java.util.ArrayList;
import java.util.List;

import org.jlvs.api.Scheduler;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.VirtualService;

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

    Dest find(int address, int port) {
        for (Dest d : dests) {
            if (d.address() == address && d.port() == port) return d;
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

    /** Binds {@code s} (or nothing) as this service's scheduler, dropping the previous binding. */
    void bind(Scheduler s) {
        Scheduler.Binding old = binding;
        binding = null;
        scheduler = null;
        if (old != null) old.unbind();
        if (s != null) {
            binding = s.bind(this);
            scheduler = s;
            missingSchedulerLogged = false;
        }
    }
}
