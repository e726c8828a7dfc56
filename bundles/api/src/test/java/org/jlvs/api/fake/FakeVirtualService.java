package org.jlvs.api.fake;

import java.util.ArrayList;
import java.util.List;

import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.spi.RealServer;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.spi.VirtualService;

/**
 * A virtual service whose server list a test replaces. Like the real table it publishes a new immutable
 * snapshot on every change and returns the same instance until the next change.
 */
public final class FakeVirtualService implements VirtualService {
    private final ServiceKey key;
    private volatile String schedulerName;
    private volatile int schedulerFlags;
    private volatile List<RealServer> servers = List.of();

    public FakeVirtualService(ServiceKey key, String schedulerName) {
        this.key = key;
        this.schedulerName = schedulerName;
    }

    /** A TCP service on 10.0.0.100:80 with the given servers. */
    public static FakeVirtualService of(String schedulerName, RealServer... servers) {
        FakeVirtualService svc = new FakeVirtualService(
                new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.100"), 80), schedulerName);
        svc.setServers(List.of(servers));
        return svc;
    }

    public FakeVirtualService setServers(List<? extends RealServer> newServers) {
        this.servers = List.copyOf(newServers);
        return this;
    }

    /** Appends a server at the end of the list, as IPVS adds a destination. */
    public FakeVirtualService add(RealServer server) {
        List<RealServer> next = new ArrayList<>(servers);
        next.add(server);
        return setServers(next);
    }

    public FakeVirtualService remove(RealServer server) {
        List<RealServer> next = new ArrayList<>(servers);
        if (!next.remove(server)) throw new IllegalArgumentException("not a server of this service: " + server);
        return setServers(next);
    }

    /** Replaces one server by another in the same place (an edit that publishes a new object). */
    public FakeVirtualService replace(RealServer old, RealServer replacement) {
        List<RealServer> next = new ArrayList<>(servers);
        int i = next.indexOf(old);
        if (i < 0) throw new IllegalArgumentException("not a server of this service: " + old);
        next.set(i, replacement);
        return setServers(next);
    }

    public FakeVirtualService setSchedulerFlags(int flags) {
        this.schedulerFlags = flags;
        return this;
    }

    public FakeVirtualService setSchedulerName(String name) {
        this.schedulerName = name;
        return this;
    }

    @Override public ServiceKey key() { return key; }
    @Override public String schedulerName() { return schedulerName; }
    @Override public int schedulerFlags() { return schedulerFlags; }
    @Override public List<? extends RealServer> realServers() { return servers; }
}
