package org.jlvs.packet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Big-endian (network order) reads and writes of 8 to 64-bit fields in a byte array. The view var handles
 * are intrinsified by the JIT to single loads and stores, with the usual array bounds check.
 */
public final class Bytes {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Bytes() {}

    /** Unsigned byte. */
    public static int u8(byte[] buf, int off) {
        return buf[off] & 0xff;
    }

    /** Unsigned 16-bit value. */
    public static int u16(byte[] buf, int off) {
        return (short) SHORT.get(buf, off) & 0xffff;
    }

    /** 32 bits as a (possibly negative) int. */
    public static int i32(byte[] buf, int off) {
        return (int) INT.get(buf, off);
    }

    /** Unsigned 32-bit value. */
    public static long u32(byte[] buf, int off) {
        return (int) INT.get(buf, off) & 0xffff_ffffL;
    }

    /** 64 bits as a long. */
    public static long i64(byte[] buf, int off) {
        return (long) LONG.get(buf, off);
    }

    /** 48-bit value (a MAC address) in the low bits of a long. */
    public static long u48(byte[] buf, int off) {
        return ((long) u16(buf, off) << 32) | u32(buf, off + 2);
    }

    public static void put8(byte[] buf, int off, int value) {
        buf[off] = (byte) value;
    }

    /** Writes the low 16 bits of value. */
    public static void put16(byte[] buf, int off, int value) {
        SHORT.set(buf, off, (short) value);
    }

    public static void put32(byte[] buf, int off, int value) {
        INT.set(buf, off, value);
    }

    public static void put64(byte[] buf, int off, long value) {
        LONG.set(buf, off, value);
    }

    /** Writes the low 48 bits of value. */
    public static void put48(byte[] buf, int off, long value) {
        put16(buf, off, (int) (value >>> 32));
        put32(buf, off + 2, (int) value);
    }
}
