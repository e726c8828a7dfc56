package org.jlvs.core.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.IntBinaryOperator;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.Protocol;

/**
 * The IPv6 connection entries, apart from the IPv4 table so that an IPv4 entry keeps its 44 bytes. Entries live
 * in parallel primitive arrays (the addresses as longs, the server and service as references), found from the
 * client side (protocol, client6, cport, vip6, vport) and, for NAT replies, from the real-server side
 * (protocol, server6, sport, client6, cport) through two open-addressing indexes (linear probing, deletion by
 * backward shift). The arrays start small and double up to the cap; a full table refuses new connections
 * (counted). TCP states and timeouts are the IPv4 table's ({@link TcpStates}, the timeouts ipvsadm --set
 * sets), and entries count in their server's active and inactive connections as IPv4 ones do.
 *
 * <p>One lock guards the table: IPv6 traffic is expected to be the smaller share for now, and no operation
 * under it does I/O or allocates (growth excepted, a doubling at most log2(cap) times). The expiry scan, once a
 * second, takes it a chunk of slots at a time so that receive threads wait at most for one chunk.
 *
 * <p>Persistence templates are entries too (IPVS's IP_VS_CONN_F_TEMPLATE), keyed by (protocol with
 * {@link #TEMPLATE_PROTO}, the client's address masked to the service's prefix length, port 0, VIP6, the
 * service's port), not in the server-side index; a template's MAC field holds its n_control, the connections
 * made through it. Connection sync does not cover IPv6 entries yet.
 */
final class Conn6Table {
    private static final int TCP = 6;
    static final long TICK_NANOS = ConnTable.TICK_NANOS;
    private static final int TICKS_PER_SECOND = ConnTable.TICKS_PER_SECOND;
    private static final int INITIAL = 1024;
    private static final int EXPIRY_CHUNK = 4096;

    // misc: protocol (8 bits), state (4), flags
    private static final int STATE_SHIFT = 8;
    private static final int LIVE = 1 << 12, INACTIVE = 1 << 13, NO_OUTPUT = 1 << 14, CONTROLLED = 1 << 15;
    /** Set in a persistence template's protocol byte, so that no connection's key equals a template's. */
    private static final int TEMPLATE_PROTO = 0x80;
    /** ip_vs_conn_expire: a template that still controls connections is kept this much longer. */
    private static final int CONTROL_REARM_SECONDS = ConnTable.CONTROL_REARM_SECONDS;

    private final LongSupplier clock;
    private final long origin;
    private final int cap;
    private final IntBinaryOperator timeouts;
    private final long seed = java.util.concurrent.ThreadLocalRandom.current().nextLong() | 1;

    private int length;
    /** Per slot: client hi, client lo, virtual hi, virtual lo. */
    private long[] addresses = new long[0];
    private int[] ports = new int[0];
    private int[] misc = new int[0];
    /** The expiry tick of a live slot; of a free slot, the next free slot + 1 (0: none). */
    private int[] expiry = new int[0];
    private Dest[] dests = new Dest[0];
    private Service[] services = new Service[0];
    private Link[] links = new Link[0];
    private long[] macs = new long[0];
    private int freeHead; // a free slot + 1, 0: none
    private int highWater; // slots at and above were never used
    private int[] byClient = new int[2];
    private int[] byServer = new int[2];
    private int mask = 1;
    private volatile int live;
    private volatile int templates;

    final LongAdder created = new LongAdder();
    final LongAdder expired = new LongAdder();
    /** New connections refused because the table was full. */
    final LongAdder refused = new LongAdder();

    /**
     * @param timeouts the timeout in seconds of (protocol, TCP state), the IPv4 table's
     *                 {@link ConnTable#stateTimeout}
     */
    Conn6Table(LongSupplier clock, int maxEntries, IntBinaryOperator timeouts) {
        if (maxEntries < 1) throw new IllegalArgumentException("max entries must be 1 or more: " + maxEntries);
        this.clock = clock;
        this.origin = clock.getAsLong();
        this.cap = maxEntries;
        this.timeouts = timeouts;
    }

    int maxEntries() {
        return cap;
    }

    long size() {
        return live;
    }

    // ---- the data path ----

    synchronized boolean findByClient(int protocol, long cHi, long cLo, int cport, long vHi, long vLo, int vport,
                                      Conn6 out) {
        int slot = findClient(protocol, cHi, cLo, cport, vHi, vLo, vport);
        if (slot < 0) return false;
        fill(slot, out);
        return true;
    }

