package org.jlvs.sync.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.jlvs.api.sync.SyncEntry;
import org.jlvs.api.sync.SyncEntrySink;
import org.jlvs.api.sync.SyncQueue;

/**
 * The master's work, without its thread and socket: takes the packet path's updates out of the queue into a v1
 * datagram, sends it when the next entry does not fit (so many entries share a datagram under load) and sends a
 * partly filled one once its first entry has waited {@value #FLUSH_MILLIS} ms (IPVS_SYNC_FLUSH_TIME). Nothing is
 * allocated per entry. One thread.
 */
final class MasterSender implements SyncEntrySink {
    /** A partly filled datagram leaves at the latest this long after its first entry, as in IPVS. */
    static final long FLUSH_MILLIS = 2000;
    /** Entries taken from the queue per {@link #pump} at most, so that a flood cannot starve the flush check. */
    static final int DRAIN_BATCH = 4096;

    /** Sends one datagram (the socket, or a test's list). */
    interface Transport {
        void send(ByteBuffer datagram) throws IOException;
    }

    enum Counter { DATAGRAMS_SENT, ENTRIES_SENT, BYTES_SENT, SEND_ERRORS, RESYNCS_SERVED, RESYNC_ENTRIES_SENT, RESYNCS_REFUSED }

    private final SyncQueue queue;
    private final SyncEncoder encoder;
    private final int syncId;
    private final Transport transport;
    private final Counters<Counter> counters;
    private final SyncEntry entry = new SyncEntry();
    /** When the first entry of the datagram being filled arrived (valid while it has entries). */
    private long firstUse;
    private long now;
    private IOException lastError;

    MasterSender(SyncQueue queue, int maxLen, int syncId, Transport transport, Counters<Counter> counters, boolean direct) {
        this.queue = queue;
        this.encoder = new SyncEncoder(maxLen, direct);
        this.syncId = syncId;
        this.transport = transport;
        this.counters = counters;
        encoder.reset(syncId);
    }

    /**
     * Drains what is waiting and sends what is due at {@code nowMillis}.
     *
     * @return entries taken from the queue
     */
    int pump(long nowMillis) {
        now = nowMillis;
        int taken = 0;
        int n;
        do {
            n = queue.drain(entry, this, DRAIN_BATCH);
            taken += n;
        } while (n == DRAIN_BATCH && taken < 16 * DRAIN_BATCH);
        if (encoder.count() > 0 && nowMillis - firstUse >= FLUSH_MILLIS) flush();
        return taken;
    }

    /** One entry from the queue: into the datagram, which leaves first if the entry does not fit. */
    @Override
    public void accept(SyncEntry e) {
        if (!encoder.fits(e)) flush();
        if (encoder.count() == 0) firstUse = now;
        if (!encoder.add(e)) { // cannot happen: an entry with options is far below the smallest sync_maxlen
            counters.increment(Counter.SEND_ERRORS);
        }
        if (encoder.full()) flush();
    }

    /** Sends the datagram being filled, if it has entries. */
    void flush() {
        int count = encoder.count();
        if (count == 0) return;
        int size = encoder.size();
        try {
            transport.send(encoder.datagram());
            counters.increment(Counter.DATAGRAMS_SENT);
            counters.add(Counter.ENTRIES_SENT, count);
            counters.add(Counter.BYTES_SENT, size);
            lastError = null;
        } catch (IOException e) { // like the kernel: the datagram is lost, the next one is tried
            counters.increment(Counter.SEND_ERRORS);
            lastError = e;
        }
        encoder.reset(syncId);
    }

    /** The last send error, or null once a send worked again. */
    IOException lastError() {
        return lastError;
    }

    /** Entries waiting in the datagram being filled. */
    int pending() {
        return encoder.count();
    }
}
