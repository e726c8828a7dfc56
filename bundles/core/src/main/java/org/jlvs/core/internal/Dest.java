package org.jlvs.core.internal;

import java.util.concurrent.atomic.AtomicInteger;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.spi.RealServer;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.TunnelType;

/** A real server of one service at run time: its configuration, connection counts, counters and next hop. */
final class Dest implements RealServer {
    private volatile ServerConfig config;
    private volatile int lastWeight;
    final AtomicInteger active = new AtomicInteger();
    final AtomicInteger inactive = new AtomicInteger();
    final AtomicInteger persistent = new AtomicInteger();
    final StatsCounter stats = new StatsCounter();
    private volatile boolean overloaded;
    /** Where frames for this server go; resolved by the director, null while unknown. */
    volatile NextHop nextHop;
    /** The same for an IPv6 server. */
    volatile NextHop6 nextHop6;
    /** Removed from its service (its connections may live on); see net.ipv4.vs.expire_nodest_conn. */
    volatile boolean deleted;
    /** The missing route was logged: say it again only after it was found and lost. */
    volatile boolean routeWarned;

    Dest(ServerConfig config) {
        this.config = config;
        this.lastWeight = config.weight();
    }

    ServerConfig config() { return config; }

    void update(ServerConfig newConfig) {
        this.config = newConfig;
        if (newConfig.weight() > 0) lastWeight = newConfig.weight();
        updateOverload();
    }

    @Override public int address() { return config.address(); }
    @Override public org.jlvs.api.Ip6Address address6() { return config.address6(); }
    @Override public int port() { return config.port(); }
    @Override public ForwardMethod forwardMethod() { return config.method(); }
    @Override public TunnelType tunnelType() { return config.tunnelType(); }
    @Override public int tunnelPort() { return config.tunnelPort(); }
    @Override public int weight() { return config.weight(); }
    @Override public int lastWeight() { return lastWeight; }
    @Override public int activeConns() { return active.get(); }
    @Override public int inactiveConns() { return inactive.get(); }
    @Override public int persistentConns() { return persistent.get(); }
    @Override public boolean overloaded() { return overloaded; }

    /**
     * IPVS's threshold rule: OVERLOAD when active + inactive reaches the upper threshold, cleared below the
     * lower one (or below 3/4 of the upper one when no lower threshold is set).
     */
    void updateOverload() {
        ServerConfig c = config;
        int upper = c.upperThreshold();
        if (upper == 0) {
            overloaded = false;
            return;
        }
        int conns = active.get() + inactive.get();
        if (conns >= upper) {
            overloaded = true;
        } else if (overloaded) {
            int lower = c.lowerThreshold() > 0 ? c.lowerThreshold() : upper * 3 / 4;
            if (conns < lower) overloaded = false;
        }
    }

    /** A new connection entry starts as inactive (IPVS sets IP_VS_CONN_F_INACTIVE on new entries). */
    void connectionAdded() {
        inactive.incrementAndGet();
        updateOverload();
    }

    void connectionRemoved(boolean wasInactive) {
        if (wasInactive) inactive.decrementAndGet();
        else active.decrementAndGet();
        updateOverload();
    }

    void becameActive() {
        inactive.decrementAndGet();
        active.incrementAndGet();
    }

    void becameInactive() {
        active.decrementAndGet();
        inactive.incrementAndGet();
    }

    @Override
    public String toString() { return config.endpoint(); }
}
