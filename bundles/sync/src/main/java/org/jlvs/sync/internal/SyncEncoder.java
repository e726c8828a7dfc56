package org.jlvs.sync.internal;

import java.nio.ByteBuffer;

import org.jlvs.api.sync.IpvsConn;
import org.jlvs.api.sync.SyncEntry;

/**
 * Writes one v1 sync datagram at a time into a reused buffer, as the kernel's ip_vs_sync_conn fills its
 * sync buffer: the header, then IPv4 and IPv6 entries with their options, each starting 4-byte aligned.
 * Allocates only when created.
 */
final class SyncEncoder {
    private final ByteBuffer buffer;
    private final int maxLen;
    private int syncId;
    private int count;
    private int size;

    /** @param maxLen the largest datagram payload (sync_maxlen) */
    SyncEncoder(int maxLen, boolean direct) {
        this.maxLen = maxLen;
        this.buffer = direct ? ByteBuffer.allocateDirect(maxLen) : ByteBuffer.allocate(maxLen);
        reset(0);
    }

    /** Starts an empty datagram for {@code syncId}. */
    void reset(int syncId) {
        this.syncId = syncId;
        count = 0;
        size = Wire.V1_HEADER;
        buffer.clear();
        buffer.put(0, (byte) 0);
        buffer.put(1, (byte) syncId);
        buffer.putShort(2, (short) size);
        buffer.put(4, (byte) 0);
        buffer.put(5, (byte) Wire.V1_VERSION);
        buffer.putShort(6, (short) 0);
    }

    /** Whether {@code e} still fits in this datagram. */
    boolean fits(SyncEntry e) {
        return fits(Wire.v1Length(e));
    }

    /** Whether the IPv6 entry {@code e} still fits in this datagram. */
    boolean fits(SyncEntry6 e) {
        return fits(Wire.v1Length(e));
    }

    private boolean fits(int entryLength) {
        int pad = (4 - size) & 3;
        return count < Wire.MAX_ENTRIES && size + pad + entryLength <= maxLen;
    }

    /** Whether not even an entry without options fits any more: the datagram may leave now. */
    boolean full() {
        return count >= Wire.MAX_ENTRIES || size + ((4 - size) & 3) + Wire.V4_ENTRY > maxLen;
    }

    /**
     * Appends {@code e} (HASHED cleared, as the kernel sends it).
     *
     * @return false if it does not fit: send this datagram and {@link #reset} first
     */
    boolean add(SyncEntry e) {
        if (!fits(e)) return false;
        int p = start();
        header(p, 0, e, Wire.v1Length(e));
        buffer.putInt(p + 24, e.clientAddress);
        buffer.putInt(p + 28, e.virtualAddress);
        buffer.putInt(p + 32, e.destAddress);
        finish(options(p + Wire.V4_ENTRY, e));
        return true;
    }

    /**
     * Appends the IPv6 entry {@code e} (type 1, struct ip_vs_sync_v6; HASHED cleared).
     *
     * @return false if it does not fit: send this datagram and {@link #reset} first
     */
    boolean add(SyncEntry6 e) {
        if (!fits(e)) return false;
        int p = start();
        header(p, Wire.TYPE_INET6, e.fields, Wire.v1Length(e));
        ByteBuffer b = buffer;
        b.putLong(p + Wire.V6_CADDR, e.clientHi);
        b.putLong(p + Wire.V6_CADDR + 8, e.clientLo);
        b.putLong(p + Wire.V6_VADDR, e.virtualHi);
        b.putLong(p + Wire.V6_VADDR + 8, e.virtualLo);
        b.putLong(p + Wire.V6_DADDR, e.destHi);
        b.putLong(p + Wire.V6_DADDR + 8, e.destLo);
        finish(options(p + Wire.V6_ENTRY, e.fields));
        return true;
    }

    /** Pads to the next 4-byte boundary; returns where the entry starts. */
    private int start() {
        ByteBuffer b = buffer;
        b.limit(b.capacity());
        int p = size;
        while ((p & 3) != 0) b.put(p++, (byte) 0);
        return p;
    }

    /** The 24 bytes both entry types begin with. */
    private void header(int p, int type, SyncEntry e, int len) {
        ByteBuffer b = buffer;
        b.put(p, (byte) type);
        b.put(p + 1, (byte) e.protocol);
        b.putShort(p + 2, (short) (len & Wire.SIZE_MASK));   // version 0
        b.putInt(p + 4, e.flags & ~IpvsConn.F_HASHED);
        b.putShort(p + 8, (short) e.state);
        b.putShort(p + 10, (short) e.clientPort);
        b.putShort(p + 12, (short) e.virtualPort);
        b.putShort(p + 14, (short) e.destPort);
        b.putInt(p + 16, e.fwmark);
        b.putInt(p + 20, e.timeout);
    }

    /** Writes the options at {@code o}; returns where they end. */
    private int options(int o, SyncEntry e) {
        ByteBuffer b = buffer;
        if (e.hasSeq) {
            b.put(o, (byte) Wire.OPT_SEQ_DATA);
            b.put(o + 1, (byte) Wire.SEQ_DATA_LENGTH);
            b.putInt(o + 2, e.inSeqInit);
            b.putInt(o + 6, e.inSeqDelta);
            b.putInt(o + 10, e.inSeqPreviousDelta);
            b.putInt(o + 14, e.outSeqInit);
            b.putInt(o + 18, e.outSeqDelta);
            b.putInt(o + 22, e.outSeqPreviousDelta);
            o += 2 + Wire.SEQ_DATA_LENGTH;
        }
        if (e.peDataLength > 0) {
            o = option(b, o, Wire.OPT_PE_DATA, e.peData, e.peDataLength);
            if (e.peNameLength > 0) o = option(b, o, Wire.OPT_PE_NAME, e.peName, e.peNameLength);
        }
        return o;
    }

    private void finish(int end) {
        size = end;
        count++;
        buffer.putShort(2, (short) size);
        buffer.put(4, (byte) count);
    }

    private static int option(ByteBuffer b, int o, int type, byte[] data, int length) {
        b.put(o, (byte) type);
        b.put(o + 1, (byte) length);
        for (int i = 0; i < length; i++) b.put(o + 2 + i, data[i]);
        return o + 2 + length;
    }

    int count() {
        return count;
    }

    int size() {
        return size;
    }

    int syncId() {
        return syncId;
    }

    /** The datagram so far, positioned for sending (a view of the reused buffer: send it before the next add). */
    ByteBuffer datagram() {
        buffer.limit(size).position(0);
        return buffer;
    }
}
