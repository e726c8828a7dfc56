package org.jlvs.packet;

/** UDP header at {@code off} (the start of the UDP header). */
public final class Udp {
    public static final int HEADER_LENGTH = 8;
    public static final int SRC_PORT_OFFSET = 0;
    public static final int DST_PORT_OFFSET = 2;
    public static final int LENGTH_OFFSET = 4;
    public static final int CHECKSUM_OFFSET = 6;

    private Udp() {}

    public static int srcPort(byte[] buf, int off) {
        return Bytes.u16(buf, off + SRC_PORT_OFFSET);
    }

    public static int dstPort(byte[] buf, int off) {
        return Bytes.u16(buf, off + DST_PORT_OFFSET);
    }

    /** Header plus payload, in bytes. */
    public static int length(byte[] buf, int off) {
        return Bytes.u16(buf, off + LENGTH_OFFSET);
    }

    /** 0 means the sender computed no checksum. */
    public static int checksum(byte[] buf, int off) {
        return Bytes.u16(buf, off + CHECKSUM_OFFSET);
    }

    public static void setSrcPort(byte[] buf, int off, int port) {
        Bytes.put16(buf, off + SRC_PORT_OFFSET, port);
    }

    public static void setDstPort(byte[] buf, int off, int port) {
        Bytes.put16(buf, off + DST_PORT_OFFSET, port);
    }

    public static void setLength(byte[] buf, int off, int length) {
        Bytes.put16(buf, off + LENGTH_OFFSET, length);
    }

    public static void setChecksum(byte[] buf, int off, int checksum) {
        Bytes.put16(buf, off + CHECKSUM_OFFSET, checksum);
    }

    /** Writes the 8-byte header with checksum 0; set it with {@link Checksums#completeL4Checksum} afterwards. */
    public static void writeHeader(byte[] buf, int off, int srcPort, int dstPort, int length) {
        setSrcPort(buf, off, srcPort);
        setDstPort(buf, off, dstPort);
        setLength(buf, off, length);
        setChecksum(buf, off, 0);
    }
}
