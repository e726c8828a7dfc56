package org.jlvs.core.internal;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Small int ids for the real servers that connection entries point to (an entry stores 24 bits, not a
 * reference). An id is counted once per entry and given back when the last entry of its server goes, so
 * servers deleted and added again do not pile up. Taking an id for a server that already has entries is a
 * lookup and a CAS; the lock is only for the first entry of a server and the release of its last.
 *
 * <p>Per id it also keeps the server's address and port (immutable per {@link Dest}): the real-server-side
 * index compares them without dereferencing the Dest.
 */
final class DestRegistry {
    static final int MAX_IDS = 1 << 24;
    private static final int CHUNK_BITS = 10, CHUNK = 1 << CHUNK_BITS, CHUNK_MASK = CHUNK - 1;

    /** Ids never move between chunks, so counts updated during a grow are never lost. */
    private static final class Chunk {
        final Dest[] dests = new Dest[CHUNK];
        final Service[] services = new Service[CHUNK];
        final int[] addresses = new int[CHUNK];
        final int[] ports = new int[CHUNK];
        final AtomicIntegerArray refs = new AtomicIntegerArray(CHUNK);
    }

    private volatile Chunk[] chunks = {new Chunk()};
    private final ConcurrentHashMap<Dest, Integer> ids = new ConcurrentHashMap<>();
    // Under this object's lock:
    private int[] freeIds = new int[16];
    private int freeCount;
    private int nextId;

    /** Counts one more entry of {@code dest} (a server of {@code service}); returns its id, -1 if none is left. */
    int acquire(Dest dest, Service service) {
        Integer known = ids.get(dest);
        if (known != null) {
            int id = known;
            Chunk c = chunk(id);
            int i = id & CHUNK_MASK;
            for (int refs = c.refs.get(i); refs > 0; refs = c.refs.get(i)) {
                if (c.refs.compareAndSet(i, refs, refs + 1)) {
                    if (c.dests[i] == dest) return id;
                    release(id); // the id was freed and given to another server meanwhile
                    break;
                }
            }
        }
        return acquireSlow(dest, service);
    }

    private synchronized int acquireSlow(Dest dest, Service service) {
        Integer known = ids.get(dest);
        if (known != null) {
            chunk(known).refs.incrementAndGet(known & CHUNK_MASK); // a release to 0 frees only under this lock
            return known;
        }
        int id;
        if (freeCount > 0) {
            id = freeIds[--freeCount];
        } else {
            if (nextId >= MAX_IDS) return -1;
            id = nextId++;
            if ((id >>> CHUNK_BITS) >= chunks.length) {
                Chunk[] grown = Arrays.copyOf(chunks, chunks.length + 1);
                grown[grown.length - 1] = new Chunk();
                chunks = grown;
            }
        }
        Chunk c = chunk(id);
        int i = id & CHUNK_MASK;
        c.dests[i] = dest;
        c.services[i] = service;
        c.addresses[i] = dest.address();
        c.ports[i] = dest.port();
        c.refs.set(i, 1);
        ids.put(dest, id);
        return id;
    }

    /** One entry of the server fewer; the id is freed with the last. */
    void release(int id) {
        Chunk c = chunk(id);
        if (c.refs.decrementAndGet(id & CHUNK_MASK) == 0) freeIfUnused(id);
    }

    private synchronized void freeIfUnused(int id) {
        Chunk c = chunk(id);
        int i = id & CHUNK_MASK;
        if (c.refs.get(i) != 0 || c.dests[i] == null) return; // taken again, or freed already
        ids.remove(c.dests[i], id);
        c.dests[i] = null;
        c.services[i] = null;
        if (freeCount == freeIds.length) freeIds = Arrays.copyOf(freeIds, freeCount * 2);
        freeIds[freeCount++] = id;
    }

    // The accessors take any int: an optimistic reader may pass a torn id (it validates afterwards).

    /** The server of id {@code id}, null if none. */
    Dest dest(int id) {
        Chunk c = chunkOrNull(id);
        return c == null ? null : c.dests[id & CHUNK_MASK];
    }

    Service service(int id) {
        Chunk c = chunkOrNull(id);
        return c == null ? null : c.services[id & CHUNK_MASK];
    }

    int address(int id) {
        Chunk c = chunkOrNull(id);
        return c == null ? 0 : c.addresses[id & CHUNK_MASK];
    }

    /** The server's configured port (0: the connection's virtual port). */
    int port(int id) {
        Chunk c = chunkOrNull(id);
        return c == null ? 0 : c.ports[id & CHUNK_MASK];
    }

    /** Ids in use now (servers with entries). */
    int size() {
        return ids.size();
    }

    private Chunk chunk(int id) {
        return chunks[id >>> CHUNK_BITS];
    }

    private Chunk chunkOrNull(int id) {
        Chunk[] c = chunks;
        int i = id >>> CHUNK_BITS;
        return i < c.length ? c[i] : null;
    }
}
