package org.jlvs.packet;

/** TCP header at {@code off} (the start of the TCP header). Sequence numbers are raw 32-bit ints. */
public final class Tcp {
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int SRC_PORT_OFFSET = 0;
    public static final int DST_PORT_OFFSET = 2;
    public static final int CHECKSUM_OFFSET = 16;

    public static final int FIN = 1;
    public static final int SYN = 2;
    public static final int RST = 4;
    public static final int PSH = 8;
    public static final int ACK = 16;
    public static final int URG = 32;
    public static final int ECE = 64;
    public static final int CWR = 128;

    private static final int OPTION_END = 0;
    private static final int OPTION_NOP = 1;
    private static final int OPTION_MSS = 2;

    private Tcp() {}

    public static int srcPort(byte[] buf, int off) {
        return Bytes.u16(buf, off + SRC_PORT_OFFSET);
    }

    public static int dstPort(byte[] buf, int off) {
        return Bytes.u16(buf, off + DST_PORT_OFFSET);
    }

    public static int seq(byte[] buf, int off) {
        return Bytes.i32(buf, off + 4);
    }

    public static int ack(byte[] buf, int off) {
        return Bytes.i32(buf, off + 8);
    }

    /** The data offset field: header length in 32-bit words. */
    public static int dataOffset(byte[] buf, int off) {
        return (buf[off + 12] & 0xff) >>> 4;
    }

    /** Header length in bytes (data offset * 4). */
    public static int headerLength(byte[] buf, int off) {
        return dataOffset(buf, off) << 2;
    }

    /** The eight flag bits (CWR ... FIN). */
    public static int flags(byte[] buf, int off) {
        return buf[off + 13] & 0xff;
    }

    public static boolean hasFlags(byte[] buf, int off, int flags) {
        return (flags(buf, off) & flags) == flags;
    }

    public static int window(byte[] buf, int off) {
        return Bytes.u16(buf, off + 14);
    }

    public static int checksum(byte[] buf, int off) {
        return Bytes.u16(buf, off + CHECKSUM_OFFSET);
    }

    public static int urgentPointer(byte[] buf, int off) {
        return Bytes.u16(buf, off + 18);
    }

    public static void setSrcPort(byte[] buf, int off, int port) {
        Bytes.put16(buf, off + SRC_PORT_OFFSET, port);
    }

    public static void setDstPort(byte[] buf, int off, int port) {
        Bytes.put16(buf, off + DST_PORT_OFFSET, port);
    }

    public static void setSeq(byte[] buf, int off, int seq) {
        Bytes.put32(buf, off + 4, seq);
    }

    public static void setAck(byte[] buf, int off, int ack) {
        Bytes.put32(buf, off + 8, ack);
    }

    /** Sets the data offset (in 32-bit words), keeping the reserved bits. */
    public static void setDataOffset(byte[] buf, int off, int words) {
        buf[off + 12] = (byte) ((words << 4) | (buf[off + 12] & 0x0f));
    }

    public static void setFlags(byte[] buf, int off, int flags) {
        buf[off + 13] = (byte) flags;
    }

    public static void setWindow(byte[] buf, int off, int window) {
        Bytes.put16(buf, off + 14, window);
    }

    public static void setChecksum(byte[] buf, int off, int checksum) {
        Bytes.put16(buf, off + CHECKSUM_OFFSET, checksum);
    }

    public static void setUrgentPointer(byte[] buf, int off, int pointer) {
        Bytes.put16(buf, off + 18, pointer);
    }

    /** The MSS option's value, or -1 when there is none (or the options are malformed before it). */
    public static int mss(byte[] buf, int off) {
        int at = mssValueOffset(buf, off);
        return at < 0 ? -1 : Bytes.u16(buf, at);
    }

    /**
     * Lowers the MSS option to {@code maxMss} when it is larger (for paths with encapsulation overhead),
     * updating the TCP checksum incrementally.
     *
     * @return whether the option was changed
     */
    public static boolean clampMss(byte[] buf, int off, int maxMss) {
        int at = mssValueOffset(buf, off);
        if (at < 0 || Bytes.u16(buf, at) <= maxMss) return false;
        // The value may sit at an odd offset from the header start: update the two aligned words it spans.
        int start = at - ((at - off) & 1);
        int end = at + 2 + ((at - off) & 1);
        long delta = 0;
        for (int i = start; i < end; i += 2) delta += ~Bytes.u16(buf, i) & 0xffff;
        Bytes.put16(buf, at, maxMss);
        for (int i = start; i < end; i += 2) delta += Bytes.u16(buf, i);
        setChecksum(buf, off, Checksums.apply(checksum(buf, off), delta));
        return true;
    }

    /** Offset of the MSS value within the options, or -1; never reads beyond the header. */
    private static int mssValueOffset(byte[] buf, int off) {
        int end = off + headerLength(buf, off);
        int i = off + MIN_HEADER_LENGTH;
        while (i < end) {
            int kind = buf[i] & 0xff;
            if (kind == OPTION_END) return -1;
            if (kind == OPTION_NOP) {
                i++;
                continue;
            }
            if (i + 1 >= end) return -1;
            int len = buf[i + 1] & 0xff;
            if (len < 2 || i + len > end) return -1;
            if (kind == OPTION_MSS) return len == 4 ? i + 2 : -1;
            i += len;
        }
        return -1;
    }
}
