package org.jlvs.scheduler.mh.internal;

/**
 * The kernel's {@code hsiphash()} of one 32-bit value on a 64-bit machine, where "HalfSipHash-1-3" is in fact
 * SipHash-1-3 (one compression round, three finalization rounds) truncated to 32 bits. The value is hashed
 * as the 4 bytes the kernel has in memory (little-endian), so the results equal a Linux director's.
 */
final class HalfSipHash {
    private HalfSipHash() {}

    static int hash(int value, long k0, long k1) {
        return (int) sipHash(1, 3, k0, k1, (4L << 56) | (value & 0xffffffffL));
    }

    /**
     * SipHash-c-d of a message shorter than 8 bytes, given as its final block: the message bytes
     * little-endian with the length in the top byte.
     */
    static long sipHash(int cRounds, int dRounds, long k0, long k1, long lastBlock) {
        long v0 = 0x736f6d6570736575L ^ k0;
        long v1 = 0x646f72616e646f6dL ^ k1;
        long v2 = 0x6c7967656e657261L ^ k0;
        long v3 = 0x7465646279746573L ^ k1;
        v3 ^= lastBlock;
        for (int i = 0; i < cRounds; i++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        v0 ^= lastBlock;
        v2 ^= 0xff;
        for (int i = 0; i < dRounds; i++) {
            v0 += v1; v1 = Long.rotateLeft(v1, 13); v1 ^= v0; v0 = Long.rotateLeft(v0, 32);
            v2 += v3; v3 = Long.rotateLeft(v3, 16); v3 ^= v2;
            v0 += v3; v3 = Long.rotateLeft(v3, 21); v3 ^= v0;
            v2 += v1; v1 = Long.rotateLeft(v1, 17); v1 ^= v2; v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }
}
