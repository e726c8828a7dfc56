package org.jlvs.packetio.afpacket.internal;

import java.nio.ByteBuffer;

/**
 * TPACKET_V2: fixed-size frame slots, each handed over and woken for as soon as the kernel wrote it, so no
 * frame waits for a timer (what libpcap's immediate mode uses). Still read in place, and a busy reader drains
 * many slots per wake-up without a system call per frame.
 *
 * <pre>
 * struct tpacket2_hdr { u32 tp_status @0; u32 tp_len @4; u32 tp_snaplen @8; u16 tp_mac @12; u16 tp_net @14; ... }
 * </pre>
 */
final class V2Ring extends RxRing {
    static final int TP_STATUS = 0, TP_LEN = 4, TP_SNAPLEN = 8, TP_MAC = 12;

    private final int frameSize;
    private final int frameCount;
    private int current;

    V2Ring(ByteBuffer ring, int frameSize, int frameCount) {
        super(ring);
        this.frameSize = frameSize;
        this.frameCount = frameCount;
    }

    @Override
    boolean ready() {
        return (statusAcquire(current * frameSize + TP_STATUS) & TP_STATUS_USER) != 0;
    }

    @Override
    int drain(FrameSink sink, int maxSlots) {
        int frames = 0;
        for (int n = 0; n < maxSlots; n++) {
            int slot = current * frameSize;
            int status = statusAcquire(slot + TP_STATUS);
            if ((status & TP_STATUS_USER) == 0) break;
            int snaplen = ring.getInt(slot + TP_SNAPLEN);
            int mac = u16(slot + TP_MAC);
            if (mac != 0 && mac + snaplen <= frameSize && snaplen >= 0) {
                sink.frame(ring, slot + mac, snaplen, ring.getInt(slot + TP_LEN), status);
                frames++;
            }
            releaseToKernel(slot + TP_STATUS);
            current = current + 1 == frameCount ? 0 : current + 1;
        }
        return frames;
    }
}
