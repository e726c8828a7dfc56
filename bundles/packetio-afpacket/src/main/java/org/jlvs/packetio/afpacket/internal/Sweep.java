package org.jlvs.packetio.afpacket.internal;

import java.util.Arrays;

/**
 * One receive thread's pass over the ready slots of its ring. The frames the core sends from inside the pass
 * (on any channel) are queued in that thread's batch for the channel and go out when the pass ends, before the
 * thread polls again, or when a batch is full: one system call per channel and pass instead of one per frame.
 * A thread without a sweep (ARP, VRRP, timers, the shell) sends at once. Confined to its thread.
 */
final class Sweep {
    private static final ThreadLocal<Sweep> OF_THREAD = new ThreadLocal<>();

    private boolean active;
    private SendBatch[] enlisted = new SendBatch[4];
    private int count;

    /** The calling thread's sweep, or null when it is not a receive thread. */
    static Sweep ofCurrentThread() {
        return OF_THREAD.get();
    }

    /** Makes the calling thread a receive thread (before its first send). */
    static Sweep forCurrentThread() {
        Sweep sweep = OF_THREAD.get();
        if (sweep == null) {
            sweep = new Sweep();
            OF_THREAD.set(sweep);
        }
        return sweep;
    }

    boolean active() {
        return active;
    }

    void begin() {
        active = true;
    }

    /** A batch that got its first frame in this pass: flushed at the end. */
    void enlist(SendBatch batch) {
        if (batch.enlisted) return;
        if (count == enlisted.length) enlisted = Arrays.copyOf(enlisted, count * 2); // a new channel, not a frame
        batch.enlisted = true;
        enlisted[count++] = batch;
    }

    /** Ends the pass: every batch filled in it is sent. */
    void end() {
        active = false;
        for (int i = 0; i < count; i++) {
            SendBatch batch = enlisted[i];
            enlisted[i] = null;
            batch.enlisted = false;
            batch.owner.flush(batch);
        }
        count = 0;
    }
}
