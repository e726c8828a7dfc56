package org.jlvs.packet;

import java.io.ByteArrayOutputStream;

/** Hand-built IPv6 packets and extension headers for the tests, written byte by byte. */
final class Build6 {
    static final byte[] A = Reference6.address("fd00:a::1");
    static final byte[] R = Reference6.address("fd00:a::2");

    private Build6() {}

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.write(p, 0, p.length);
        return out.toByteArray();
    }

    /** Fixed header (from fd00:a::1 to fd00:a::2, hop limit 64) with the payload length of what follows, then it. */
    static byte[] ipv6(int next, byte[]... payload) {
        byte[] rest = concat(payload);
        byte[] h = new byte[40];
        h[0] = 0x60;
        h[4] = (byte) (rest.length >> 8);
        h[5] = (byte) rest.length;
        h[6] = (byte) next;
        h[7] = 64;
        System.arraycopy(A, 0, h, 8, 16);
        System.arraycopy(R, 0, h, 24, 16);
        return concat(h, rest);
    }

    /** The same after a 14-byte Ethernet header (EtherType IPv6). */
    static byte[] ethernet(byte[] packet) {
        byte[] e = {2, 0, 0, 0, 0x0a, 2, 2, 0, 0, 0, 0x0a, 1, (byte) 0x86, (byte) 0xdd};
        return concat(e, packet);
    }

    /** Hop-by-Hop or Destination Options header of 8 * units bytes, filled with one PadN option. */
    static byte[] options(int next, int units) {
        byte[] h = new byte[8 * units];
        h[0] = (byte) next;
        h[1] = (byte) (units - 1);
        h[2] = 1;
        h[3] = (byte) (h.length - 4);
        return h;
    }

    /** A Routing header of type 4 (segment routing) with one 16-byte address. */
    static byte[] routing(int next, int segmentsLeft) {
        byte[] h = new byte[24];
        h[0] = (byte) next;
        h[1] = 2;
        h[2] = 4;
        h[3] = (byte) segmentsLeft;
        System.arraycopy(R, 0, h, 8, 16);
        return h;
    }

    static byte[] fragment(int next, int offset, boolean more, int id) {
        byte[] h = new byte[8];
        h[0] = (byte) next;
        h[2] = (byte) (offset >> 8);
        h[3] = (byte) ((offset & 0xf8) | (more ? 1 : 0));
        h[4] = (byte) (id >>> 24);
        h[5] = (byte) (id >>> 16);
        h[6] = (byte) (id >>> 8);
        h[7] = (byte) id;
        return h;
    }

    /** An AH header of 16 bytes (payload length field 2), SPI 0x100. */
    static byte[] ah(int next) {
        byte[] h = new byte[16];
        h[0] = (byte) next;
        h[1] = 2;
        h[6] = 1;
        return h;
    }

    /** A UDP header (ports 40000 to 9999) with its length, and n payload bytes. */
    static byte[] udp(int n) {
        byte[] u = new byte[8 + n];
        u[0] = (byte) 0x9c;
        u[1] = 0x40;
        u[2] = 0x27;
        u[3] = 0x0f;
        u[4] = (byte) (u.length >> 8);
        u[5] = (byte) u.length;
        return u;
    }

    /** A TCP header of 20 bytes (ports 40000 to 80, ACK), and n payload bytes. */
    static byte[] tcp(int n) {
        byte[] t = new byte[20 + n];
        t[0] = (byte) 0x9c;
        t[1] = 0x40;
        t[3] = 80;
        t[12] = 0x50;
        t[13] = 0x10;
        return t;
    }

    /** An ICMPv6 message: type, code, zero checksum, then the body. */
    static byte[] icmpv6(int type, int code, byte[] body) {
        byte[] h = {(byte) type, (byte) code, 0, 0};
        return concat(h, body);
    }

    /** Sets the correct upper-layer checksum of a packet at ip whose chain ends at l4 (from the reference). */
    static void checksum(byte[] b, int ip, int l4, int protocol) {
        int c = Reference6.l4Checksum(b, ip, l4, protocol);
        int field = l4 + (protocol == 6 ? 16 : protocol == 17 ? 6 : 2);
        b[field] = (byte) (c >> 8);
        b[field + 1] = (byte) c;
    }
}
