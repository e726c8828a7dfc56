package org.jlvs.packetio.afpacket.internal;

/**
 * The shape of one receive ring, derived from the interface's MTU and the chosen TPACKET version.
 *
 * @param version        {@link LibC#TPACKET_V2} or {@link LibC#TPACKET_V3}
 * @param blockSize      bytes per block (a multiple of the page size)
 * @param blockCount     blocks in the ring
 * @param frameSize      V2: bytes per frame slot; V3: the nominal frame size the kernel checks against
 * @param retireMillis   V3: the block retire timeout
 */
record RingSettings(int version, int blockSize, int blockCount, int frameSize, int retireMillis) {
    /** Header, sockaddr_ll and alignment before the frame's first byte (TPACKET_ALIGN'ed, with room). */
    private static final int SLOT_OVERHEAD = 128;

    static RingSettings of(boolean immediate, int mtu, int ringBytes, int retireMillis) {
        int frameSize = Integer.highestOneBit(Math.max(2048, mtu + 14 + 4 + SLOT_OVERHEAD) - 1) << 1;
        frameSize = Math.min(frameSize, 1 << 16);
        int blockSize = Math.max(frameSize, 1 << 17);
        int blockCount = Math.max(4, ringBytes / blockSize);
        return new RingSettings(immediate ? LibC.TPACKET_V2 : LibC.TPACKET_V3, blockSize, blockCount, frameSize,
                Math.max(1, retireMillis));
    }

    int frameCount() {
        return blockSize / frameSize * blockCount;
    }

    long bytes() {
        return (long) blockSize * blockCount;
    }
}
