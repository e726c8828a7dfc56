package org.jlvs.core.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.packet.Arp;
import org.jlvs.packet.Ethernet;
import org.jlvs.packet.Ndp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The director's data plane without OSGi: the service table, the connection table, the interfaces in use,
 * routes and neighbours, and the periodic work (expiry, rates, ARP). The DS component wires it to the
 * registry; tests drive it with fake channels and a settable clock.
 */
final class DataPlane {
    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);
    private static final long NEIGHBOUR_REFRESH_NANOS = 30_000_000_000L;

    final DataPathCounters counters = new DataPathCounters();
    final ConnTable conns;
    /** The IPv6 connections, capped at half of the IPv4 table's cap, on the same timeouts. */
    final Conn6Table conns6;
    /** net.ipv4.vs.* settings: the Config Admin ones while jlvs-core's sysctl component runs, else defaults. */
    volatile Sysctls sysctls = new Sysctls();
    final LongSupplier clock;
    final ServiceTable services;
    /** The VRRP role: which addresses this director may answer for and forward now. */
    final RoleGate role = new RoleGate();
    final Routes routes;
    final Routes6 routes6;
    private final Path procArp;
    private final Executor controlSender;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    /** The control sender's frame: ARP, and Neighbour Solicitations and Advertisements (86 bytes). */
    private final byte[] arpBuffer = new byte[128];
    private final java.util.Set<Integer> announced = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final java.util.Set<org.jlvs.api.Ip6Address> announced6 = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * @param controlSender runs the sends of ARP requests and announcements: one thread in production, so
     *                      that shell threads never open send handles of their own
     */
    DataPlane(LongSupplier clock, Path procRoute, Path procArp, Executor controlSender) {
        this(clock, procRoute, procArp, controlSender, ConnTable.defaultMaxEntries());
    }

    /** @param maxConnections the connection table's cap (entries) */
    DataPlane(LongSupplier clock, Path procRoute, Path procArp, Executor controlSender, int maxConnections) {
        this.controlSender = controlSender;
        this.clock = clock;
        this.conns = new ConnTable(clock, maxConnections);
        this.conns6 = new Conn6Table(clock, Math.max(1, maxConnections / 2), conns::stateTimeout);
        this.routes = new Routes(procRoute);
        this.routes6 = new Routes6(procRoute.resolveSibling("ipv6_route")); // /proc/net/route's sibling
        this.procArp = procArp;
        this.services = new ServiceTable(this::resolve, this::announce);
        // no VRRP instance names a VIP6: a takeover advertises them all again, as the ha bundle's gratuitous ARP
        role.onServingIpv6(() -> {
            announced6.clear();
            announce6(services.index());
        });
        routes.reload();
        routes6.reload();
    }

    Neighbours newNeighbours(String interfaceName) {
        return new Neighbours(interfaceName, procArp);
    }

    void addLink(Link link) {
        links.add(link);
    }

    List<Link> links() {
        return links;
    }

    /**
     * The interface toward {@code address} and the MAC of its next hop, for a reply on an entry learnt from a
     * peer before any packet of its client came here; null (and an ARP request sent) while the MAC is unknown.
     */
    Link linkToward(int address, long[] mac) {
        Link out = outLink(address);
        if (out == null) return null;
        int via = nextHop(address, out);
        long m = (via == address ? out.neighbours.forClient(via) : out.neighbours.entry(via)).mac;
        if (m == Neighbours.UNKNOWN) {
            requestArp(out, via);
            return null;
        }
        mac[0] = m;
        return out;
    }

    /**
     * A connection learnt from a peer will send its replies toward {@code address} once this director is
     * master: resolve that next hop's MAC now, while backup. Else the first reply after a takeover is dropped
     * for an ARP round trip, and a TCP sender whose retransmission it was waits a doubled timeout (seconds).
     * Bounded: no more than {@link Neighbours#MAX_PRIMED} client entries per interface, the least recently
     * named making room.
     */
    void primeNeighbourToward(int address) {
        Link out = outLink(address);
        if (out == null) return;
        int via = nextHop(address, out);
        if (via != address) {
            out.neighbours.entry(via); // a gateway: a route entry, which the tick resolves
            return;
        }
        Neighbours.Entry e = out.neighbours.prime(via);
        if (e != null && e.mac == Neighbours.UNKNOWN) requestArp(out, via); // only when new: the tick retries
    }

    /** The interface in use toward {@code address}: the first whose LAN holds it, else its route's; or null. */
    private Link outLink(int address) {
        for (Link l : links) {
            if (l.onLink(address)) return l;
        }
        Routes.Route r = routes.lookup(address);
        if (r == null) return null;
        Link out = null;
        for (Link l : links) {
            if (l.name.equals(r.interfaceName())) out = l;
        }
        return out;
    }

    /** The next hop toward {@code address} through {@code out}: itself on out's LAN, else its route's gateway. */
    private int nextHop(int address, Link out) {
        if (out.onLink(address)) return address;
        Routes.Route r = routes.lookup(address);
        return r == null || r.gateway() == 0 ? address : r.gateway();
    }

    /** Finds the interface and next hop toward a real server and starts resolving its MAC address. */
    void resolve(Dest dest) {
        if (dest.address6() != null) { // its int address is a fold, no IPv4 address: no IPv4 route
            resolve6(dest);
            return;
        }
        int address = dest.address();
        Link out = outLink(address);
        if (out == null) {
            if (dest.nextHop != null || !dest.routeWarned) {
                LOG.warn("no route to real server {} through the interfaces in use", dest);
                dest.routeWarned = true;
            }
            dest.nextHop = null;
            return;
        }
        // Direct routing delivers to the server's own MAC (IPVS's KNOWN_NH route mode): the server must share a
        // LAN with this interface, whatever gateway the route names.
        int via = dest.forwardMethod() == ForwardMethod.ROUTE ? address : nextHop(address, out);
        NextHop current = dest.nextHop;
        if (current != null && current.link == out && current.neighbour.address == via) return;
        Neighbours.Entry entry = out.neighbours.entry(via);
        dest.nextHop = new NextHop(out, entry, out.channel.mtu());
        if (dest.forwardMethod() == ForwardMethod.ROUTE && !out.onLink(address)) {
            LOG.warn("direct-routing real server {} is not on the LAN of {}: it must share a LAN with the director",
                    dest, out.name);
        }
        if (entry.mac == Neighbours.UNKNOWN) requestArp(out, via);
    }

    /**
     * Finds the interface toward an IPv6 real server, the first whose global prefix holds it, else its route's
     * in /proc/net/ipv6_route (through the route's gateway), and starts resolving the next hop's MAC. Direct
     * routing delivers to the server's own MAC, so a DR server is always its own next hop.
     */
    private void resolve6(Dest dest) {
        org.jlvs.api.Ip6Address a = dest.address6();
        Link out = null;
        for (Link l : links) {
            if (l.onLink6(a.hi(), a.lo())) {
                out = l;
                break;
            }
        }
        long viaHi = a.hi(), viaLo = a.lo();
        if (out == null) {
            Routes6.Route r = routes6.lookup(a.hi(), a.lo());
            if (r != null) {
                for (Link l : links) {
                    if (l.name.equals(r.interfaceName())) out = l;
                }
                if (out != null && !r.onLink() && dest.forwardMethod() != ForwardMethod.ROUTE) {
                    viaHi = r.gatewayHi();
                    viaLo = r.gatewayLo();
                }
            }
        }
        NextHop6 current = dest.nextHop6;
        if (out == null) {
            if (current != null || !dest.routeWarned) {
                LOG.warn("no route to real server {} through the interfaces in use", dest);
                dest.routeWarned = true;
            }
            dest.nextHop6 = null;
            return;
        }
        if (current != null && current.link == out && current.neighbour.hi == viaHi && current.neighbour.lo == viaLo) {
            return;
        }
        if (dest.forwardMethod() == ForwardMethod.ROUTE && !out.onLink6(a.hi(), a.lo())) {
            LOG.warn("direct-routing real server {} is not within the IPv6 prefix of {}: it must share a LAN with"
                    + " the director", dest, out.name);
        }
        Neighbours6.Entry entry = out.neighbours6.entry(viaHi, viaLo);
        if (entry == null) {
            LOG.warn("real server {}: the IPv6 neighbour table of {} is full ({} entries)", dest, out.name,
                    Neighbours6.MAX_ENTRIES);
            dest.nextHop6 = null;
            return;
        }
        dest.nextHop6 = new NextHop6(out, entry, out.channel.mtu());
        if (entry.mac == Neighbours6.UNKNOWN) requestNeighbour(out, entry);
    }

    /** A Neighbour Solicitation for the entry's address, from the link's own global address, sent by the control sender. */
    private void requestNeighbour(Link link, Neighbours6.Entry entry) {
        if (!link.hasAddress6()) return;
        controlSender.execute(() -> {
            synchronized (arpBuffer) {
                int n = Neighbours6.writeSolicitationFrame(arpBuffer, 0, link.mac, link.address6Hi, link.address6Lo,
                        entry.hi, entry.lo);
                if (link.channel.send(arpBuffer, 0, n)) counters.neighbourSolicitations.increment();
            }
        });
        if (LOG.isDebugEnabled()) LOG.debug("neighbour solicitation for {} on {}", entry, link.name);
    }

    /**
     * A new virtual address is announced with gratuitous ARP on every interface, so that neighbours which
     * cached another owner (a previous director) send to this one.
     */
    private void announce(ServiceIndex index) {
        for (int vip : index.announcedAddresses()) {
            // a backup's announcement would steal the master's traffic; the ha bundle announces on takeover
            if (role.mayServe(vip) && announced.add(vip)) {
                for (Link l : links) sendGratuitousArp(l, vip);
            }
        }
        announced.removeIf(vip -> !index.isVirtualAddress(vip));
        announce6(index);
    }

    /** The VIP6s not advertised yet are, on every interface, while this director serves them. */
    private void announce6(ServiceIndex index) {
        for (org.jlvs.api.Ip6Address vip : index.announcedAddresses6()) {
            if (role.mayServe6(vip.hi(), vip.lo()) && announced6.add(vip)) {
                for (Link l : links) sendUnsolicitedAdvertisement(l, vip);
            }
        }
        announced6.removeIf(vip -> !index.isVirtualAddress6(vip.hi(), vip.lo()));
    }

    /** RFC 4861 §7.2.6: a VIP6 that appears is advertised to all nodes, so that their caches point here. */
    private void sendUnsolicitedAdvertisement(Link link, org.jlvs.api.Ip6Address vip) {
        controlSender.execute(() -> {
            synchronized (arpBuffer) {
                int n = Ndp.writeUnsolicitedAdvertisementFrame(arpBuffer, 0, link.mac, vip.hi(), vip.lo(), false);
                if (link.channel.send(arpBuffer, 0, n)) counters.neighbourAdvertisements.increment();
            }
        });
    }

    private void sendGratuitousArp(Link link, int vip) {
        controlSender.execute(() -> {
          synchronized (arpBuffer) {
            int n = Arp.writeFrame(arpBuffer, 0, Ethernet.BROADCAST, link.mac, Arp.REQUEST, link.mac, vip, 0L, vip);
            link.channel.send(arpBuffer, 0, n);
          }
        });
    }

    /** Periodic work, once a second. */
    void tick() {
        role.refresh();
        conns.expire();
        conns6.expire();
        if (dropEntryOn(sysctls.dropEntry, conns.nearlyFull())) conns.dropEntries();
        long now = System.nanoTime();
        services.dropOrphans(now, false);
        for (Link l : links) {
            for (Neighbours.Entry e : l.neighbours.upkeep(NEIGHBOUR_REFRESH_NANOS)) requestArp(l, e.address);
            for (Neighbours6.Entry e : l.neighbours6.upkeep(NEIGHBOUR_REFRESH_NANOS)) requestNeighbour(l, e);
        }
    }

    /**
     * update_defense_level's drop_entry: 0 never, 3 always; 1 and 2 while memory is short, which for jlvs
     * is the connection table being nearly full (the kernel's switching of the value between 1 and 2 only
     * records that state).
     */
    static boolean dropEntryOn(int mode, boolean nearlyFull) {
        return mode == 3 || (mode != 0 && nearlyFull);
    }

    /** Every 2 seconds: the rate estimator. Also re-reads routes and re-resolves real servers. */
    void slowTick() {
        for (Service s : services.services()) {
            s.stats.estimate(2.0);
            for (Dest d : s.realServers()) {
                d.stats.estimate(2.0);
            }
        }
        routes.reload();
        routes6.reload();
        for (Service s : services.services()) {
            for (Dest d : s.realServers()) resolve(d);
        }
    }

    private void requestArp(Link link, int address) {
        if (link.address == 0) return;
        controlSender.execute(() -> {
            synchronized (arpBuffer) {
                int n = Arp.writeFrame(arpBuffer, 0, Ethernet.BROADCAST, link.mac, Arp.REQUEST, link.mac,
                        link.address, 0L, address);
                if (link.channel.send(arpBuffer, 0, n)) counters.arpRequests.increment();
            }
        });
        if (LOG.isDebugEnabled()) LOG.debug("ARP request for {} on {}", Ip4.toString(address), link.name);
    }

    Map<String, Long> counters() {
        Map<String, Long> m = counters.snapshot();
        m.put("connections", conns.size());
        m.put("connections_created", conns.created.sum());
        m.put("connections_expired", conns.expired.sum());
        m.put("connections_evicted", conns.evicted.sum());
        m.put("connections_refused_table_full", conns.refused.sum());
        m.put("connections_dropped_defense", conns.defenseDropped.sum());
        m.put("templates", conns.templates());
        m.put("connections_max", (long) conns.maxEntries()); // the cap (max_connections), for the metrics' table gauge
        m.put("connections6", conns6.size());
        m.put("connections6_created", conns6.created.sum());
        m.put("connections6_expired", conns6.expired.sum());
        m.put("connections6_refused_table_full", conns6.refused.sum());
        m.put("connections6_max", (long) conns6.maxEntries());
        m.put("templates6", conns6.templates());
        for (Link l : links) {
            m.put("link_" + l.name + "_received", l.channel.receivedFrames());
            m.put("link_" + l.name + "_sent", l.channel.sentFrames());
            m.put("link_" + l.name + "_dropped", l.channel.droppedFrames());
        }
        return m;
    }

    void close() {
        for (Link l : links) l.channel.close();
        links.clear();
        conns.clear();
        conns6.clear();
    }
}
