package org.jlvs.core.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The memory of the connection entries: {@value #INTS} ints (44 bytes) per entry, no object per connection.
 * Entries are numbered slots in chunks of {@value #CHUNK} entries, allocated as the table first grows to them,
 * so an idle table costs nothing and a full one has no multi-gigabyte array. Memory is kept at the peak.
 *
 * <p>Slots come from a lock-free free list (a Treiber stack whose head carries a version against ABA, linked
 * through the {@link #NEXT} field of free slots), then from never-used slots. Which fields of a slot may be
 * read or written when is the {@link ConnTable}'s business (its segment locks).
 */
final class ConnSlab {
    /**
     * The fields of an entry, as int offsets. A persistence template (IPVS's IP_VS_CONN_F_TEMPLATE) is an
     * entry too: its protocol byte carries {@link #TEMPLATE_PROTO}, its client is the masked client address,
     * its client port 0, its virtual port the service's, and it keeps its n_control in {@link #MAC_HI}.
     * A new field goes at the end (INTS + 1, 4 bytes an entry); new flags take the free bits of
     * {@link #EXTRA}'s top byte.
     */
    static final int CLIENT = 0,   // client IPv4 address
            VIP = 1,               // virtual address
            PORTS = 2,             // client port << 16 | virtual port
            DEST = 3,              // protocol << 24 | dest id (DestRegistry)
            MAC_HI = 4,            // client MAC, upper 32 bits; a template's n_control
            MISC = 5,              // client MAC low 16 bits << 16 | link id << 8 | state << 4 | flags
            EXPIRY = 6,            // expiry tick
            FILED = 7,             // the tick of the timer-wheel bucket the entry is in (<= expiry)
            PREV = 8,              // timer-wheel list links (entry slots, or negative bucket sentinels)
            NEXT = 9,              // ... NEXT is also the free-list link (slot + 1, 0 = end)
            EXTRA = 10;            // flags2 << 24 | packets from the client (IPVS's in_pkts, saturating)
    static final int INTS = 11;

    /** {@link #MISC} flags (the fourth, 8, is the table's SERVER_INDEXED). */
    static final int LIVE = 1, INACTIVE = 2, NO_OUTPUT = 4;
    /**
     * {@link #EXTRA}: the packet count's bits, and flags2 above them: SYNCED (learnt from a peer, IPVS's
     * IP_VS_CONN_F_SYNC) and the state last sent to the backups (IPVS's old_state) in bits 27..30; bit 31 free.
     */
    static final int PACKETS_MASK = (1 << 24) - 1, REPLIED = 1 << 24, CONTROLLED = 1 << 25, SYNCED = 1 << 26,
            OLD_STATE_SHIFT = 27, OLD_STATE_MASK = 0xf << OLD_STATE_SHIFT;
    /** Or-ed into a template's protocol byte, so that no packet's key ever finds a template. */
    static final int TEMPLATE_PROTO = 0x80;

    static final int CHUNK_BITS = 14, CHUNK = 1 << CHUNK_BITS, CHUNK_MASK = CHUNK - 1;

    private final int capacity;
    /** Replaced (copy on grow) under this object's lock, read without: a volatile read per operation. */
    private volatile int[][] chunks = new int[0][];
    /**
     * IPVS's sync_endtime of each slot (when the master last sent the entry, see SyncRule), in chunks made
     * only once a master daemon has run: sync costs its 4 bytes an entry only where it is used.
     */
    private volatile int[][] syncChunks = new int[0][];
    private final AtomicInteger neverUsed = new AtomicInteger();
    /** version << 32 | (slot + 1) of the first free slot; low half 0 when empty. */
    private final AtomicLong freeHead = new AtomicLong();

    ConnSlab(int capacity) {
        this.capacity = capacity;
    }

    int capacity() {
        return capacity;
    }

    /** The chunk holding {@code slot}; index it with {@link #base}. */
    int[] chunk(int slot) {
        return chunks[slot >>> CHUNK_BITS];
    }

    /** As {@link #chunk}, or null when the slot's chunk is not (visibly) allocated: for optimistic readers. */
    int[] chunkOrNull(int slot) {
        int[][] c = chunks;
        int i = slot >>> CHUNK_BITS;
        return i < c.length ? c[i] : null;
    }

    /** The sync_endtime chunk of {@code slot} (index it with {@code slot & CHUNK_MASK}), made if needed. */
    int[] syncChunk(int slot) {
        int[][] c = syncChunks;
        int i = slot >>> CHUNK_BITS;
        return i < c.length ? c[i] : growSync(i);
    }

    /** As {@link #syncChunk}, or null while no master daemon has run (nothing to keep then). */
    int[] syncChunkOrNull(int slot) {
        int[][] c = syncChunks;
        if (c.length == 0) return null;
        int i = slot >>> CHUNK_BITS;
        return i < c.length ? c[i] : growSync(i);
    }

    private synchronized int[] growSync(int chunk) {
        int[][] current = syncChunks;
        if (chunk < current.length) return current[chunk];
        int[][] next = Arrays.copyOf(current, chunk + 1);
        for (int i = current.length; i <= chunk; i++) next[i] = new int[CHUNK];
        syncChunks = next;
        return next[chunk];
    }

    static int base(int slot) {
        return (slot & CHUNK_MASK) * INTS;
    }

    /** Slots below this number exist (their chunk is allocated): a bound for scans. */
    int allocatedSlots() {
        return chunks.length << CHUNK_BITS;
    }

    /** A free slot, or -1 when all {@link #capacity} slots are taken. Its fields are stale until written. */
    int allocate() {
        for (;;) {
            long head = freeHead.get();
            int slot = (int) head - 1;
            if (slot < 0) break;
            int next = chunk(slot)[base(slot) + NEXT]; // stale if another thread took it: the CAS fails then
            if (freeHead.compareAndSet(head, (((head >>> 32) + 1) << 32) | (next & 0xffffffffL))) return slot;
        }
        for (;;) {
            int slot = neverUsed.get();
            if (slot >= capacity) return -1;
            if (neverUsed.compareAndSet(slot, slot + 1)) {
                if ((slot >>> CHUNK_BITS) >= chunks.length) grow(slot >>> CHUNK_BITS);
                return slot;
            }
        }
    }

    /** Gives a slot back; the caller has unlinked it from everything. */
    void free(int slot) {
        int[] c = chunk(slot);
        int b = base(slot);
        c[b + MISC] = 0;
        for (;;) {
            long head = freeHead.get();
            c[b + NEXT] = (int) head;
            if (freeHead.compareAndSet(head, (((head >>> 32) + 1) << 32) | (slot + 1))) return;
        }
    }

    private synchronized void grow(int chunk) {
        int[][] current = chunks;
        if (chunk < current.length) return;
        int[][] next = Arrays.copyOf(current, chunk + 1);
        for (int i = current.length; i <= chunk; i++) next[i] = new int[CHUNK * INTS];
        chunks = next;
    }
}
