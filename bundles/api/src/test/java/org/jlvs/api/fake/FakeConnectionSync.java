package org.jlvs.api.fake;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.jlvs.api.Ip4;
import org.jlvs.api.sync.ConnectionSync;
import org.jlvs.api.sync.InstallResult;
import org.jlvs.api.sync.IpvsConn;
import org.jlvs.api.sync.SyncEntry;
import org.jlvs.api.sync.SyncEntrySink;
import org.jlvs.api.sync.SyncFeed;

/**
 * A connection table for sync tests: the services and real servers a test declares, entries in a map, and
 * {@link #install} with the contract's rules (binding, refusals, replace/ignore of an entry that points elsewhere,
 * flag masks, timeout 0 = protocol default). Thread-safe (synchronized): tests only.
 */
public final class FakeConnectionSync implements ConnectionSync {
    private final Set<String> services = new HashSet<>();
    private final Set<String> servers = new HashSet<>();
    private final Map<String, SyncEntry> entries = new LinkedHashMap<>();
    private final int capacity;
    private volatile SyncFeed feed;
    /** Calls of {@link #install}, whatever their result. */
    public final AtomicLong installs = new AtomicLong();

    public FakeConnectionSync(int capacity) {
        this.capacity = capacity;
    }

    /** Declares a service "TCP 10.0.0.100:80" (protocol number, VIP, port) with a real server. */
    public synchronized FakeConnectionSync service(int protocol, String vip, int vport, String server, int serverPort) {
        services.add(protocol + "|" + Ip4.parse(vip) + "|" + vport);
        servers.add(protocol + "|" + Ip4.parse(vip) + "|" + vport + "|" + Ip4.parse(server) + "|" + serverPort);
        return this;
    }

    @Override
    public void attach(SyncFeed f) {
        feed = f;
    }

    @Override
    public synchronized void detach(SyncFeed f) {
        if (feed == f) feed = null;
    }

    /** The attached feed (what the packet path would write to), or null. */
    public SyncFeed feed() {
        return feed;
    }

    /** Puts an entry in as if the local packet path had created it (for snapshots). */
    public synchronized void put(SyncEntry e) {
        entries.put(key(e), new SyncEntry().copyFrom(e));
    }

    @Override
    public synchronized InstallResult install(SyncEntry e) {
        installs.incrementAndGet();
        boolean template = e.isTemplate();
        int states = IpvsConn.states(e.protocol);
        if (states == 0 || e.state < 0 || e.state >= (template ? IpvsConn.TEMPLATE_STATES : states)
                || bad(e.clientPort) || bad(e.virtualPort) || bad(e.destPort)) {
            return InstallResult.INVALID;
        }
        String svc = e.protocol + "|" + e.virtualAddress + "|" + e.virtualPort;
        if (!services.contains(svc)) return InstallResult.UNKNOWN_SERVICE;
        if (!servers.contains(svc + "|" + e.destAddress + "|" + e.destPort)) return InstallResult.UNKNOWN_SERVER;
        String key = key(e);
        SyncEntry old = entries.get(key);
        InstallResult result = InstallResult.CREATED;
        if (old != null && !template && (old.destAddress != e.destAddress || old.destPort != e.destPort)) {
            if ((e.flags & IpvsConn.F_INACTIVE) != 0) return InstallResult.IGNORED;
            entries.remove(key);
            old = null;
            result = InstallResult.REPLACED;
        }
        if (old == null && entries.size() >= capacity) return InstallResult.TABLE_FULL;
        SyncEntry stored = new SyncEntry().copyFrom(e);
        if (old != null) {
            stored.flags = (e.flags & IpvsConn.F_BACKUP_UPD_MASK) | (old.flags & ~IpvsConn.F_BACKUP_UPD_MASK);
            result = InstallResult.UPDATED;
        } else {
            stored.flags = (e.flags & IpvsConn.F_BACKUP_MASK) | IpvsConn.F_SYNC;
        }
        if (stored.timeout == 0) stored.timeout = template ? IpvsConn.TEMPLATE_DEFAULT_TIMEOUT : defaultTimeout(e);
        entries.put(key, stored);
        return result;
    }

    private static boolean bad(int port) {
        return port < 0 || port > 65535;
    }

    private static int defaultTimeout(SyncEntry e) {
        if (e.protocol == IpvsConn.PROTO_UDP) return 300;
        int[] tcp = {2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120};
        return tcp[e.state];
    }

    private static String key(SyncEntry e) {
        String k = (e.isTemplate() ? "T|" : "C|") + e.protocol + "|" + e.clientAddress + "|" + e.clientPort + "|"
                + e.virtualAddress + "|" + e.virtualPort;
        return e.isTemplate() ? k + "|" + e.destAddress + "|" + e.destPort : k;
    }

    @Override
    public long snapshot(SyncEntry into, SyncEntrySink sink) {
        List<SyncEntry> copy;
        synchronized (this) {
            copy = new ArrayList<>(entries.values());
        }
        for (SyncEntry e : copy) sink.accept(into.copyFrom(e));
        return copy.size();
    }

    @Override
    public synchronized long entries() {
        return entries.size();
    }

    /** Copies of the entries now. */
    public synchronized List<SyncEntry> list() {
        List<SyncEntry> out = new ArrayList<>();
        for (SyncEntry e : entries.values()) out.add(new SyncEntry().copyFrom(e));
        return out;
    }

    /** The entry of a connection, or null. */
    public synchronized SyncEntry connection(int protocol, String client, int clientPort, String vip, int vport) {
        SyncEntry probe = new SyncEntry().set(protocol, 0, 0, Ip4.parse(client), clientPort, Ip4.parse(vip), vport, 0, 0, 0, 0);
        return entries.get(key(probe));
    }
}
