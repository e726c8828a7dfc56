package org.jlvs.core.internal;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.sync.ConnectionSync;
import org.jlvs.api.sync.InstallResult;
import org.jlvs.api.sync.IpvsConn;
import org.jlvs.api.sync.SyncEntry;
import org.jlvs.api.sync.SyncEntrySink;
import org.jlvs.api.sync.SyncFeed;
import org.jlvs.api.sync.SyncRule;

/**
 * The core's side of connection sync ({@link ConnectionSync}): the master's feed in the table's one volatile
 * field, and a backup's entries checked and bound to this director's own services before the table installs
 * them (ip_vs_proc_conn). The per-packet part lives in {@link ConnTable#update}.
 */
final class SyncSupport implements ConnectionSync {
    private final DataPlane plane;

    SyncSupport(DataPlane plane) {
        this.plane = plane;
    }

    @Override
    public synchronized void attach(SyncFeed feed) {
        plane.conns.syncFeed = java.util.Objects.requireNonNull(feed, "feed");
    }

    @Override
    public synchronized void detach(SyncFeed feed) {
        if (plane.conns.syncFeed == feed) plane.conns.syncFeed = null;
    }

    /** The protocol of a firewall-mark service's template (ip_vs_sched_persist: IPPROTO_IP). */
    private static final int IPPROTO_IP = 0;

    @Override
    public InstallResult install(SyncEntry e) {
        boolean template = e.isTemplate();
        // a mark service's template covers every protocol of the mark: <IPPROTO_IP, caddr, 0, fwmark, 0>
        boolean markTemplate = template && e.protocol == IPPROTO_IP && e.fwmark != 0;
        int states = markTemplate ? IpvsConn.TEMPLATE_STATES : IpvsConn.states(e.protocol);
        if (states == 0) return InstallResult.INVALID;
        if (e.state < 0 || e.state >= (template ? IpvsConn.TEMPLATE_STATES : states)) return InstallResult.INVALID;
        if ((e.flags & IpvsConn.F_ONE_PACKET) != 0 || e.timeout < 0) return InstallResult.INVALID;
        // jlvs keys a template by the masked client alone (no persistence engines, no NO_CPORT entries)
        if (template && e.clientPort != 0) return InstallResult.INVALID;
        if (!template && (e.clientPort <= 0 || e.clientPort > 0xffff)) return InstallResult.INVALID;
        if (e.virtualPort < 0 || e.virtualPort > 0xffff || e.destPort < 0 || e.destPort > 0xffff) {
            return InstallResult.INVALID;
        }
        Service service = service(e, markTemplate);
        if (service == null) return InstallResult.UNKNOWN_SERVICE;
        Dest dest = dest(service, e);
        if (dest == null) return InstallResult.UNKNOWN_SERVER;
        int timeout = e.timeout;
        if (timeout == 0) {
            timeout = template ? IpvsConn.TEMPLATE_DEFAULT_TIMEOUT : plane.conns.stateTimeout(e.protocol, e.state);
        }
        timeout = Math.min(timeout, ConnTable.MAX_TIMEOUT);
        SyncFeed feed = plane.conns.syncFeed;
        int threshold = (feed != null ? feed.rule() : SyncRule.DEFAULT).threshold();
        InstallResult result = plane.conns.install(e, service, dest, timeout, threshold);
        // NAT replies go back through this director once it is master: know the client's next hop by then
        if (!template && dest.forwardMethod() == ForwardMethod.MASQ
                && (result == InstallResult.CREATED || result == InstallResult.REPLACED)) {
            plane.primeNeighbourToward(e.clientAddress);
        }
        return result;
    }

    /**
     * As ip_vs_service_find: the service of the entry's mark first (a peer sends the mark of the packets that
     * made the connection), then the (protocol, address, port) one and a port-0 one of the address.
     */
    private Service service(SyncEntry e, boolean markTemplate) {
        ServiceIndex index = plane.services.index();
        if (e.fwmark != 0) {
            Service s = index.findMark(e.fwmark);
            if (s != null || markTemplate) return s;
        }
        return index.find(e.protocol, e.virtualAddress, e.virtualPort);
    }

    /**
     * As ip_vs_find_dest: the server at the entry's address and port, or a port-0 one; a mark service's
     * servers of another method than NAT are found by address alone (the kernel looks them up with port 0).
     */
    private static Dest dest(Service service, SyncEntry e) {
        Dest dest = service.find(e.destAddress, e.destPort);
        if (dest == null && (e.destPort == e.virtualPort || service.key().isFwmark())) dest = service.find(e.destAddress, 0);
        if (dest == null && service.key().isFwmark()) dest = service.findByAddress(e.destAddress);
        return dest;
    }

    @Override
    public long snapshot(SyncEntry into, SyncEntrySink sink) {
        return plane.conns.snapshot(into, sink);
    }

    @Override
    public long entries() {
        return plane.conns.size();
    }
}
