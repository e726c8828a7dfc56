package org.jlvs.core.internal;

import static org.jlvs.core.internal.ConnSlab.CLIENT;
import static org.jlvs.core.internal.ConnSlab.CONTROLLED;
import static org.jlvs.core.internal.ConnSlab.DEST;
import static org.jlvs.core.internal.ConnSlab.EXPIRY;
import static org.jlvs.core.internal.ConnSlab.EXTRA;
import static org.jlvs.core.internal.ConnSlab.FILED;
import static org.jlvs.core.internal.ConnSlab.INACTIVE;
import static org.jlvs.core.internal.ConnSlab.LIVE;
import static org.jlvs.core.internal.ConnSlab.MAC_HI;
import static org.jlvs.core.internal.ConnSlab.MISC;
import static org.jlvs.core.internal.ConnSlab.NO_OUTPUT;
import static org.jlvs.core.internal.ConnSlab.PACKETS_MASK;
import static org.jlvs.core.internal.ConnSlab.OLD_STATE_MASK;
import static org.jlvs.core.internal.ConnSlab.OLD_STATE_SHIFT;
import static org.jlvs.core.internal.ConnSlab.PORTS;
import static org.jlvs.core.internal.ConnSlab.REPLIED;
import static org.jlvs.core.internal.ConnSlab.SYNCED;
import static org.jlvs.core.internal.ConnSlab.TEMPLATE_PROTO;
import static org.jlvs.core.internal.ConnSlab.VIP;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.StampedLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.ConnectionTable;
import org.jlvs.api.Protocol;
import org.jlvs.api.sync.InstallResult;
import org.jlvs.api.sync.IpvsConn;
import org.jlvs.api.sync.SyncEntry;
import org.jlvs.api.sync.SyncEntrySink;
import org.jlvs.api.sync.SyncFeed;
import org.jlvs.api.sync.SyncRule;

/**
 * The connection entries, built for ten million of them: entries in primitive arrays ({@link ConnSlab}, 44
 * bytes each), found from the client side (client, VIP) and, for replies that pass the director, from the
 * real-server side (server, client) through two open-addressing indexes, expired by a {@link TimerWheel}.
 *
 * <p>Concurrency: the table is split into segments by a hash of the client address and port, which both
 * directions of a connection carry, so one connection is always under one segment lock. A segment owns
 * the index cells of its connections and guards every field of their entries; the receive threads (one per
 * interface) and the maintenance thread contend only when they write the same segment. Lookups read
 * optimistically (a {@link StampedLock} stamp, validated after reading: no atomic instruction, so the CPU
 * overlaps the cache misses of successive lookups) and take the read lock only if a writer interfered.
 * Lookups fill a caller's reused {@link Conn} view, validated as a whole, so a slot that expires and is
 * reused meanwhile is never seen half-way; reads that may see a torn entry are bounds-checked. The view
 * keeps the lookup's stamp: the packet's {@link #update} turns it into the write lock with one CAS and
 * takes up the slot found, so an established packet probes the index once; only when another writer held
 * the segment in between is the entry found again by its key.
 *
 * <p>Index cells are ints: the entry's slot + 1 in the low 25 bits, 7 bits of its hash above (most probes of
 * other entries stop there without reading the entry), 0 for empty. Linear probing, deletion by backward
 * shift (no tombstones), each index doubling past 3/4 full.
 *
 * <p>Time is counted in ticks of 1/8 s from the table's creation. An entry expires at the first tick at or
 * after its last packet plus its state's timeout; {@link #expire()} removes it at its next run from then on.
 *
 * <p>Persistence templates are entries of the same table, on the same timers and under the same cap, as in
 * IPVS (ip_vs_conn_new with IP_VS_CONN_F_TEMPLATE): see {@link #useTemplate}. A connection created through
 * one is CONTROLLED and counted in the template's n_control; a template expires only when it controls
 * nothing (ip_vs_conn_expire re-arms it for {@value #CONTROL_REARM_SECONDS} s). The template is told of a
 * controlled connection's end after that connection's segment lock is released: a thread holds one segment
 * lock at a time, so no two threads can wait for each other.
 *
 * <p>When every slot is taken a new entry evicts one that a flood would leave (a short scan from where the
 * last one stopped): a half-open TCP entry (SYN_RECV, SYNACK), a UDP entry that had a single packet or,
 * through NAT, no reply, or a template that controls no connection. Templates that still control
 * connections and established connections are never evicted. Nothing found: refused. Both are counted.
 * {@link #dropEntries} is IPVS's drop_entry defence (ip_vs_random_dropentry), run by the maintenance thread.
 */
final class ConnTable implements ConnectionTable {
    static final long TICK_NANOS = 125_000_000L;
    static final int TICKS_PER_SECOND = 8;
    /** Slots are numbered in 25 bits of an index cell. */
    static final int MAX_ENTRIES = (1 << 25) - 2;
    /** Timeouts beyond this many seconds (about 194 days) are refused: ticks must stay far from int overflow. */
    static final int MAX_TIMEOUT = 1 << 24;
    /** System property: the most entries the table holds (default: a quarter of the heap at 64 bytes each). */
    static final String MAX_ENTRIES_PROPERTY = "jlvs.connections.max";

    private static final int SLOT_BITS = 25, SLOT_MASK = (1 << SLOT_BITS) - 1;
    private static final int DEST_ID_MASK = (1 << 24) - 1;
    private static final int TCP = 6, UDP = 17;
    /** ip_vs_conn_expire: a template that still controls connections is kept this much longer. */
    static final int CONTROL_REARM_SECONDS = 60;
    private static final int INITIAL_INDEX = 16;
    /** Set when the entry is in its segment's real-server-side index (MISC flag, beside ConnSlab's). */
    private static final int SERVER_INDEXED = 8;
    private static final int EVICTION_SCAN = 256;

    /** A lock and the index cells of the connections whose client address and port hash here. */
    static final class Segment {
        final StampedLock lock = new StampedLock();
        int[] byClient = new int[INITIAL_INDEX];
        int clients;
        int[] byServer = new int[INITIAL_INDEX];
        int servers;
    }

    private final LongSupplier clock;
    private final long origin;
    private final long seed = ThreadLocalRandom.current().nextLong();
    private final ConnSlab slab;
    private final Segment[] segments;
    private final int segmentShift;
    private final TimerWheel wheel;
    private final DestRegistry dests = new DestRegistry();
    private final LinkIds links = new LinkIds();
    private volatile int[] tcpTimeouts = TcpStates.DEFAULT_TIMEOUTS.clone();
    private volatile int udpTimeout = TcpStates.UDP_TIMEOUT;
    /** The master daemon's feed, null when none runs: the one read per packet sync costs when it is off. */
    volatile SyncFeed syncFeed;
    private final LongAdder live = new LongAdder();
    private final LongAdder templates = new LongAdder();
    final LongAdder created = new LongAdder();
    final LongAdder expired = new LongAdder();
    /** Half-open entries removed to make room for a new connection. */
    final LongAdder evicted = new LongAdder();
    /** New connections refused because the table was full and nothing could be evicted. */
    final LongAdder refused = new LongAdder();
    /** Entries dropped by the drop_entry defence. */
    final LongAdder defenseDropped = new LongAdder();
    /** todrop_entry's per-packet-count counters; only the maintenance thread touches them. */
    private final int[] todropCounter = new int[9];
    /** Where the next eviction scan starts; racy on purpose (any start will do). */
    private int evictionCursor;
    /** The tick of the last scan that found nothing: no second scan in the same tick. */
    private volatile int fruitlessScanTick;

