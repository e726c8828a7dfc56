package org.jlvs.scheduler.support;

/** The kernel's {@code hash_32()}: multiplicative hashing with the 32-bit golden ratio. */
public final class Hash32 {
    private Hash32() {}

    public static final int GOLDEN_RATIO_32 = 0x61C88647;

    /** The top {@code bits} bits of {@code val * GOLDEN_RATIO_32} (mod 2^32), as an index in [0, 2^bits). */
    public static int hash32(int val, int bits) {
        return (val * GOLDEN_RATIO_32) >>> (32 - bits);
    }
}
