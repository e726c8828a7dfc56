package org.jlvs.api;

/** IPv4 addresses held as int (network order read as a big-endian int), with text conversion. */
public final class Ip4 {
    private Ip4() {}

    /** Parses dotted-quad text; throws IllegalArgumentException naming the bad text. */
    public static int parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) throw new IllegalArgumentException("bad IPv4 address: " + text);
        int value = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
                throw new IllegalArgumentException("bad IPv4 address: " + text);
            }
            int octet = Integer.parseInt(p);
            if (octet > 255) throw new IllegalArgumentException("bad IPv4 address: " + text);
            value = (value << 8) | octet;
        }
        return value;
    }

    public static String toString(int address) {
        return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "."
                + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }

    /** "a.b.c.d:port" */
    public static String toString(int address, int port) {
        return toString(address) + ":" + port;
    }
}
