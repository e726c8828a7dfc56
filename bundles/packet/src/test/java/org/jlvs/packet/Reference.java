package org.jlvs.packet;

import java.util.Random;

/**
 * Deliberately plain reference implementations for the tests: byte arithmetic and a 16-bit-word loop, sharing
 * no code with the classes under test.
 */
final class Reference {
    private Reference() {}

    /** RFC 1071 checksum of the bytes, complemented; an odd last byte is padded with zero. */
    static int checksum(byte[] data) {
        int sum = 0;
        for (int i = 0; i < data.length; i += 2) {
            int hi = data[i] & 0xff;
            int lo = i + 1 < data.length ? data[i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
            while (sum > 0xffff) sum = (sum & 0xffff) + (sum >> 16);
        }
        return ~sum & 0xffff;
    }

    static int u16(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    static int ipHeaderLength(byte[] b, int ipOff) {
        return (b[ipOff] & 0x0f) * 4;
    }

    /** The IPv4 header checksum, computed over a copy with the field zeroed. */
    static int ipHeaderChecksum(byte[] b, int ipOff) {
        byte[] header = new byte[ipHeaderLength(b, ipOff)];
        System.arraycopy(b, ipOff, header, 0, header.length);
        header[10] = 0;
        header[11] = 0;
        return checksum(header);
    }

    /** TCP, UDP (0 sent as 0xffff) or ICMP checksum, over a pseudo header built by hand and a zeroed copy. */
    static int l4Checksum(byte[] b, int ipOff) {
        int hl = ipHeaderLength(b, ipOff);
        int l4Length = u16(b, ipOff + 2) - hl;
        int protocol = b[ipOff + 9] & 0xff;
        int field = switch (protocol) {
            case 6 -> 16;
            case 17 -> 6;
            case 1 -> 2;
            default -> throw new IllegalArgumentException("protocol " + protocol);
        };
        int pseudo = protocol == 1 ? 0 : 12;
        byte[] data = new byte[pseudo + l4Length];
        if (protocol != 1) {
            System.arraycopy(b, ipOff + 12, data, 0, 8); // source and destination address
            data[9] = (byte) protocol;
            data[10] = (byte) (l4Length >> 8);
            data[11] = (byte) l4Length;
        }
        System.arraycopy(b, ipOff + hl, data, pseudo, l4Length);
        data[pseudo + field] = 0;
        data[pseudo + field + 1] = 0;
        int c = checksum(data);
        return protocol == 17 && c == 0 ? 0xffff : c;
    }

    static int storedL4Checksum(byte[] b, int ipOff) {
        int protocol = b[ipOff + 9] & 0xff;
        return u16(b, ipOff + ipHeaderLength(b, ipOff) + (protocol == 6 ? 16 : protocol == 17 ? 6 : 2));
    }

    /**
     * A random Ethernet + IPv4 + TCP or UDP frame with correct checksums (from this class), IP options of 0..40
     * bytes, TCP options of 0..40 bytes, payload 0..maxPayload bytes and {@code padding} zero bytes after it.
     */
    static byte[] randomFrame(Random random, boolean tcp, int maxPayload, int padding) {
        int ipHl = 20 + 4 * random.nextInt(11);
        int l4Hl = tcp ? 20 + 4 * random.nextInt(11) : 8;
        int payload = random.nextInt(maxPayload + 1);
        int total = ipHl + l4Hl + payload;
        byte[] b = new byte[14 + total + padding];
        random.nextBytes(b);
        for (int i = 14 + total; i < b.length; i++) b[i] = 0;
        b[12] = 0x08;
        b[13] = 0x00;
        int ip = 14;
        b[ip] = (byte) (0x40 | ipHl / 4);
        b[ip + 2] = (byte) (total >> 8);
        b[ip + 3] = (byte) total;
        b[ip + 6] = (byte) (random.nextBoolean() ? 0x40 : 0); // DF or nothing: no fragment
        b[ip + 7] = 0;
        b[ip + 9] = (byte) (tcp ? 6 : 17);
        int l4 = ip + ipHl;
        if (tcp) {
            b[l4 + 12] = (byte) ((l4Hl / 4) << 4);
        } else {
            b[l4 + 4] = (byte) ((l4Hl + payload) >> 8);
            b[l4 + 5] = (byte) (l4Hl + payload);
        }
        int ipChecksum = ipHeaderChecksum(b, ip);
        b[ip + 10] = (byte) (ipChecksum >> 8);
        b[ip + 11] = (byte) ipChecksum;
        int l4Checksum = l4Checksum(b, ip);
        int field = l4 + (tcp ? 16 : 6);
        b[field] = (byte) (l4Checksum >> 8);
        b[field + 1] = (byte) l4Checksum;
        return b;
    }
}
