package org.jlvs.packet;

/**
 * Ethernet II header at {@code off}: destination MAC, source MAC, EtherType. MAC addresses are longs holding
 * 48 bits, the first octet most significant (so {@code 02:00:0a:fa:00:01} is {@code 0x02000afa0001L}).
 */
public final class Ethernet {
    public static final int HEADER_LENGTH = 14;
    /** Header length with one 802.1Q tag. */
    public static final int VLAN_HEADER_LENGTH = 18;
    /** Shortest frame on the wire without the FCS; drivers pad shorter frames up to it. */
    public static final int MIN_FRAME_LENGTH = 60;

    public static final int TYPE_IPV4 = 0x0800;
    public static final int TYPE_ARP = 0x0806;
    public static final int TYPE_VLAN = 0x8100;
    public static final int TYPE_IPV6 = 0x86dd;

    public static final long BROADCAST = 0xffff_ffff_ffffL;

    private static final int DST = 0;
    private static final int SRC = 6;
    private static final int TYPE = 12;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Ethernet() {}

    public static long dst(byte[] buf, int off) {
        return Bytes.u48(buf, off + DST);
    }

    public static long src(byte[] buf, int off) {
        return Bytes.u48(buf, off + SRC);
    }

    /** The EtherType field (TYPE_VLAN for a tagged frame). */
    public static int type(byte[] buf, int off) {
        return Bytes.u16(buf, off + TYPE);
    }

    public static void setDst(byte[] buf, int off, long mac) {
        Bytes.put48(buf, off + DST, mac);
    }

    public static void setSrc(byte[] buf, int off, long mac) {
        Bytes.put48(buf, off + SRC, mac);
    }

    public static void setType(byte[] buf, int off, int type) {
        Bytes.put16(buf, off + TYPE, type);
    }

    public static void writeHeader(byte[] buf, int off, long dst, long src, int type) {
        setDst(buf, off, dst);
        setSrc(buf, off, src);
        setType(buf, off, type);
    }

    /**
     * Offset of the payload: after the 14-byte header, or after 18 bytes when the frame carries one 802.1Q tag.
     * The caller must have 18 bytes available when {@link #type} is TYPE_VLAN.
     */
    public static int payloadOffset(byte[] buf, int off) {
        return type(buf, off) == TYPE_VLAN ? off + VLAN_HEADER_LENGTH : off + HEADER_LENGTH;
    }

    /** The EtherType of the payload, looking through one 802.1Q tag (same availability rule as payloadOffset). */
    public static int payloadType(byte[] buf, int off) {
        int type = type(buf, off);
        return type == TYPE_VLAN ? Bytes.u16(buf, off + 16) : type;
    }

    /** The 12-bit VLAN id of a tagged frame. */
    public static int vlanId(byte[] buf, int off) {
        return Bytes.u16(buf, off + 14) & 0x0fff;
    }

    /** Group bit: multicast or broadcast. */
    public static boolean isMulticast(long mac) {
        return (mac & 0x0100_0000_0000L) != 0;
    }

    /** The MAC address in six bytes. */
    public static long mac(byte[] six) {
        if (six.length != 6) throw new IllegalArgumentException("a MAC address has 6 bytes, not " + six.length);
        return Bytes.u48(six, 0);
    }

    public static byte[] macBytes(long mac) {
        byte[] six = new byte[6];
        Bytes.put48(six, 0, mac);
        return six;
    }

    /** "aa:bb:cc:dd:ee:ff", lower case. */
    public static String macToString(long mac) {
        char[] text = new char[17];
        for (int i = 0; i < 6; i++) {
            int octet = (int) (mac >>> (40 - 8 * i)) & 0xff;
            text[3 * i] = HEX[octet >>> 4];
            text[3 * i + 1] = HEX[octet & 0xf];
            if (i < 5) text[3 * i + 2] = ':';
        }
        return new String(text);
    }

    /**
     * Parses six hex octets separated by ':' or '-' ("02:00:0a:fa:00:01", one-digit octets allowed);
     * throws IllegalArgumentException naming the bad text.
     */
    public static long parseMac(String text) {
        String[] parts = text.split("[:-]", -1);
        if (parts.length != 6) throw new IllegalArgumentException("bad MAC address: " + text);
        long mac = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 2) throw new IllegalArgumentException("bad MAC address: " + text);
            int octet = 0;
            for (int i = 0; i < part.length(); i++) {
                int digit = hexDigit(part.charAt(i));
                if (digit < 0) throw new IllegalArgumentException("bad MAC address: " + text);
                octet = octet * 16 + digit;
            }
            mac = (mac << 8) | octet;
        }
        return mac;
    }

    // Character.digit would also accept non-ASCII digits.
    private static int hexDigit(char c) {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    }
}
