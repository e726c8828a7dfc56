package org.jlvs.packetio.afpacket.internal;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The send side of one channel: one send socket shared by every sending thread (a packet socket's send is
 * thread-safe), each thread with its own native buffer. A receive thread inside a {@link Sweep} queues its frames
 * in its own {@link SendBatch} for this channel instead (one sendmmsg per pass); every other thread sends at
 * once with sendto. No lock anywhere: each thread writes only its own buffers.
 */
final class ChannelSender {
    static final int MAX_FRAME = 65536;
    /** Frames per batch: a pass drains up to 64 ring slots, each of which may send a frame or two. */
    static final int BATCH_FRAMES = 64;

    private final int fd;
    private final int slotSize;
    private final SendCalls calls;
    private final ThreadLocal<ThreadSender> perThread = ThreadLocal.withInitial(this::newThreadSender);
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private volatile boolean closed;

    /** A thread's send state on this channel: its buffer for sendto, and a batch if it is a receive thread. */
    private static final class ThreadSender {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_FRAME);
        final long address = Pointer.nativeValue(Native.getDirectBufferPointer(buffer));
        final Sweep sweep;
        final SendBatch batch;

        ThreadSender(Sweep sweep, SendBatch batch) {
            this.sweep = sweep;
            this.batch = batch;
        }
    }

    ChannelSender(int fd, int mtu, SendCalls calls) {
        this.fd = fd;
        this.slotSize = slotSize(mtu);
        this.calls = calls;
    }

    /** A batch slot holds a frame of the MTU with its Ethernet header and a VLAN tag, 64-byte aligned. */
    static int slotSize(int mtu) {
        return (Math.max(mtu, 576) + 14 + 4 + 63) & ~63;
    }

    private ThreadSender newThreadSender() {
        Sweep sweep = Sweep.ofCurrentThread();
        return new ThreadSender(sweep, sweep == null ? null : new SendBatch(this, BATCH_FRAMES, slotSize));
    }

    int descriptor() {
        return fd;
    }

    /**
     * Sends a frame, or queues it when the calling thread is inside a sweep (true then means queued: a frame
     * the kernel refuses at the flush is counted in {@link #failures()}).
     */
    boolean send(byte[] frame, int offset, int length) {
        if (closed || length > MAX_FRAME || length < 0) {
            failures.incrementAndGet();
            return false;
        }
        ThreadSender t = perThread.get();
        SendBatch batch = t.batch;
        if (batch != null && t.sweep.active()) {
            if (length <= batch.slotSize) {
                batch.add(frame, offset, length);
                if (batch.full()) flush(batch);
                else t.sweep.enlist(batch);
                return true;
            }
            flush(batch); // a frame too large for a slot goes at once, after the frames queued before it
        }
        t.buffer.put(0, frame, offset, length);
        if (calls.sendto(fd, t.address, length) != length) {
            failures.incrementAndGet();
            return false;
        }
        sent.incrementAndGet();
        return true;
    }

    /** Sends what a batch of this channel holds (by its thread: at the sweep's end or when it is full). */
    void flush(SendBatch batch) {
        int n = batch.count();
        if (n == 0) return;
        if (closed) { // the socket number is a placeholder's now: nothing to send into
            batch.clear();
            failures.addAndGet(n);
            return;
        }
        int ok = batch.flush(calls, fd);
        sent.addAndGet(ok);
        if (ok < n) failures.addAndGet(n - ok);
    }

    long sent() {
        return sent.get();
    }

    long failures() {
        return failures.get();
    }

    /** Sends fail from now on; frames still queued in a sweep are counted as failed when it ends. */
    void close() {
        closed = true;
    }

    boolean closed() {
        return closed;
    }
}
