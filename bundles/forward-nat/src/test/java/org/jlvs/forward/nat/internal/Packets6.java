package org.jlvs.forward.nat.internal;

import java.util.Random;

import org.jlvs.api.Ip6Address;
import org.jlvs.api.spi.Frame;
import org.jlvs.packet.Bytes;
import org.jlvs.packet.Checksums6;
import org.jlvs.packet.Ipv6;

/**
 * Hand-built IPv6 test packets: the fixed header, 8-byte extension headers of the kinds given, then a 20-byte
 * TCP header or an 8-byte UDP header and random payload, the checksum computed over the whole packet.
 */
final class Packets6 {
    /** An atomic fragment header (offset 0, M clear): a whole packet, which NAT may rewrite. */
    static final int ATOMIC_FRAGMENT = -1;
    /** A first fragment (M set): NAT refuses it. */
    static final int FIRST_FRAGMENT = -2;

    private Packets6() {}

    static Frame packet(int protocol, Ip6Address src, int sport, Ip6Address dst, int dport, int payload,
            Random random, int... extensions) {
        Frame f = new Frame(Frame.HEADROOM + 1700);
        byte[] b = f.data;
        int ip = Frame.HEADROOM;
        int l4Length = (protocol == Ipv6.NEXT_TCP ? 20 : 8) + payload;
        int chain = 8 * extensions.length;
        Ipv6.writeHeader(b, ip, 0x28, 0x12345, chain + l4Length, first(extensions, protocol), 64,
                src.hi(), src.lo(), dst.hi(), dst.lo());
        int at = ip + Ipv6.HEADER_LENGTH;
        for (int i = 0; i < extensions.length; i++) {
            int next = i + 1 < extensions.length ? code(extensions[i + 1]) : protocol;
            writeExtension(b, at, extensions[i], next);
            at += 8;
        }
        int l4 = at;
        Bytes.put16(b, l4, sport);
        Bytes.put16(b, l4 + 2, dport);
        if (protocol == Ipv6.NEXT_TCP) {
            Bytes.put32(b, l4 + 4, random.nextInt());
            b[l4 + 12] = 0x50; // data offset 5
            b[l4 + 13] = 0x18; // PSH ACK
            Bytes.put16(b, l4 + 14, 65535);
        } else {
            Bytes.put16(b, l4 + 4, l4Length);
        }
        for (int i = l4Length - payload; i < l4Length; i++) b[l4 + i] = (byte) random.nextInt();
        Checksums6.completeL4Checksum(b, ip, l4, protocol);
        f.ipOffset = ip;
        f.ipLength = Ipv6.HEADER_LENGTH + chain + l4Length;
        return f;
    }

    /** Where the TCP or UDP header of a packet built with {@code extensions} extension headers starts. */
    static int l4(Frame f, int extensions) {
        return f.ipOffset + Ipv6.HEADER_LENGTH + 8 * extensions;
    }

    private static int first(int[] extensions, int protocol) {
        return extensions.length > 0 ? code(extensions[0]) : protocol;
    }

    private static int code(int extension) {
        return extension < 0 ? Ipv6.NEXT_FRAGMENT : extension;
    }

    private static void writeExtension(byte[] b, int at, int kind, int next) {
        b[at] = (byte) next;
        for (int i = 1; i < 8; i++) b[at + i] = 0;
        switch (kind) {
            case Ipv6.NEXT_HOP_BY_HOP, Ipv6.NEXT_DEST_OPTIONS -> {
                b[at + 2] = 1; // PadN
                b[at + 3] = 4; // of 4 bytes: the header's 8 in all
            }
            case Ipv6.NEXT_ROUTING -> b[at + 2] = (byte) 253; // experimental type, Segments Left 0
            case ATOMIC_FRAGMENT -> Bytes.put32(b, at + 4, 0x0badcafe);
            case FIRST_FRAGMENT -> {
                b[at + 3] = 1; // offset 0, M set
                Bytes.put32(b, at + 4, 0x0badcafe);
            }
            default -> throw new IllegalArgumentException("extension " + kind);
        }
    }
}