    /** @param clock nanoseconds, System::nanoTime in production, a settable clock in tests */
    ConnTable(LongSupplier clock, int maxEntries) {
        if (maxEntries < 1 || maxEntries > MAX_ENTRIES) {
            throw new IllegalArgumentException("max entries must be 1.." + MAX_ENTRIES + ": " + maxEntries);
        }
        this.clock = clock;
        this.origin = clock.getAsLong();
        this.slab = new ConnSlab(maxEntries);
        // About 2048 connections per segment when full: few locks for small tables, little contention for big.
        int count = Math.max(16, Math.min(8192, Integer.highestOneBit(Math.max(1, maxEntries / 2048))));
        this.segments = new Segment[count];
        for (int i = 0; i < count; i++) segments[i] = new Segment();
        this.segmentShift = 32 - Integer.numberOfTrailingZeros(count);
        this.wheel = new TimerWheel(slab, 0);
        this.fruitlessScanTick = -1;
    }

    /**
     * The configured cap ({@code max_connections} of PID org.jlvs.core, a String or a Number) if given, else
     * {@link #defaultMaxEntries()}. A bad value is refused with a message naming it.
     */
    static int maxEntries(Object configured) {
        if (configured == null || configured.toString().isBlank()) return defaultMaxEntries();
        String text = configured.toString().trim();
        try {
            long value = Long.parseLong(text);
            if (value >= 1 && value <= MAX_ENTRIES) return (int) value;
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("bad max_connections '" + text + "': must be 1.." + MAX_ENTRIES);
    }

    /** {@value #MAX_ENTRIES_PROPERTY} if set, else as many entries as a quarter of the heap holds at 64 bytes. */
    static int defaultMaxEntries() {
        String configured = System.getProperty(MAX_ENTRIES_PROPERTY);
        if (configured != null) return Integer.parseInt(configured.trim());
        long fromHeap = Runtime.getRuntime().maxMemory() / 4 / 64;
        return (int) Math.max(65_536, Math.min(MAX_ENTRIES, fromHeap));
    }

    int maxEntries() {
        return slab.capacity();
    }

    long now() {
        return clock.getAsLong();
    }

    // ---- the data path ----

    /** Finds the connection whose client side is {@code k} (client, VIP) and fills {@code out}; false if none. */
    boolean findByClient(ConnKey k, Conn out) {
        int s = segmentIndex(k.protocol, k.address1, k.port1);
        Segment g = segments[s];
        int h = ConnKey.hash(k.protocol, k.address1, k.port1, k.address2, k.port2, seed);
        StampedLock lock = g.lock;
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            int slot = findClient(g, h, k.protocol, k.address1, k.port1, k.address2, k.port2);
            boolean found = slot >= 0 && fill(slot, out);
            if (lock.validate(stamp)) return observed(found, out, stamp, s);
        }
        out.stamp = 0;
        stamp = lock.readLock();
        try {
            int slot = findClient(g, h, k.protocol, k.address1, k.port1, k.address2, k.port2);
            return slot >= 0 && fill(slot, out);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Finds the NAT connection whose real-server side is {@code k} (server, client) and fills {@code out}. */
    boolean findByServer(ConnKey k, Conn out) {
        int s = segmentIndex(k.protocol, k.address2, k.port2);
        Segment g = segments[s];
        int h = ConnKey.hash(k.protocol, k.address1, k.port1, k.address2, k.port2, seed);
        StampedLock lock = g.lock;
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            int slot = findServer(g, h, k);
            boolean found = slot >= 0 && fill(slot, out);
            if (lock.validate(stamp)) return observed(found, out, stamp, s);
        }
        out.stamp = 0;
        stamp = lock.readLock();
        try {
            int slot = findServer(g, h, k);
            return slot >= 0 && fill(slot, out);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** A validated optimistic lookup: a found entry's view keeps the stamp, for a change without a second probe. */
    private static boolean observed(boolean found, Conn out, long stamp, int segment) {
        out.stamp = found ? stamp : 0;
        out.segment = segment;
        return found;
    }

    /**
     * Write-locks the segment of the entry {@code c} was filled from and returns the lock's stamp. When no
     * writer has held that segment since {@code c} was filled, {@code c.slot} is still the entry: one CAS
     * turns the observation into the write lock. Otherwise the entry is found again by its client-side key,
     * {@code c.slot} set to it or to -1 if it is gone. Either way {@code c.segment} names the locked segment.
     */
    private long lockEntry(Conn c) {
        long observed = c.stamp;
        c.stamp = 0;
        if (observed != 0) {
            long stamp = segments[c.segment].lock.tryConvertToWriteLock(observed);
            if (stamp != 0) return stamp;
        }
        int s = segmentIndex(c.protocol, c.clientAddress, c.clientPort);
        Segment g = segments[s];
        int h = ConnKey.hash(c.protocol, c.clientAddress, c.clientPort, c.virtualAddress, c.virtualPort, seed);
        long stamp = g.lock.writeLock();
        c.segment = s;
        c.slot = findClient(g, h, c.protocol, c.clientAddress, c.clientPort, c.virtualAddress, c.virtualPort);
        return stamp;
    }

    /**
     * Adds the connection {@code c} describes (bound to its real server) in state {@code c.state}: NONE for a
     * new flow, which lives {@link TcpStates#NEW_CONN_TIMEOUT} s until its first state change; another state
     * (a connection learnt from a peer) gets that state's timeout. Fills {@code c} with the entry, or with the
     * existing one if another thread added the same connection first ({@link Conn#created} tells which).
     * A {@link Conn#controlled} connection counts in its template's n_control from the caller's
     * {@link #useTemplate} or {@link #addTemplate}; when it is not created, the caller gives that back.
     *
     * @return false if the table is full and nothing could be evicted (counted in {@link #refused})
     */
    boolean add(Conn c) {
        c.created = false;
        long now = now();
        int slot = allocate(now);
        if (slot < 0) return false;
        int destId = dests.acquire(c.dest, c.service);
        if (destId < 0) {
            slab.free(slot);
            refused.increment();
            return false;
        }
        boolean tcp = c.protocol == TCP;
        int state = tcp ? c.state : TcpStates.NONE;
        boolean active = tcp && TcpStates.isActive(state);
        boolean noOutput = c.noOutput();
        int flags = LIVE | (active ? 0 : INACTIVE) | (noOutput ? NO_OUTPUT : SERVER_INDEXED);
        int timeout = state == TcpStates.NONE ? TcpStates.NEW_CONN_TIMEOUT : tcpTimeouts[state];
        int[] e = slab.chunk(slot);
        int b = ConnSlab.base(slot);
        e[b + CLIENT] = c.clientAddress;
        e[b + VIP] = c.virtualAddress;
        e[b + PORTS] = (c.clientPort << 16) | (c.virtualPort & 0xffff);
        e[b + DEST] = (c.protocol << 24) | destId;
        e[b + MAC_HI] = (int) (c.clientMac >>> 16);
        e[b + MISC] = ((int) c.clientMac << 16) | (links.idOf(c.clientLink) << 8) | (state << 4) | flags;
        e[b + EXPIRY] = ceilTick(now) + timeout * TICKS_PER_SECOND;
        e[b + EXTRA] = c.controlled ? CONTROLLED : 0;
        startSyncEnd(slot, now);

        int s = segmentIndex(c.protocol, c.clientAddress, c.clientPort);
        Segment g = segments[s];
        int h = ConnKey.hash(c.protocol, c.clientAddress, c.clientPort, c.virtualAddress, c.virtualPort, seed);
        long stamp = g.lock.writeLock();
        try {
            int existing = findClient(g, h, c.protocol, c.clientAddress, c.clientPort, c.virtualAddress,
                    c.virtualPort);
            if (existing >= 0) { // another receive thread created it first
                slab.free(slot);
                dests.release(destId);
                fill(existing, c);
                return true;
            }
            g.byClient = insert(g.byClient, ++g.clients, h, slot, true);
            if (!noOutput) {
                int serverSide = serverHash(slot);
                unindexStaleServerSide(g, slot, serverSide);
                g.byServer = insert(g.byServer, ++g.servers, serverSide, slot, false);
            }
            wheel.add(slot, e[b + EXPIRY]);
            c.dest.connectionAdded();
            if (active) c.dest.becameActive();
            c.state = state;
            c.slot = slot;
            c.created = true;
        } finally {
            // released and observed in one step: no writer can come between, so the packet's update that
            // follows takes up c.slot without a second probe while no other writer has come since
            c.stamp = g.lock.tryConvertToOptimisticRead(stamp);
            c.segment = s;
        }
        live.increment();
        created.increment();
        return true;
    }

    /** A free slot, evicting a flood's entry if the table is full; -1 (counted) if none can be had. */
    private int allocate(long now) {
        int slot = slab.allocate();
        if (slot < 0 && evictOne(tick(now))) slot = slab.allocate();
        if (slot < 0) refused.increment();
        return slot;
    }

    /**
     * Applies one packet to the connection {@code c} was filled from: the TCP state machine (IPVS's
     * transitions and active/inactive accounting) and the entry's new expiry. Nothing if it is gone.
     *
     * @param dir {@link TcpStates#DIR_INPUT} for client packets, {@link TcpStates#DIR_OUTPUT} for replies
     */
    void update(Conn c, int dir, int tcpFlags) {
        long now = now();
        SyncFeed feed = dir == TcpStates.DIR_INPUT ? syncFeed : null;
        boolean send = false;
        long stamp = lockEntry(c);
        Segment g = segments[c.segment];
        try {
            int slot = c.slot;
            if (slot < 0) return;
            int[] e = slab.chunk(slot);
            int b = ConnSlab.base(slot);
            int misc = e[b + MISC];
            int state = (misc >>> 4) & 0xf;
            int flags = misc & 0xf;
            int timeout;
            if (c.protocol == TCP) {
                int table = dir;
                if ((flags & NO_OUTPUT) != 0) {
                    if (dir == TcpStates.DIR_OUTPUT) flags &= ~NO_OUTPUT;
                    else table = TcpStates.DIR_INPUT_ONLY;
                }
                int next = TcpStates.next(state, table, tcpFlags);
                if (next != state) {
                    boolean active = TcpStates.isActive(next);
                    if ((flags & INACTIVE) == 0 && !active) {
                        dests.dest(e[b + DEST] & DEST_ID_MASK).becameInactive();
                        flags |= INACTIVE;
                    } else if ((flags & INACTIVE) != 0 && active) {
                        dests.dest(e[b + DEST] & DEST_ID_MASK).becameActive();
                        flags &= ~INACTIVE;
                    }
                    state = next;
                }
                timeout = tcpTimeouts[state];
            } else {
                timeout = udpTimeout;
            }
            int extra = e[b + EXTRA];
            if (dir == TcpStates.DIR_OUTPUT) extra |= REPLIED;
            else if ((extra & PACKETS_MASK) != PACKETS_MASK) extra++; // in_pkts, as ip_vs_in counts it
            if (dir == TcpStates.DIR_INPUT && ((misc >>> 8) & 0xff) == 0 && c.clientLink != null) {
                // an entry learnt from a peer knows its client's interface and MAC from its first packet here
                misc = ((int) c.clientMac << 16) | (links.idOf(c.clientLink) << 8) | (misc & 0xff);
                e[b + MAC_HI] = (int) (c.clientMac >>> 16);
            }
            e[b + MISC] = (misc & 0xffffff00) | (state << 4) | flags;
            if (feed != null) send = syncNeeded(feed.rule(), slot, e, b, extra, state, timeout, now, c);
            else e[b + EXTRA] = extra;
            int expiry = ceilTick(now) + timeout * TICKS_PER_SECOND;
            e[b + EXPIRY] = expiry;
            if (expiry - e[b + FILED] < 0) { // earlier than the wheel would look: file it again now
                wheel.remove(slot);
                wheel.add(slot, expiry);
            }
            c.state = state;
        } finally {
            g.lock.unlockWrite(stamp);
        }
        if (feed != null) {
            if (send) feed.queue().offer(c.sync()); // never waits: a full queue drops it (counted there)
            if (c.controlled) syncTemplate(feed, c.service, c.clientAddress, now, c.sync());
        }
    }

    /** Removes the connection {@code c} was filled from now (a port reused by a new SYN); safe to call twice. */
    void remove(Conn c) {
        long control;
        long stamp = lockEntry(c);
        Segment g = segments[c.segment];
        try {
            int slot = c.slot;
            if (slot < 0) return;
            c.slot = -1; // a second call finds nothing
            control = removeEntry(g, slot);
        } finally {
            g.lock.unlockWrite(stamp);
        }
        releaseControl(control);
        expired.increment();
    }

    /** How long the connection {@code c} was filled from has left, in milliseconds; -1 if it is gone. */
    long expiresInMillis(Conn c) {
        long now = now();
        Segment g = segment(c.protocol, c.clientAddress, c.clientPort);
        int h = ConnKey.hash(c.protocol, c.clientAddress, c.clientPort, c.virtualAddress, c.virtualPort, seed);
        long stamp = g.lock.readLock();
        try {
            int slot = findClient(g, h, c.protocol, c.clientAddress, c.clientPort, c.virtualAddress, c.virtualPort);
            return slot < 0 ? -1 : millisLeft(slab.chunk(slot)[ConnSlab.base(slot) + EXPIRY], now);
        } finally {
            g.lock.unlockRead(stamp);
        }
    }

    // ---- maintenance ----

    /** Removes every entry whose time is up, visiting the wheel's buckets up to now; returns how many. */
    int expire() {
        int now = tick(now());
        int from = wheel.processed() + 1;
        if (now - from >= TimerWheel.BUCKETS) from = now - TimerWheel.BUCKETS + 1; // late: each bucket once
        int removed = 0;
        for (int t = from; t - now <= 0; t++) {
            wheel.start(t);
            removed += expireBucket(t & TimerWheel.MASK, now);
        }
        return removed;
    }

    /** Takes the bucket's entries one by one: removes those due, files the others again further on. */
    private int expireBucket(int bucket, int now) {
        Object bucketLock = wheel.lock(bucket);
        int removed = 0;
        for (;;) {
            int slot;
            Segment g;
            synchronized (bucketLock) {
                slot = wheel.first(bucket);
                if (slot < 0) return removed;
                g = segmentOfEntry(slot); // stable while the entry is in the bucket
            }
            long control = 0;
            long stamp = g.lock.writeLock(); // segment before bucket: the order every path takes
            try {
                synchronized (bucketLock) {
                    if (wheel.first(bucket) != slot || segmentOfEntry(slot) != g) continue; // moved meanwhile
                }
                int[] e = slab.chunk(slot);
                int b = ConnSlab.base(slot);
                int expiry = e[b + EXPIRY];
                if (expiry - now <= 0 && isTemplate(e, b) && e[b + MAC_HI] > 0) {
                    expiry = now + CONTROL_REARM_SECONDS * TICKS_PER_SECOND; // still controls: expire_later
                    e[b + EXPIRY] = expiry;
                }
                if (expiry - now <= 0) {
                    control = removeEntry(g, slot);
                    expired.increment();
                    removed++;
                } else {
                    wheel.remove(slot);
                    wheel.add(slot, expiry);
                }
            } finally {
                g.lock.unlockWrite(stamp);
            }
            releaseControl(control);
        }
    }

    /** Drops every entry (the table is being shut down). */
    void clear() {
        for (Segment g : segments) {
            long stamp = g.lock.writeLock();
            try {
                int[] index = g.byClient;
                for (int i = 0; i < index.length; i++) {
                    // Removing shifts later cells back into this one: empty it before moving on.
                    while (index[i] != 0) {
                        long control = removeEntry(g, (index[i] & SLOT_MASK) - 1);
                        if (control != 0) dests.release((int) control & DEST_ID_MASK); // its template goes too
                    }
                }
            } finally {
                g.lock.unlockWrite(stamp);
            }
        }
    }

    /**
     * Frees a slot for a new entry by evicting a flood's entry ({@link #evictable}), scanning a few slots from
     * where the last scan stopped. Entries are read without their lock to choose, then checked again under it.
     */
    private boolean evictOne(int nowTick) {
        if (fruitlessScanTick == nowTick) return false;
        int limit = Math.min(slab.allocatedSlots(), slab.capacity());
        int slot = Math.floorMod(evictionCursor, Math.max(1, limit));
        for (int n = 0; n < EVICTION_SCAN && n < limit; n++, slot = slot + 1 == limit ? 0 : slot + 1) {
            int[] e = slab.chunk(slot);
            int b = ConnSlab.base(slot);
            if (!evictable(e, b)) continue;
            if (!removeIfStill(slot, EVICTABLE, nowTick)) continue;
            evicted.increment();
            evictionCursor = slot + 1;
            return true;
        }
        evictionCursor = slot;
        fruitlessScanTick = nowTick;
        return false;
    }

    private static final int EVICTABLE = 0, DROPPABLE = 1;

    /** Removes entry {@code slot} if, under its segment's lock, it is still live and passes the test. */
    private boolean removeIfStill(int slot, int test, int nowTick) {
        int[] e = slab.chunk(slot);
        int b = ConnSlab.base(slot);
        Segment g = segmentOfEntry(slot);
        long control;
        long stamp = g.lock.writeLock();
        try {
            // Only an entry of this segment is stable under its lock: check it is one, then look again.
            if ((e[b + MISC] & LIVE) == 0 || position(g.byClient, clientHash(slot), slot) < 0) return false;
            if (test == EVICTABLE ? !evictable(e, b) : !droppable(e, b, nowTick)) return false;
            control = removeEntry(g, slot);
        } finally {
            g.lock.unlockWrite(stamp);
        }
        releaseControl(control);
        return true;
    }

    /**
     * What a flood leaves and a new connection may take the place of: half-open TCP (SYN_RECV, SYNACK: a SYN
     * flood's), UDP with one packet or, through NAT, without a reply (spoofed datagrams), and templates that
     * control no connection. Established connections and templates in use stay.
     */
    private static boolean evictable(int[] e, int b) {
        int misc = e[b + MISC];
        if ((misc & LIVE) == 0) return false;
        int protocol = e[b + DEST] >>> 24;
        if ((protocol & TEMPLATE_PROTO) != 0) return e[b + MAC_HI] == 0;
        if (protocol == TCP) {
            int state = (misc >>> 4) & 0xf;
            return state == TcpStates.SYN_RECV || state == TcpStates.SYNACK;
        }
        int extra = e[b + EXTRA];
        return (extra & PACKETS_MASK) <= 1 || ((misc & NO_OUTPUT) == 0 && (extra & REPLIED) == 0);
    }

    // ---- drop_entry (ip_vs_random_dropentry, run once a second while the defence is on) ----

    /** Whether the table is nearly full: drop_entry 1 and 2 switch the defence on then (the kernel's "nomem"). */
    boolean nearlyFull() {
        return live.sum() >= slab.capacity() - slab.capacity() / 16;
    }

    /**
     * IPVS's drop_entry defence: looks at 1/32 of the table's slots, at random, and drops the entries
     * ip_vs_random_dropentry would: half-open TCP always; ESTABLISHED TCP and UDP when todrop_entry agrees
     * (idle for 60 s or more, 1 to 8 packets from the client, the fewer the packets the more of them
     * dropped); never a template or another TCP state.
     *
     * @return how many were dropped (also counted in {@link #defenseDropped})
     */
    int dropEntries() {
        int nowTick = tick(now());
        int limit = Math.min(slab.allocatedSlots(), slab.capacity());
        int dropped = 0;
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int n = Math.max(1, slab.capacity() >> 5); n > 0 && limit > 0; n--) {
            int slot = random.nextInt(limit);
            int[] e = slab.chunk(slot);
            if (!droppable(e, ConnSlab.base(slot), nowTick)) continue;
            int[] counters = todropCounter;
            int packets = e[ConnSlab.base(slot) + EXTRA] & PACKETS_MASK;
            int proto = e[ConnSlab.base(slot) + DEST] >>> 24;
            int state = (e[ConnSlab.base(slot) + MISC] >>> 4) & 0xf;
            boolean halfOpen = proto == TCP && state != TcpStates.ESTABLISHED;
            if (!halfOpen) { // todrop_entry's rate: of entries with i packets, one in i goes
                if (--counters[packets] > 0) continue;
                counters[packets] = packets;
            }
            if (removeIfStill(slot, DROPPABLE, nowTick)) {
                defenseDropped.increment();
                dropped++;
            }
        }
        return dropped;
    }

    /** ip_vs_random_dropentry's choice, without todrop_entry's rate counter. */
    private boolean droppable(int[] e, int b, int nowTick) {
        int misc = e[b + MISC];
        if ((misc & LIVE) == 0) return false;
        int protocol = e[b + DEST] >>> 24;
        if ((protocol & TEMPLATE_PROTO) != 0) return false;
        int state = (misc >>> 4) & 0xf;
        int timeout;
        if (protocol == TCP) {
            if (state == TcpStates.SYN_RECV || state == TcpStates.SYNACK) return true;
            if (state != TcpStates.ESTABLISHED) return false;
            timeout = tcpTimeouts[state];
        } else {
            timeout = udpTimeout;
        }
        // todrop_entry: not before 60 s without a packet; only entries with 1..8 packets from the client
        int lastPacket = e[b + EXPIRY] - timeout * TICKS_PER_SECOND;
        int packets = e[b + EXTRA] & PACKETS_MASK;
        return nowTick - lastPacket >= 60 * TICKS_PER_SECOND && packets >= 1 && packets <= 8;
    }

    // ---- persistence templates ----

    /**
     * IPVS's template lookup for a new connection of a persistent service (ip_vs_sched_persist with
     * ip_vs_check_template): the live template of the client's masked address names its real server, is
     * refreshed to the persistence timeout and counts one more controlled connection. A template whose
     * server was deleted, whose server has weight 0 while {@code expireQuiescent}
     * (expire_quiescent_template), or whose time is up without connections, is removed: null, and the caller
     * schedules and calls {@link #addTemplate}.
     */
    Dest useTemplate(Service service, int client, boolean expireQuiescent) {
        int protocol = service.key().templateProtocol() | TEMPLATE_PROTO;
        int masked = client & service.config().persistenceMask();
        int vip = service.key().templateAddress(), vport = service.key().port();
        Segment g = segment(protocol, masked, 0);
        int h = ConnKey.hash(protocol, masked, 0, vip, vport, seed);
        int nowTick = tick(now());
        long stamp = g.lock.writeLock();
        try {
            int slot = findClient(g, h, protocol, masked, 0, vip, vport);
            if (slot < 0) return null;
            int[] e = slab.chunk(slot);
            int b = ConnSlab.base(slot);
            Dest d = dests.dest(e[b + DEST] & DEST_ID_MASK);
            boolean gone = service.find(d.address(), d.port()) != d;
            boolean quiesced = expireQuiescent && d.weight() == 0;
            boolean over = e[b + EXPIRY] - nowTick <= 0 && e[b + MAC_HI] == 0;
            if (gone || quiesced || over) {
                removeEntry(g, slot); // a template is never controlled: nothing to release
                expired.increment();
                return null;
            }
            e[b + MAC_HI]++;
            refresh(slot, e, b, ceilTick(now()) + service.config().persistence() * TICKS_PER_SECOND);
            return d;
        } finally {
            g.lock.unlockWrite(stamp);
        }
    }

    /**
     * Adds the template for {@code client} of {@code service} toward {@code dest}, counting the connection
     * about to be made through it (n_control 1), like ip_vs_sched_persist before it creates the connection.
     *
     * @return the template's server ({@code dest}, or the server of a template another thread added first,
     *     counted as {@link #useTemplate} does), null if the table is full (counted in {@link #refused})
     */
    Dest addTemplate(Service service, int client, Dest dest) {
        long now = now();
        int slot = allocate(now);
        if (slot < 0) return null;
        int destId = dests.acquire(dest, service);
        if (destId < 0) {
            slab.free(slot);
            refused.increment();
            return null;
        }
        int protocol = service.key().templateProtocol() | TEMPLATE_PROTO;
        int masked = client & service.config().persistenceMask();
        int vip = service.key().templateAddress(), vport = service.key().port();
        int[] e = slab.chunk(slot);
        int b = ConnSlab.base(slot);
        e[b + CLIENT] = masked;
        e[b + VIP] = vip;
        e[b + PORTS] = vport & 0xffff;
        e[b + DEST] = (protocol << 24) | destId;
        e[b + MAC_HI] = 1;
        e[b + MISC] = LIVE | NO_OUTPUT;
        e[b + EXPIRY] = ceilTick(now) + service.config().persistence() * TICKS_PER_SECOND;
        e[b + EXTRA] = 0;
        startSyncEnd(slot, now);
        Segment g = segment(protocol, masked, 0);
        int h = ConnKey.hash(protocol, masked, 0, vip, vport, seed);
        long stamp = g.lock.writeLock();
        try {
            int existing = findClient(g, h, protocol, masked, 0, vip, vport);
            if (existing >= 0) { // a race of two first connections: the first template wins
                slab.free(slot);
                dests.release(destId);
                int[] x = slab.chunk(existing);
                int xb = ConnSlab.base(existing);
                x[xb + MAC_HI]++;
                return dests.dest(x[xb + DEST] & DEST_ID_MASK);
            }
            g.byClient = insert(g.byClient, ++g.clients, h, slot, true);
            wheel.add(slot, e[b + EXPIRY]);
            dest.persistent.incrementAndGet();
        } finally {
            g.lock.unlockWrite(stamp);
        }
        templates.increment();
        live.increment();
        created.increment();
        return dest;
    }

    /** A connection counted in its template's n_control was not made after all (the table was full). */
    void releaseControl(Service service, Dest dest, int client) {
        releaseTemplate(service, dest, client);
    }

    /**
     * What {@link #removeEntry} returns for a controlled connection: its client and its (still held) server
     * id, so that its template can be told once the segment lock is released. 0 for any other entry.
     */
    private static long control(int client, int destId) {
        return ((client & 0xffffffffL) << 32) | 0x8000_0000L | destId;
    }

    /** Tells the template of a removed controlled connection ({@link #control}), then gives its id back. */
    private void releaseControl(long control) {
        if (control == 0) return;
        int destId = (int) control & DEST_ID_MASK;
        releaseTemplate(dests.service(destId), dests.dest(destId), (int) (control >>> 32));
        dests.release(destId);
    }

    /** One controlled connection fewer for the template of {@code client} in {@code service}, if it names dest. */
    private void releaseTemplate(Service service, Dest dest, int client) {
        if (service == null) return;
        int protocol = service.key().templateProtocol() | TEMPLATE_PROTO;
        // the mask of now: a changed -M leaves the old template counting until it is dropped or used
        int masked = client & service.config().persistenceMask();
        int vip = service.key().templateAddress(), vport = service.key().port();
        Segment g = segment(protocol, masked, 0);
        int h = ConnKey.hash(protocol, masked, 0, vip, vport, seed);
        long stamp = g.lock.writeLock();
        try {
            int slot = findClient(g, h, protocol, masked, 0, vip, vport);
            if (slot < 0) return;
            int[] e = slab.chunk(slot);
            int b = ConnSlab.base(slot);
            if (dests.dest(e[b + DEST] & DEST_ID_MASK) == dest && e[b + MAC_HI] > 0) e[b + MAC_HI]--;
        } finally {
            g.lock.unlockWrite(stamp);
        }
    }

    private static boolean isTemplate(int[] e, int b) {
        return ((e[b + DEST] >>> 24) & TEMPLATE_PROTO) != 0;
    }

    /** Templates in the table now (they are counted in {@link #size()} too). */
    long templates() {
        return templates.sum();
    }

    /** Sets an entry's expiry (under its segment lock), filing it again if the wheel would look too late. */
    private void refresh(int slot, int[] e, int b, int expiry) {
        e[b + EXPIRY] = expiry;
        if (expiry - e[b + FILED] < 0) {
            wheel.remove(slot);
            wheel.add(slot, expiry);
        }
    }

    // ---- connection sync (IPVS's ip_vs_sync_conn on the master, ip_vs_proc_conn on a backup) ----

    /**
     * Applies the master's rule to entry (e, b) after a client packet (under its segment lock): stores the
     * entry's packet count {@code extra}, and when the rule says send, its new sync_endtime and old_state, and
     * fills {@code c}'s sync entry.
     */
    private boolean syncNeeded(SyncRule rule, int slot, int[] e, int b, int extra, int state, int timeout, long now,
                               Conn c) {
        int protocol = e[b + DEST] >>> 24;
        int oldState = (extra & OLD_STATE_MASK) >>> OLD_STATE_SHIFT;
        int[] ends = slab.syncChunk(slot);
        int end = slot & ConnSlab.CHUNK_MASK;
        long next = rule.check(0, protocol, state, oldState, (extra & CONTROLLED) != 0, extra & PACKETS_MASK,
                ends[end], timeout * 1000, millis(now));
        if (next == SyncRule.NOT_NEEDED) {
            e[b + EXTRA] = extra;
            return false;
        }
        ends[end] = (int) next;
        e[b + EXTRA] = (extra & ~OLD_STATE_MASK) | (state << OLD_STATE_SHIFT);
        syncFields(e, b, c.sync(), timeout);
        return true;
    }

    /** The template of a controlled connection: one more packet for it, and sent if the rule says so. */
    private void syncTemplate(SyncFeed feed, Service service, int client, long now, SyncEntry out) {
        if (service == null) return;
        int protocol = service.key().templateProtocol() | TEMPLATE_PROTO;
        int masked = client & service.config().persistenceMask();
        int vip = service.key().templateAddress(), vport = service.key().port();
        Segment g = segment(protocol, masked, 0);
        int h = ConnKey.hash(protocol, masked, 0, vip, vport, seed);
        boolean send;
        long stamp = g.lock.writeLock();
        try {
            int slot = findClient(g, h, protocol, masked, 0, vip, vport);
            if (slot < 0) return;
            int[] e = slab.chunk(slot);
            int b = ConnSlab.base(slot);
            int extra = e[b + EXTRA];
            if ((extra & PACKETS_MASK) != PACKETS_MASK) extra++;
            int timeout = service.config().persistence();
            int[] ends = slab.syncChunk(slot);
            int end = slot & ConnSlab.CHUNK_MASK;
            long next = feed.rule().check(IpvsConn.F_TEMPLATE, protocol & ~TEMPLATE_PROTO, 0, 0, false,
                    extra & PACKETS_MASK, ends[end], timeout * 1000, millis(now));
            e[b + EXTRA] = extra;
            send = next != SyncRule.NOT_NEEDED;
            if (send) {
                ends[end] = (int) next;
                syncFields(e, b, out, timeout);
            }
        } finally {
            g.lock.unlockWrite(stamp);
        }
        if (send) feed.queue().offer(out);
    }

    /** Fills {@code out} with entry (e, b) as the master sends it, with {@code timeout} seconds. */
    private void syncFields(int[] e, int b, SyncEntry out, int timeout) {
        int destId = e[b + DEST] & DEST_ID_MASK;
        int protocolByte = e[b + DEST] >>> 24;
        boolean template = (protocolByte & TEMPLATE_PROTO) != 0;
        int misc = e[b + MISC];
        Dest dest = dests.dest(destId);
        int flags = dest == null ? 0 : ipvsForwardFlags(dest.forwardMethod());
        if (template) flags |= IpvsConn.F_TEMPLATE;
        else if ((misc & INACTIVE) != 0) flags |= IpvsConn.F_INACTIVE;
        int vport = e[b + PORTS] & 0xffff;
        out.set(protocolByte & ~TEMPLATE_PROTO, flags, template ? IpvsConn.TEMPLATE_NONE : (misc >>> 4) & 0xf,
                e[b + CLIENT], e[b + PORTS] >>> 16, e[b + VIP], vport, dests.address(destId), destPort(destId, vport),
                fwmark(destId), timeout);
    }

    /**
     * The mark a peer needs to find the entry's service: a mark service's (the kernel sends the mark of the
     * packets, which is the service's for the connections it balances), 0 for any other.
     */
    private int fwmark(int destId) {
        Service service = dests.service(destId);
        return service == null ? 0 : service.key().fwmark();
    }

    /** IPVS's connection flags of a forwarding method: its bits, and NOOUTPUT where replies skip the director. */
    static int ipvsForwardFlags(org.jlvs.api.ForwardMethod method) {
        switch (method) {
            case ROUTE: return IpvsConn.F_DROUTE | IpvsConn.F_NOOUTPUT;
            case TUNNEL: return IpvsConn.F_TUNNEL | IpvsConn.F_NOOUTPUT;
            default: return IpvsConn.F_MASQ;
        }
    }

    /**
     * Creates or updates the entry a peer sent, bound to {@code dest} of {@code service} (validated by the
     * caller, {@code timeout} resolved): ip_vs_proc_conn. An existing connection toward another server is
     * expired and replaced when the message is active, left alone when inactive.
     */
    InstallResult install(SyncEntry m, Service service, Dest dest, int timeout, int packets) {
        boolean template = m.isTemplate();
        int protocol = template ? m.protocol | TEMPLATE_PROTO : m.protocol;
        int cport = template ? 0 : m.clientPort;
        Segment g = segment(protocol, m.clientAddress, cport);
        int h = ConnKey.hash(protocol, m.clientAddress, cport, m.virtualAddress, m.virtualPort, seed);
        long now = now();
        long control = 0;
        boolean replaced = false;
        long stamp = g.lock.writeLock();
        try {
            int slot = findClient(g, h, protocol, m.clientAddress, cport, m.virtualAddress, m.virtualPort);
            if (slot >= 0) {
                int[] e = slab.chunk(slot);
                int b = ConnSlab.base(slot);
                Dest current = dests.dest(e[b + DEST] & DEST_ID_MASK);
                if (current != null && current.address() == dest.address() && current.port() == dest.port()) {
                    updateSynced(slot, e, b, m, template, timeout, packets, now);
                    return InstallResult.UPDATED;
                }
                if (!template && (m.flags & IpvsConn.F_INACTIVE) != 0) return InstallResult.IGNORED;
                control = removeEntry(g, slot);
                replaced = true;
            }
        } finally {
            g.lock.unlockWrite(stamp);
        }
        if (replaced) {
            releaseControl(control);
            expired.increment();
        }
        int slot = allocate(now);
        if (slot < 0) return InstallResult.TABLE_FULL;
        int destId = dests.acquire(dest, service);
        if (destId < 0) {
            slab.free(slot);
            refused.increment();
            return InstallResult.TABLE_FULL;
        }
        boolean active = !template && (m.flags & IpvsConn.F_INACTIVE) == 0;
        boolean noOutput = template || dest.forwardMethod() != org.jlvs.api.ForwardMethod.MASQ;
        int state = template ? 0 : m.state;
        int[] e = slab.chunk(slot);
        int b = ConnSlab.base(slot);
        e[b + CLIENT] = m.clientAddress;
        e[b + VIP] = m.virtualAddress;
        e[b + PORTS] = (cport << 16) | (m.virtualPort & 0xffff);
        e[b + DEST] = (protocol << 24) | destId;
        e[b + MAC_HI] = 0; // the client's MAC and interface come with its first packet here; a template's n_control
        e[b + MISC] = (state << 4) | LIVE | (active || template ? 0 : INACTIVE) | (noOutput ? NO_OUTPUT : SERVER_INDEXED);
        e[b + EXPIRY] = ceilTick(now) + timeout * TICKS_PER_SECOND;
        e[b + EXTRA] = SYNCED | Math.min(packets, PACKETS_MASK) | (state << OLD_STATE_SHIFT);
        startSyncEnd(slot, now);
        stamp = g.lock.writeLock();
        try {
            int existing = findClient(g, h, protocol, m.clientAddress, cport, m.virtualAddress, m.virtualPort);
            if (existing >= 0) { // made meanwhile (a packet, or a resync beside the multicast): update that one
                slab.free(slot);
                dests.release(destId);
                int[] x = slab.chunk(existing);
                int xb = ConnSlab.base(existing);
                updateSynced(existing, x, xb, m, template, timeout, packets, now);
                return InstallResult.UPDATED;
            }
            g.byClient = insert(g.byClient, ++g.clients, h, slot, true);
            if (!noOutput) {
                int serverSide = serverHash(slot);
                unindexStaleServerSide(g, slot, serverSide);
                g.byServer = insert(g.byServer, ++g.servers, serverSide, slot, false);
            }
            wheel.add(slot, e[b + EXPIRY]);
            if (template) {
                dest.persistent.incrementAndGet();
            } else {
                dest.connectionAdded();
                if (active) dest.becameActive();
            }
        } finally {
            g.lock.unlockWrite(stamp);
        }
        if (template) templates.increment();
        live.increment();
        created.increment();
        return replaced ? InstallResult.REPLACED : InstallResult.CREATED;
    }

    /** A message for an existing entry (under its lock): state, INACTIVE and timeout from it, marked as synced. */
    private void updateSynced(int slot, int[] e, int b, SyncEntry m, boolean template, int timeout, int packets,
                              long now) {
        int misc = e[b + MISC];
        int state = template ? (misc >>> 4) & 0xf : m.state;
        int flags = misc & 0xf;
        if (!template) {
            boolean inactive = (m.flags & IpvsConn.F_INACTIVE) != 0;
            Dest d = dests.dest(e[b + DEST] & DEST_ID_MASK);
            if (inactive && (flags & INACTIVE) == 0) {
                d.becameInactive();
                flags |= INACTIVE;
            } else if (!inactive && (flags & INACTIVE) != 0) {
                d.becameActive();
                flags &= ~INACTIVE;
            }
        }
        e[b + MISC] = (misc & 0xffffff00) | (state << 4) | flags;
        int extra = e[b + EXTRA] & ~(OLD_STATE_MASK | PACKETS_MASK);
        e[b + EXTRA] = extra | SYNCED | Math.min(packets, PACKETS_MASK) | (state << OLD_STATE_SHIFT);
        refresh(slot, e, b, ceilTick(now) + timeout * TICKS_PER_SECOND);
    }

    /**
     * Passes every entry to {@code sink} as a master would send it, with the time it has left: a segment's
     * entries are copied under its read lock, then handed on without it.
     */
    long snapshot(SyncEntry into, SyncEntrySink sink) {
        final int fields = 8;
        int[] copy = new int[64 * fields];
        long passed = 0;
        for (Segment g : segments) {
            int n = 0;
            long now = now();
            long stamp = g.lock.readLock();
            try {
                for (int cell : g.byClient) {
                    if (cell == 0) continue;
                    int slot = (cell & SLOT_MASK) - 1;
                    if ((n + 1) * fields > copy.length) copy = java.util.Arrays.copyOf(copy, copy.length * 2);
                    int[] e = slab.chunk(slot);
                    int b = ConnSlab.base(slot);
                    int o = n * fields;
                    copy[o] = e[b + CLIENT];
                    copy[o + 1] = e[b + VIP];
                    copy[o + 2] = e[b + PORTS];
                    copy[o + 3] = e[b + DEST];
                    copy[o + 4] = e[b + MISC];
                    copy[o + 5] = (int) Math.max(1, (millisLeft(e[b + EXPIRY], now) + 999) / 1000);
                    int destId = e[b + DEST] & DEST_ID_MASK;
                    copy[o + 6] = dests.address(destId);
                    Dest d = dests.dest(destId);
                    copy[o + 7] = (destPort(destId, e[b + PORTS] & 0xffff) << 8)
                            | (d == null ? 0 : ipvsForwardFlags(d.forwardMethod()));
                    n++;
                }
            } finally {
                g.lock.unlockRead(stamp);
            }
            for (int i = 0; i < n; i++) {
                int o = i * fields;
                int protocolByte = copy[o + 3] >>> 24;
                boolean template = (protocolByte & TEMPLATE_PROTO) != 0;
                int misc = copy[o + 4];
                int flags = copy[o + 7] & 0xff;
                if (template) flags |= IpvsConn.F_TEMPLATE;
                else if ((misc & INACTIVE) != 0) flags |= IpvsConn.F_INACTIVE;
                into.set(protocolByte & ~TEMPLATE_PROTO, flags, template ? IpvsConn.TEMPLATE_NONE : (misc >>> 4) & 0xf,
                        copy[o], copy[o + 2] >>> 16, copy[o + 1], copy[o + 2] & 0xffff, copy[o + 6],
                        copy[o + 7] >>> 8, fwmark(copy[o + 3] & DEST_ID_MASK), copy[o + 5]);
                sink.accept(into);
                passed++;
            }
        }
        return passed;
    }

    /** Whether the entry of (protocol, client, cport, vip, vport) was learnt from a peer; false if none. */
    boolean isSynced(int protocol, int client, int cport, int vip, int vport) {
        Segment g = segment(protocol, client, cport);
        int h = ConnKey.hash(protocol, client, cport, vip, vport, seed);
        long stamp = g.lock.readLock();
        try {
            int slot = findClient(g, h, protocol, client, cport, vip, vport);
            return slot >= 0 && (slab.chunk(slot)[ConnSlab.base(slot) + EXTRA] & SYNCED) != 0;
        } finally {
            g.lock.unlockRead(stamp);
        }
    }

    /** The tcp timeouts now (seconds by state) and the UDP one, for installs without a timeout. */
    int stateTimeout(int protocol, int state) {
        return protocol == TCP ? tcpTimeouts[state] : udpTimeout;
    }

    /** A new entry's sync_endtime, as ip_vs_conn_new sets it; nothing while no master daemon has run. */
    private void startSyncEnd(int slot, long now) {
        int[] ends = slab.syncChunkOrNull(slot);
        if (ends != null) ends[slot & ConnSlab.CHUNK_MASK] = millis(now) & ~3;
    }

    private static int millis(long nanos) {
        return (int) (nanos / 1_000_000L);
    }

    // ---- ConnectionTable ----

    @Override
    public long size() {
        return live.sum();
    }

    /** Streams a segment at a time: copies it under its lock, then filters and passes it on without the lock. */
    @Override
    public long forEach(Predicate<ConnectionInfo> filter, long limit, Consumer<ConnectionInfo> sink) {
        long now = now();
        long passed = 0;
        List<ConnectionInfo> batch = new ArrayList<>();
        for (Segment g : segments) {
            if (passed >= limit) break;
            batch.clear();
            long stamp = g.lock.readLock();
            try {
                for (int cell : g.byClient) {
                    if (cell != 0) batch.add(info((cell & SLOT_MASK) - 1, now));
                }
            } finally {
                g.lock.unlockRead(stamp);
            }
            passed = pass(batch, filter, limit, passed, sink);
        }
        return passed;
    }

    /** Passes the entries of a batch that the filter accepts to the sink, up to limit in all; the new count. */
    static long pass(List<ConnectionInfo> batch, Predicate<ConnectionInfo> filter, long limit, long passed,
                     Consumer<ConnectionInfo> sink) {
        for (ConnectionInfo info : batch) {
            if (passed >= limit) break;
            if (filter == null || filter.test(info)) {
                sink.accept(info);
                passed++;
            }
        }
        return passed;
    }

    @Override
    public int[] timeouts() {
        int[] tcp = tcpTimeouts;
        return new int[] {tcp[TcpStates.ESTABLISHED], tcp[TcpStates.FIN_WAIT], udpTimeout};
    }

    /** ipvsadm --set: ESTABLISHED, FIN_WAIT and UDP; 0 keeps a value. Applies from each entry's next packet. */
    @Override
    public synchronized void setTimeouts(int tcp, int tcpFin, int udp) {
        if (tcp < 0 || tcpFin < 0 || udp < 0) throw new IllegalArgumentException("timeouts must not be negative");
        if (tcp > MAX_TIMEOUT || tcpFin > MAX_TIMEOUT || udp > MAX_TIMEOUT) {
            throw new IllegalArgumentException("timeouts must not exceed " + MAX_TIMEOUT + " s");
        }
        int[] next = tcpTimeouts.clone();
        if (tcp > 0) next[TcpStates.ESTABLISHED] = tcp;
        if (tcpFin > 0) next[TcpStates.FIN_WAIT] = tcpFin;
        tcpTimeouts = next;
        if (udp > 0) udpTimeout = udp;
    }

    /** Real servers that entries point to now (their ids are given back with their last entry). */
    int destIds() {
        return dests.size();
    }

    // ---- entries and indexes (callers hold the segment lock) ----

    private Segment segment(int protocol, int clientAddress, int clientPort) {
        return segments[segmentIndex(protocol, clientAddress, clientPort)];
    }

    private int segmentIndex(int protocol, int clientAddress, int clientPort) {
        return ConnKey.segmentHash(protocol, clientAddress, clientPort, seed) >>> segmentShift;
    }

    private Segment segmentOfEntry(int slot) {
        int[] e = slab.chunk(slot);
        int b = ConnSlab.base(slot);
        return segment(e[b + DEST] >>> 24, e[b + CLIENT], e[b + PORTS] >>> 16);
    }

    // Lookups may run without the lock (optimistic readers): they bound their probes and check every slot
    // and id they read, so that a torn read gives a wrong answer (thrown away on validation), never an error.

    private int findClient(Segment g, int h, int protocol, int clientAddress, int clientPort, int vip, int vport) {
        int[] index = g.byClient;
        int mask = index.length - 1;
        int tag = h >>> SLOT_BITS;
        int ports = (clientPort << 16) | (vport & 0xffff);
        for (int i = h & mask, n = 0; n <= mask; i = (i + 1) & mask, n++) {
            int cell = index[i];
            if (cell == 0) return -1;
            if (cell >>> SLOT_BITS != tag) continue;
            int slot = (cell & SLOT_MASK) - 1;
            int[] e = slab.chunkOrNull(slot);
            if (e == null) continue;
            int b = ConnSlab.base(slot);
            if (e[b + CLIENT] == clientAddress && e[b + PORTS] == ports && e[b + VIP] == vip
                    && (e[b + DEST] >>> 24) == protocol) {
                return slot;
            }
        }
        return -1;
    }

    /** The slot of the NAT connection with real-server side {@code k} (server, client), or -1. */
    private int findServer(Segment g, int h, ConnKey k) {
        return findServer(g, h, k.protocol, k.address1, k.port1, k.address2, k.port2);
    }

    private int findServer(Segment g, int h, int protocol, int server, int serverPort, int client, int clientPort) {
        int[] index = g.byServer;
        int mask = index.length - 1;
        int tag = h >>> SLOT_BITS;
        for (int i = h & mask, n = 0; n <= mask; i = (i + 1) & mask, n++) {
            int cell = index[i];
            if (cell == 0) return -1;
            if (cell >>> SLOT_BITS != tag) continue;
            int slot = (cell & SLOT_MASK) - 1;
            int[] e = slab.chunkOrNull(slot);
            if (e == null) continue;
            int b = ConnSlab.base(slot);
            int destId = e[b + DEST] & DEST_ID_MASK;
            if (e[b + CLIENT] == client && (e[b + PORTS] >>> 16) == clientPort
                    && (e[b + DEST] >>> 24) == protocol && dests.address(destId) == server
                    && destPort(destId, e[b + PORTS] & 0xffff) == serverPort) {
                return slot;
            }
        }
        return -1;
    }

    /**
     * The newest connection owns a real-server-side key. Two entries share one when a client reuses its port
     * toward two services (or a service and its old, closing entry) that NAT to the same server and port:
     * the server's replies belong to the new connection, so the old entry leaves the server-side index.
     */
    private void unindexStaleServerSide(Segment g, int slot, int h) {
        int[] e = slab.chunk(slot);
        int b = ConnSlab.base(slot);
        int destId = e[b + DEST] & DEST_ID_MASK;
        int stale = findServer(g, h, e[b + DEST] >>> 24, dests.address(destId),
                destPort(destId, e[b + PORTS] & 0xffff), e[b + CLIENT], e[b + PORTS] >>> 16);
        if (stale < 0) return;
        delete(g.byServer, position(g.byServer, h, stale), false);
        g.servers--;
        int[] se = slab.chunk(stale);
        se[ConnSlab.base(stale) + MISC] &= ~SERVER_INDEXED;
    }

    /** Copies entry {@code slot} into {@code out}; false if its server id names no server (a torn read). */
    private boolean fill(int slot, Conn out) {
        int[] e = slab.chunkOrNull(slot);
        if (e == null) return false;
        int b = ConnSlab.base(slot);
        int misc = e[b + MISC];
        int destId = e[b + DEST] & DEST_ID_MASK;
        Dest dest = dests.dest(destId);
        if (dest == null) return false;
        out.protocol = e[b + DEST] >>> 24;
        out.clientAddress = e[b + CLIENT];
        out.clientPort = e[b + PORTS] >>> 16;
        out.virtualAddress = e[b + VIP];
        out.virtualPort = e[b + PORTS] & 0xffff;
        // Storing a reference into this long-lived view costs G1's post-write barrier a StoreLoad fence when
        // the referent lives in another region: store only what changed (service and link rarely do).
        if (out.dest != dest) out.dest = dest;
        Service service = dests.service(destId);
        if (out.service != service) out.service = service;
        Link link = links.link((misc >>> 8) & 0xff);
        if (out.clientLink != link) out.clientLink = link;
        out.clientMac = ((e[b + MAC_HI] & 0xffffffffL) << 16) | (misc >>> 16);
        out.state = (misc >>> 4) & 0xf;
        out.controlled = (e[b + EXTRA] & CONTROLLED) != 0;
        out.slot = slot;
        return true;
    }

    private ConnectionInfo info(int slot, long now) {
        int[] e = slab.chunk(slot);
        int b = ConnSlab.base(slot);
        int destId = e[b + DEST] & DEST_ID_MASK;
        int protocol = (e[b + DEST] >>> 24) & ~TEMPLATE_PROTO; // a template is listed as its protocol's NONE
        int vport = e[b + PORTS] & 0xffff;
        // a mark service's template (protocol IPPROTO_IP) is listed as IPVS lists it: IP, NONE
        String state = protocol == TCP ? TcpStates.name((e[b + MISC] >>> 4) & 0xf)
                : protocol == 0 ? TcpStates.name(TcpStates.NONE) : TcpStates.UDP_NAME;
        return new ConnectionInfo(Protocol.of(protocol), state, Math.max(0, millisLeft(e[b + EXPIRY], now)),
                e[b + CLIENT], e[b + PORTS] >>> 16, e[b + VIP], vport, dests.address(destId),
                destPort(destId, vport), (e[b + EXTRA] & SYNCED) != 0);
    }

    private int destPort(int destId, int vport) {
        int port = dests.port(destId);
        return port == 0 ? vport : port;
    }

    /**
     * Unlinks an entry from its indexes and the wheel, counts it off its server and frees the slot.
     *
     * @return for a controlled connection, what {@link #releaseControl(long)} needs once the caller has
     *     released the segment lock (the server id is still held for it); else 0
     */
    private long removeEntry(Segment g, int slot) {
        int[] e = slab.chunk(slot);
        int b = ConnSlab.base(slot);
        int flags = e[b + MISC];
        delete(g.byClient, position(g.byClient, clientHash(slot), slot), true);
        g.clients--;
        if ((flags & SERVER_INDEXED) != 0) {
            delete(g.byServer, position(g.byServer, serverHash(slot), slot), false);
            g.servers--;
        }
        wheel.remove(slot);
        int destId = e[b + DEST] & DEST_ID_MASK;
        Dest dest = dests.dest(destId);
        long control = 0;
        if (isTemplate(e, b)) {
            dest.persistent.decrementAndGet();
            templates.decrement();
        } else {
            dest.connectionRemoved((flags & INACTIVE) != 0);
            if ((e[b + EXTRA] & CONTROLLED) != 0) control = control(e[b + CLIENT], destId);
        }
        if (control == 0) dests.release(destId);
        slab.free(slot);
        live.decrement();
        return control;
    }

    private int clientHash(int slot) {
        int[] e = slab.chunk(slot);
        int b = ConnSlab.base(slot);
        return ConnKey.hash(e[b + DEST] >>> 24, e[b + CLIENT], e[b + PORTS] >>> 16, e[b + VIP],
                e[b + PORTS] & 0xffff, seed);
    }

    private int serverHash(int slot) {
        int[] e = slab.chunk(slot);
        int b = ConnSlab.base(slot);
        int destId = e[b + DEST] & DEST_ID_MASK;
        return ConnKey.hash(e[b + DEST] >>> 24, dests.address(destId), destPort(destId, e[b + PORTS] & 0xffff),
                e[b + CLIENT], e[b + PORTS] >>> 16, seed);
    }

    private int hashOf(int slot, boolean clientSide) {
        return clientSide ? clientHash(slot) : serverHash(slot);
    }

    /** Puts {@code slot} in {@code index} (which will hold {@code count} cells), doubling it first if needed. */
    private int[] insert(int[] index, int count, int h, int slot, boolean clientSide) {
        if (count * 4L > index.length * 3L) index = rehash(index, index.length * 2, clientSide);
        place(index, h, slot);
        return index;
    }

    private static void place(int[] index, int h, int slot) {
        int mask = index.length - 1;
        int i = h & mask;
        while (index[i] != 0) i = (i + 1) & mask;
        index[i] = (h & ~SLOT_MASK) | (slot + 1);
    }

    private int[] rehash(int[] index, int size, boolean clientSide) {
        int[] grown = new int[size];
        for (int cell : index) {
            if (cell != 0) {
                int slot = (cell & SLOT_MASK) - 1;
                place(grown, hashOf(slot, clientSide), slot);
            }
        }
        return grown;
    }

    /** The cell holding {@code slot}, searched from its home cell; -1 if it is not in this index. */
    private static int position(int[] index, int h, int slot) {
        int mask = index.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            int cell = index[i];
            if (cell == 0) return -1;
            if ((cell & SLOT_MASK) == slot + 1) return i;
        }
    }

    /** Empties cell {@code hole}, moving back the cells after it that may sit closer to their home. */
    private void delete(int[] index, int hole, boolean clientSide) {
        int mask = index.length - 1;
        for (int j = (hole + 1) & mask; ; j = (j + 1) & mask) {
            int cell = index[j];
            if (cell == 0) break;
            int home = hashOf((cell & SLOT_MASK) - 1, clientSide) & mask;
            if (((j - home) & mask) >= ((j - hole) & mask)) { // home is not in (hole, j]: it may move to the hole
                index[hole] = cell;
                hole = j;
            }
        }
        index[hole] = 0;
    }

    // ---- time ----

    private int tick(long nanos) {
        return (int) Math.floorDiv(nanos - origin, TICK_NANOS);
    }

    /** The first tick at or after {@code nanos}, so that no entry expires before its full timeout. */
    private int ceilTick(long nanos) {
        return (int) Math.floorDiv(nanos - origin + TICK_NANOS - 1, TICK_NANOS);
    }

    private long millisLeft(int expiry, long nanos) {
        long sinceTick = Math.floorMod(nanos - origin, TICK_NANOS);
        return ((expiry - tick(nanos)) * TICK_NANOS - sinceTick) / 1_000_000;
    }
}
