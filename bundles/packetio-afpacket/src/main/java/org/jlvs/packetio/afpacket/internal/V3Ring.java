package org.jlvs.packetio.afpacket.internal;

import java.nio.ByteBuffer;

/**
 * TPACKET_V3: blocks of variable-sized frames. The kernel hands over a whole block once it is full or its
 * retire timer expired ({@code tp_retire_blk_tov}), and only then wakes the reader: one wake-up and one status
 * exchange for many frames, but up to one timer period of delay for the last frame of a quiet block.
 *
 * <pre>
 * struct tpacket_block_desc { u32 version; u32 offset_to_priv; struct tpacket_hdr_v1 {
 *     u32 block_status @8; u32 num_pkts @12; u32 offset_to_first_pkt @16; u32 blk_len @20; ... } }
 * struct tpacket3_hdr { u32 tp_next_offset @0; u32 tp_sec, tp_nsec; u32 tp_snaplen @12; u32 tp_len @16;
 *     u32 tp_status @20; u16 tp_mac @24; u16 tp_net @26; ... }
 * </pre>
 */
final class V3Ring extends RxRing {
    static final int BLOCK_STATUS = 8, NUM_PKTS = 12, OFFSET_TO_FIRST_PKT = 16;
    static final int TP_NEXT_OFFSET = 0, TP_SNAPLEN = 12, TP_LEN = 16, TP_STATUS = 20, TP_MAC = 24;

    private final int blockSize;
    private final int blockCount;
    private int current;

    V3Ring(ByteBuffer ring, int blockSize, int blockCount) {
        super(ring);
        this.blockSize = blockSize;
        this.blockCount = blockCount;
    }

    @Override
    boolean ready() {
        return (statusAcquire(current * blockSize + BLOCK_STATUS) & TP_STATUS_USER) != 0;
    }

    @Override
    int drain(FrameSink sink, int maxSlots) {
        int frames = 0;
        for (int n = 0; n < maxSlots && ready(); n++) {
            int block = current * blockSize;
            int count = ring.getInt(block + NUM_PKTS);
            int at = block + ring.getInt(block + OFFSET_TO_FIRST_PKT);
            for (int i = 0; i < count; i++) {
                int snaplen = ring.getInt(at + TP_SNAPLEN);
                int mac = u16(at + TP_MAC);
                int end = at + mac + snaplen;
                if (mac == 0 || end > block + blockSize || end < at) break; // corrupt: leave the rest of the block
                sink.frame(ring, at + mac, snaplen, ring.getInt(at + TP_LEN), ring.getInt(at + TP_STATUS));
                frames++;
                int next = ring.getInt(at + TP_NEXT_OFFSET);
                if (next <= 0) break;
                at += next;
            }
            releaseToKernel(block + BLOCK_STATUS);
            current = current + 1 == blockCount ? 0 : current + 1;
        }
        return frames;
    }
}