    /** A packet from a real server (sHi/sLo, sport) to a client: the NAT connection it replies on. */
    synchronized boolean findByServer(int protocol, long sHi, long sLo, int sport, long cHi, long cLo, int cport,
                                      Conn6 out) {
        int h = serverHash(protocol, sHi, sLo, sport, cHi, cLo, cport);
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int cell = byServer[i];
            if (cell == 0) return false;
            int s = cell - 1;
            int m = misc[s];
            Dest d = dests[s];
            Ip6Address server = d.address6();
            if ((m & 0xff) == protocol && ports[s] >>> 16 == cport && addresses[4 * s] == cHi
                    && addresses[4 * s + 1] == cLo && server.hi() == sHi && server.lo() == sLo
                    && destPort(d, ports[s]) == sport) {
                fill(s, out);
                return true;
            }
        }
    }

    /**
     * Adds the connection {@code c} describes, in state NONE, or fills {@code c} from the entry another thread
     * made first ({@link Conn6#created} false). False when the table is full (counted).
     */
    synchronized boolean add(Conn6 c) {
        c.created = false;
        int existing = findClient(c.protocol, c.clientHi, c.clientLo, c.clientPort, c.virtualHi, c.virtualLo,
                c.virtualPort);
        if (existing >= 0) {
            fill(existing, c);
            return true;
        }
        int slot = allocate();
        if (slot < 0) {
            refused.increment();
            return false;
        }
        boolean noOutput = c.noOutput();
        addresses[4 * slot] = c.clientHi;
        addresses[4 * slot + 1] = c.clientLo;
        addresses[4 * slot + 2] = c.virtualHi;
        addresses[4 * slot + 3] = c.virtualLo;
        ports[slot] = c.clientPort << 16 | (c.virtualPort & 0xffff);
        misc[slot] = c.protocol | LIVE | INACTIVE | (noOutput ? NO_OUTPUT : 0) | (c.controlled ? CONTROLLED : 0);
        expiry[slot] = ceilTick(clock.getAsLong()) + TcpStates.NEW_CONN_TIMEOUT * TICKS_PER_SECOND;
        dests[slot] = c.dest;
        services[slot] = c.service;
        links[slot] = c.clientLink;
        macs[slot] = c.clientMac;
        place(byClient, clientHash(slot), slot);
        if (!noOutput) place(byServer, serverHash(slot), slot);
        c.dest.connectionAdded();
        c.state = TcpStates.NONE;
        c.slot = slot;
        c.created = true;
        live++;
        created.increment();
        return true;
    }

    /** A packet of the connection in direction {@code dir} ({@link TcpStates}): its state and timeout. */
    synchronized void update(Conn6 c, int dir, int tcpFlags) {
        int slot = c.slot;
        if (!holds(slot, c)) return;
        int m = misc[slot];
        int state = (m >>> STATE_SHIFT) & 0xf;
        int flags = m & ~0xfff;
        int protocol = m & 0xff;
        if ((protocol & TEMPLATE_PROTO) != 0) return;
        if (protocol == TCP) {
            int table = dir;
            if ((flags & NO_OUTPUT) != 0 && dir != TcpStates.DIR_OUTPUT) table = TcpStates.DIR_INPUT_ONLY;
            int next = TcpStates.next(state, table, tcpFlags);
            if (next != state) {
                boolean active = TcpStates.isActive(next);
                if ((flags & INACTIVE) == 0 && !active) {
                    dests[slot].becameInactive();
                    flags |= INACTIVE;
                } else if ((flags & INACTIVE) != 0 && active) {
                    dests[slot].becameActive();
                    flags &= ~INACTIVE;
                }
                state = next;
            }
        }
        misc[slot] = protocol | state << STATE_SHIFT | flags;
        expiry[slot] = ceilTick(clock.getAsLong()) + timeouts.applyAsInt(protocol, state) * TICKS_PER_SECOND;
        c.state = state;
    }

    /** Removes the connection {@code c} was filled from, if it is still there. */
    synchronized void remove(Conn6 c) {
        if (holds(c.slot, c)) removeEntry(c.slot);
        c.slot = -1;
    }

    // ---- persistence templates ----

    /**
     * The IPv6 form of {@link ConnTable#useTemplate}: the live template of the client's prefix names its real
     * server, is refreshed to the persistence timeout and counts one more controlled connection; a template
     * whose server was deleted, is quiesced while {@code expireQuiescent}, or whose time is up without
     * connections, is removed: null, and the caller schedules and calls {@link #addTemplate}.
     */
    synchronized Dest useTemplate(Service service, long clientHi, long clientLo, boolean expireQuiescent) {
        int t = findTemplate(service, clientHi, clientLo);
        if (t < 0) return null;
        Dest d = dests[t];
        boolean gone = service.find6(d.address6(), d.port()) != d;
        boolean quiesced = expireQuiescent && d.weight() == 0;
        boolean over = tick(clock.getAsLong()) - expiry[t] >= 0 && macs[t] == 0;
        if (gone || quiesced || over) {
            removeEntry(t);
            expired.increment();
            return null;
        }
        macs[t]++;
        expiry[t] = ceilTick(clock.getAsLong()) + service.config().persistence() * TICKS_PER_SECOND;
        return d;
    }

    /**
     * Adds the template of the client's prefix toward {@code dest}, counting the connection about to be made
     * (n_control 1). Returns the template's server (another thread's template wins a race), or null when the
     * table is full (counted).
     */
    synchronized Dest addTemplate(Service service, long clientHi, long clientLo, Dest dest) {
        int existing = findTemplate(service, clientHi, clientLo);
        if (existing >= 0) {
            macs[existing]++;
            return dests[existing];
        }
        int slot = allocate();
        if (slot < 0) {
            refused.increment();
            return null;
        }
        int prefix = service.config().persistenceMask();
        addresses[4 * slot] = Ip6Address.maskHi(clientHi, prefix);
        addresses[4 * slot + 1] = Ip6Address.maskLo(clientLo, prefix);
        Ip6Address vip = service.key().address6();
        addresses[4 * slot + 2] = vip.hi();
        addresses[4 * slot + 3] = vip.lo();
        ports[slot] = service.key().port();
        misc[slot] = (service.key().templateProtocol() | TEMPLATE_PROTO) | LIVE | NO_OUTPUT;
        expiry[slot] = ceilTick(clock.getAsLong()) + service.config().persistence() * TICKS_PER_SECOND;
        dests[slot] = dest;
        services[slot] = service;
        links[slot] = null;
        macs[slot] = 1;
        place(byClient, clientHash(slot), slot);
        dest.persistent.incrementAndGet();
        templates++;
        live++;
        created.increment();
        return dest;
    }

    /** A connection counted in its template's n_control was not made after all (the table was full). */
    synchronized void releaseControl(Service service, Dest dest, long clientHi, long clientLo) {
        release(service, dest, clientHi, clientLo);
    }

    private void release(Service service, Dest dest, long clientHi, long clientLo) {
        // the prefix length of now: a changed -M leaves the old template counting until it is dropped or used
        int t = findTemplate(service, clientHi, clientLo);
        if (t >= 0 && dests[t] == dest && macs[t] > 0) macs[t]--;
    }

    private int findTemplate(Service service, long clientHi, long clientLo) {
        int prefix = service.config().persistenceMask();
        Ip6Address vip = service.key().address6();
        return findClient(service.key().templateProtocol() | TEMPLATE_PROTO, Ip6Address.maskHi(clientHi, prefix),
                Ip6Address.maskLo(clientLo, prefix), 0, vip.hi(), vip.lo(), service.key().port());
    }

    /** Templates in the table now (counted in {@link #size()} too). */
    long templates() {
        return templates;
    }

    // ---- maintenance ----

    /** Removes the entries whose time is up; once a second, a chunk of slots per lock hold. */
    int expire() {
        int removed = 0;
        for (int from = 0; ; from += EXPIRY_CHUNK) {
            synchronized (this) {
                if (from >= highWater) break;
                int now = tick(clock.getAsLong());
                int to = Math.min(highWater, from + EXPIRY_CHUNK);
                for (int s = from; s < to; s++) {
                    if ((misc[s] & LIVE) == 0 || now - expiry[s] < 0) continue;
                    if ((misc[s] & TEMPLATE_PROTO) != 0 && macs[s] > 0) { // still controls connections
                        expiry[s] = now + CONTROL_REARM_SECONDS * TICKS_PER_SECOND;
                        continue;
                    }
                    removeEntry(s);
                    removed++;
                }
            }
        }
        expired.add(removed);
        return removed;
    }

    synchronized void clear() {
        for (int s = 0; s < highWater; s++) {
            if ((misc[s] & LIVE) != 0) removeEntry(s);
        }
    }

    /** The entries as ipvsadm -L -c lists them, a chunk copied under the lock at a time. */
    long forEach(Predicate<ConnectionInfo> filter, long limit, Consumer<ConnectionInfo> sink) {
        long passed = 0;
        List<ConnectionInfo> batch = new ArrayList<>();
        for (int from = 0; passed < limit; from += EXPIRY_CHUNK) {
            batch.clear();
            synchronized (this) {
                if (from >= highWater) break;
                long now = clock.getAsLong();
                int to = Math.min(highWater, from + EXPIRY_CHUNK);
                for (int s = from; s < to; s++) {
                    if ((misc[s] & LIVE) != 0) batch.add(info(s, now));
                }
            }
            passed = ConnTable.pass(batch, filter, limit, passed, sink);
        }
        return passed;
    }

    private ConnectionInfo info(int s, long now) {
        int m = misc[s];
        int protocol = m & 0xff & ~TEMPLATE_PROTO; // a template is listed as its protocol's NONE
        int state = (m >>> STATE_SHIFT) & 0xf;
        Dest d = dests[s];
        boolean template = (m & TEMPLATE_PROTO) != 0;
        long left = (origin + expiry[s] * TICK_NANOS - now) / 1_000_000L;
        String name = template || protocol == TCP ? TcpStates.name(state) : TcpStates.UDP_NAME;
        return new ConnectionInfo(Protocol.of(protocol), name,
                Math.max(0, left), 0, ports[s] >>> 16, 0, ports[s] & 0xffff, 0, destPort(d, ports[s]), false,
                new Ip6Address(addresses[4 * s], addresses[4 * s + 1]),
                new Ip6Address(addresses[4 * s + 2], addresses[4 * s + 3]), d.address6());
    }

    // ---- slots and indexes (under the lock) ----

    private boolean holds(int slot, Conn6 c) {
        return slot >= 0 && slot < highWater && (misc[slot] & LIVE) != 0 && (misc[slot] & 0xff) == c.protocol
                && ports[slot] == (c.clientPort << 16 | (c.virtualPort & 0xffff)) && dests[slot] == c.dest
                && addresses[4 * slot] == c.clientHi && addresses[4 * slot + 1] == c.clientLo
                && addresses[4 * slot + 2] == c.virtualHi && addresses[4 * slot + 3] == c.virtualLo;
    }

    private void fill(int s, Conn6 out) {
        int m = misc[s];
        out.protocol = m & 0xff;
        out.state = (m >>> STATE_SHIFT) & 0xf;
        out.clientHi = addresses[4 * s];
        out.clientLo = addresses[4 * s + 1];
        out.virtualHi = addresses[4 * s + 2];
        out.virtualLo = addresses[4 * s + 3];
        out.clientPort = ports[s] >>> 16;
        out.virtualPort = ports[s] & 0xffff;
        if (out.dest != dests[s]) out.dest = dests[s];
        if (out.service != services[s]) out.service = services[s];
        if (out.clientLink != links[s]) out.clientLink = links[s];
        out.clientMac = macs[s];
        out.controlled = (m & CONTROLLED) != 0;
        out.slot = s;
    }

    private int findClient(int protocol, long cHi, long cLo, int cport, long vHi, long vLo, int vport) {
        int p = cport << 16 | (vport & 0xffff);
        int h = clientHash(protocol, cHi, cLo, cport, vHi, vLo, vport);
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int cell = byClient[i];
            if (cell == 0) return -1;
            int s = cell - 1;
            if ((misc[s] & 0xff) == protocol && ports[s] == p && addresses[4 * s] == cHi
                    && addresses[4 * s + 1] == cLo && addresses[4 * s + 2] == vHi && addresses[4 * s + 3] == vLo) {
                return s;
            }
        }
    }

    private int allocate() {
        if (freeHead != 0) {
            int s = freeHead - 1;
            freeHead = expiry[s];
            return s;
        }
        if (highWater == length) {
            if (length >= cap) return -1;
            grow(Math.min(cap, Math.max(INITIAL, length * 2)));
        }
        return highWater++;
    }

    private void grow(int n) {
        addresses = Arrays.copyOf(addresses, 4 * n);
        ports = Arrays.copyOf(ports, n);
        misc = Arrays.copyOf(misc, n);
        expiry = Arrays.copyOf(expiry, n);
        dests = Arrays.copyOf(dests, n);
        services = Arrays.copyOf(services, n);
        links = Arrays.copyOf(links, n);
        macs = Arrays.copyOf(macs, n);
        length = n;
        int size = Integer.highestOneBit(Math.max(2, 2 * n - 1)) << 1; // a power of two, at most half full
        byClient = new int[size];
        byServer = new int[size];
        mask = size - 1;
        for (int s = 0; s < highWater; s++) {
            if ((misc[s] & LIVE) == 0) continue;
            place(byClient, clientHash(s), s);
            if ((misc[s] & NO_OUTPUT) == 0) place(byServer, serverHash(s), s);
        }
    }

    private void removeEntry(int s) {
        int m = misc[s];
        delete(byClient, position(byClient, clientHash(s), s), true);
        if ((m & NO_OUTPUT) == 0) delete(byServer, position(byServer, serverHash(s), s), false);
        if ((m & TEMPLATE_PROTO) != 0) {
            dests[s].persistent.decrementAndGet();
            templates--;
        } else {
            dests[s].connectionRemoved((m & INACTIVE) != 0);
            if ((m & CONTROLLED) != 0) {
                release(services[s], dests[s], addresses[4 * s], addresses[4 * s + 1]);
            }
        }
        misc[s] = 0;
        macs[s] = 0;
        dests[s] = null;
        services[s] = null;
        links[s] = null;
        expiry[s] = freeHead;
        freeHead = s + 1;
        live--;
    }

    private void place(int[] index, int h, int slot) {
        int i = h & mask;
        while (index[i] != 0) i = (i + 1) & mask;
        index[i] = slot + 1;
    }

    private int position(int[] index, int h, int slot) {
        int i = h & mask;
        while (index[i] != slot + 1) i = (i + 1) & mask;
        return i;
    }

    /** Backward-shift deletion: the cells after the hole that may move into it do, so no probe chain breaks. */
    private void delete(int[] index, int hole, boolean clientSide) {
        index[hole] = 0;
        for (int i = (hole + 1) & mask; index[i] != 0; i = (i + 1) & mask) {
            int s = index[i] - 1;
            int home = (clientSide ? clientHash(s) : serverHash(s)) & mask;
            if (((i - home) & mask) >= ((i - hole) & mask)) {
                index[hole] = index[i];
                index[i] = 0;
                hole = i;
            }
        }
    }

    private int clientHash(int s) {
        return clientHash(misc[s] & 0xff, addresses[4 * s], addresses[4 * s + 1], ports[s] >>> 16,
                addresses[4 * s + 2], addresses[4 * s + 3], ports[s] & 0xffff);
    }

    private int serverHash(int s) {
        Dest d = dests[s];
        Ip6Address server = d.address6();
        return serverHash(misc[s] & 0xff, server.hi(), server.lo(), destPort(d, ports[s]), addresses[4 * s],
                addresses[4 * s + 1], ports[s] >>> 16);
    }

    private int clientHash(int protocol, long cHi, long cLo, int cport, long vHi, long vLo, int vport) {
        return mix(cHi, cLo, vHi ^ Long.rotateLeft(vLo, 17), ((long) protocol << 32) | ((cport & 0xffffL) << 16) | vport);
    }

    private int serverHash(int protocol, long sHi, long sLo, int sport, long cHi, long cLo, int cport) {
        return mix(sHi, sLo, cHi ^ Long.rotateLeft(cLo, 17), ((long) protocol << 32) | ((sport & 0xffffL) << 16) | cport);
    }

    private int mix(long a, long b, long c, long d) {
        long h = seed;
        h = (h ^ a) * 0x9E3779B97F4A7C15L;
        h = (h ^ b) * 0xC2B2AE3D27D4EB4FL;
        h = (h ^ c) * 0x9E3779B97F4A7C15L;
        h = (h ^ (d & 0xffff_ffff_ffffL)) * 0xC2B2AE3D27D4EB4FL;
        return (int) (h ^ (h >>> 31) ^ (h >>> 47));
    }

    private static int destPort(Dest d, int ports) {
        return d.port() == 0 ? ports & 0xffff : d.port();
    }

    private int tick(long nanos) {
        return (int) ((nanos - origin) / TICK_NANOS);
    }

    private int ceilTick(long nanos) {
        return (int) ((nanos - origin + TICK_NANOS - 1) / TICK_NANOS);
    }
}
