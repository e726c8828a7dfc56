package org.jlvs.packet;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Plain reference code for the IPv6 tests, sharing nothing with the classes under test: the JDK's address
 * parser, and the checksum over a pseudo-header built byte by byte (RFC 8200 §8.1) with Reference.checksum.
 */
final class Reference6 {
    private Reference6() {}

    /** The 16 bytes of an IPv6 literal. */
    static byte[] address(String literal) {
        try {
            byte[] bytes = InetAddress.getByName(literal).getAddress();
            if (bytes.length != 16) throw new IllegalArgumentException("not IPv6: " + literal);
            return bytes;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    static long hi(String literal) {
        return java.nio.ByteBuffer.wrap(address(literal)).getLong(0);
    }

    static long lo(String literal) {
        return java.nio.ByteBuffer.wrap(address(literal)).getLong(8);
    }

    /**
     * The TCP (6), UDP (17, 0 sent as 0xffff) or ICMPv6 (58) checksum of the upper-layer message at l4 (to the
     * end of the IPv6 payload), the field read as zero.
     */
    static int l4Checksum(byte[] b, int ip, int l4, int protocol) {
        int end = ip + 40 + Reference.u16(b, ip + 4);
        int length = end - l4;
        int field = protocol == 6 ? 16 : protocol == 17 ? 6 : 2;
        byte[] data = new byte[40 + length];
        System.arraycopy(b, ip + 8, data, 0, 32);
        data[32] = (byte) (length >>> 24);
        data[33] = (byte) (length >>> 16);
        data[34] = (byte) (length >>> 8);
        data[35] = (byte) length;
        data[39] = (byte) protocol;
        System.arraycopy(b, l4, data, 40, length);
        data[40 + field] = 0;
        data[41 + field] = 0;
        int c = Reference.checksum(data);
        return protocol == 17 && c == 0 ? 0xffff : c;
    }
}
