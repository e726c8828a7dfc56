package org.jlvs.packetio.afpacket.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * An AF_PACKET receive ring mapped as one {@link ByteBuffer}, read in place. The kernel and the reader hand
 * each slot (a frame in TPACKET_V2, a block of frames in TPACKET_V3) back and forth through its status word:
 * read with acquire, written back with release, so the frame bytes are seen complete and are not overwritten
 * before the reader is done.
 */
abstract class RxRing {
    static final int TP_STATUS_KERNEL = 0;
    static final int TP_STATUS_USER = 1;
    static final int TP_STATUS_COPY = 1 << 1;
    static final int TP_STATUS_LOSING = 1 << 2;
    static final int TP_STATUS_CSUMNOTREADY = 1 << 3;

    static final VarHandle INT = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    /** Where a ring's frames go: {@code ring[offset, offset + length)}, valid during the call only. */
    interface FrameSink {
        void frame(ByteBuffer ring, int offset, int length, int wireLength, int status);
    }

    final ByteBuffer ring;

    RxRing(ByteBuffer ring) {
        this.ring = ring.order(ByteOrder.nativeOrder());
    }

    /** Whether the kernel has handed over the next slot. */
    abstract boolean ready();

    /** Hands the frames of the ready slots (at most {@code maxSlots}) to the sink; returns the frames. */
    abstract int drain(FrameSink sink, int maxSlots);

    final int statusAcquire(int at) {
        return (int) INT.getAcquire(ring, at);
    }

    final void releaseToKernel(int at) {
        INT.setRelease(ring, at, TP_STATUS_KERNEL);
    }

    final int u16(int at) {
        return ring.getShort(at) & 0xffff;
    }
}
