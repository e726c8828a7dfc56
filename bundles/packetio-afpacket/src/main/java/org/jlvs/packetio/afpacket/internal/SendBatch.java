package org.jlvs.packetio.afpacket.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * The frames one receive thread sends on one channel during a sweep of its ring, in native memory laid out for
 * {@code sendmmsg}: each slot's iovec and mmsghdr are written once, here; a queued frame costs one copy and one
 * length write, and the whole batch one system call.
 *
 * <pre>
 * struct iovec   { void *iov_base @0; size_t iov_len @8; }                                  16 bytes
 * struct mmsghdr { struct msghdr { void *msg_name @0; socklen_t msg_namelen @8; struct iovec *msg_iov @16;
 *                  size_t msg_iovlen @24; void *msg_control @32; size_t msg_controllen @40; int msg_flags @48; };
 *                  unsigned msg_len @56; }                                                     64 bytes
 * </pre>
 * Used by one thread only.
 */
final class SendBatch {
    static final int IOVEC = 16, MMSGHDR = 64;
    static final int MSG_IOV = 16, MSG_IOVLEN = 24, IOV_LEN = 8;

    /** The channel's send side that flushes this batch. */
    final ChannelSender owner;
    final int capacity;
    final int slotSize;
    private final ByteBuffer memory; // [slots][iovecs][mmsghdrs][error scratch]
    private final long vector;
    private final int iovecs;
    private final int scratch;
    private final long address;
    private int count;
    /** Whether the thread's sweep lists this batch for its end (set and read by the sweep). */
    boolean enlisted;

    SendBatch(ChannelSender owner, int capacity, int slotSize) {
        this.owner = owner;
        this.capacity = capacity;
        this.slotSize = slotSize;
        iovecs = capacity * slotSize;
        int mmsgs = iovecs + capacity * IOVEC;
        scratch = mmsgs + capacity * MMSGHDR;
        memory = ByteBuffer.allocateDirect(scratch + 8).order(ByteOrder.nativeOrder());
        address = Pointer.nativeValue(Native.getDirectBufferPointer(memory));
        vector = address + mmsgs;
        for (int i = 0; i < capacity; i++) {
            int iov = iovecs + i * IOVEC;
            memory.putLong(iov, address + (long) i * slotSize);
            int m = mmsgs + i * MMSGHDR;
            memory.putLong(m + MSG_IOV, address + iov);
            memory.putLong(m + MSG_IOVLEN, 1);
        }
    }

    int count() {
        return count;
    }

    boolean full() {
        return count == capacity;
    }

    /** Queues a copy of the frame; the caller checks {@link #full()} first and the slot size. */
    void add(byte[] frame, int offset, int length) {
        memory.put(count * slotSize, frame, offset, length);
        memory.putLong(iovecs + count * IOVEC + IOV_LEN, length);
        count++;
    }

    /** Drops the queued frames. */
    void clear() {
        count = 0;
    }

    /**
     * Sends the queued frames, with one sendmmsg unless one fails: the kernel then reports how many went
     * before it, and the rest go in the next call. Returns the frames sent; the batch is empty afterwards.
     */
    int flush(SendCalls calls, int fd) {
        int sent = 0;
        int at = 0;
        while (at < count) {
            int n = calls.sendmmsg(fd, vector + (long) at * MMSGHDR, count - at);
            if (n <= 0) { // the first of them failed, with its errno
                at++;
                continue;
            }
            sent += n;
            at += n;
            if (at < count) { // the next one failed; its error waits on the socket
                memory.putInt(scratch + 4, 4);
                calls.clearError(fd, address + scratch);
                at++;
            }
        }
        count = 0;
        return sent;
    }
}
