package org.jlvs.api;

/**
 * An IPv6 address as two longs, the first and last 8 bytes in network order read big-endian (the form the
 * packet views of {@code org.jlvs.packet.Ipv6} read and write), with text conversion as RFC 4291 writes it
 * and RFC 5952 recommends printing it.
 */
public record Ip6Address(long hi, long lo) implements Comparable<Ip6Address> {
    private static final int GROUPS = 8;

    /**
     * Parses RFC 4291 text ("2001:db8::1", "::ffff:10.0.0.1"); a zone ("%eth0") or anything else is refused
     * with IllegalArgumentException naming the text.
     */
    public static Ip6Address parse(String text) {
        int[] groups = new int[GROUPS];
        int gap = -1; // the group index where "::" stands
        int count = 0;
        int i = 0;
        int n = text.length();
        if (text.startsWith("::")) {
            gap = 0;
            i = 2;
            if (n == 2) return new Ip6Address(0, 0);
        } else if (text.startsWith(":")) {
            throw bad(text);
        }
        while (i < n) {
            int end = i;
            while (end < n && text.charAt(end) != ':') end++;
            String part = text.substring(i, end);
            if (part.indexOf('.') >= 0) { // a trailing dotted quad: two groups
                if (end != n || count > GROUPS - 2) throw bad(text);
                int v4;
                try {
                    v4 = Ip4.parse(part);
                } catch (IllegalArgumentException e) {
                    throw bad(text);
                }
                groups[count++] = v4 >>> 16;
                groups[count++] = v4 & 0xffff;
                i = n;
                break;
            }
            if (part.isEmpty() || part.length() > 4 || count == GROUPS) throw bad(text);
            int value = 0;
            for (int k = 0; k < part.length(); k++) {
                int digit = Character.digit(part.charAt(k), 16);
                if (digit < 0) throw bad(text);
                value = value << 4 | digit;
            }
            groups[count++] = value;
            if (end == n) {
                i = n;
                break;
            }
            if (end + 1 < n && text.charAt(end + 1) == ':') { // "::"
                if (gap >= 0) throw bad(text);
                gap = count;
                i = end + 2;
            } else {
                if (end + 1 == n) throw bad(text); // a trailing single ':'
                i = end + 1;
            }
        }
        if (gap < 0 ? count != GROUPS : count >= GROUPS) throw bad(text);
        int[] full = new int[GROUPS];
        if (gap < 0) {
            full = groups;
        } else {
            int tail = count - gap;
            System.arraycopy(groups, 0, full, 0, gap);
            System.arraycopy(groups, gap, full, GROUPS - tail, tail);
        }
        long hi = 0, lo = 0;
        for (int g = 0; g < 4; g++) hi = hi << 16 | full[g];
        for (int g = 4; g < 8; g++) lo = lo << 16 | full[g];
        return new Ip6Address(hi, lo);
    }

    /** Whether the text is an IPv6 address (it has a colon); IPv4 text has none. */
    public static boolean looksLikeIpv6(String text) {
        return text.indexOf(':') >= 0;
    }

    private static IllegalArgumentException bad(String text) {
        return new IllegalArgumentException("bad IPv6 address: " + text);
    }

    /** The 16-bit group {@code g} (0..7). */
    public int group(int g) {
        long half = g < 4 ? hi : lo;
        return (int) (half >>> (48 - 16 * (g & 3))) & 0xffff;
    }

    /**
     * The four 32-bit words XORed, as IPVS folds an IPv6 address for its hashes (ip_vs_sh_hashkey,
     * ip_vs_dh_hashkey, ip_vs_lblc_hashkey: {@code addr_fold = ip6[0] ^ ip6[1] ^ ip6[2] ^ ip6[3]}), in host
     * order as they then read it ({@code ntohl(addr_fold)}).
     */
    public int fold() {
        return (int) (hi >>> 32) ^ (int) hi ^ (int) (lo >>> 32) ^ (int) lo;
    }

    /** The first {@code prefixLength} bits kept, the rest zero (the persistence template of {@code -M 64}). */
    public Ip6Address masked(int prefixLength) {
        return new Ip6Address(maskHi(hi, prefixLength), maskLo(lo, prefixLength));
    }

    /** The high half of an address with only its first {@code prefixLength} (0..128) bits kept. */
    public static long maskHi(long hi, int prefixLength) {
        if (prefixLength <= 0) return 0;
        return prefixLength >= 64 ? hi : hi & (-1L << (64 - prefixLength));
    }

    /** The low half of an address with only its first {@code prefixLength} (0..128) bits kept. */
    public static long maskLo(long lo, int prefixLength) {
        if (prefixLength <= 64) return 0;
        return prefixLength >= 128 ? lo : lo & (-1L << (128 - prefixLength));
    }

    /** RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups as "::". */
    @Override
    public String toString() {
        int bestStart = -1, bestLength = 1;
        for (int g = 0; g < GROUPS; ) {
            if (group(g) != 0) {
                g++;
                continue;
            }
            int start = g;
            while (g < GROUPS && group(g) == 0) g++;
            if (g - start > bestLength) {
                bestStart = start;
                bestLength = g - start;
            }
        }
        StringBuilder s = new StringBuilder(39);
        for (int g = 0; g < GROUPS; g++) {
            if (g == bestStart) {
                s.append("::");
                g += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') s.append(':');
            s.append(Integer.toHexString(group(g)));
        }
        return s.toString();
    }

    /** "[2001:db8::1]:80", as ipvsadm writes an IPv6 endpoint. */
    public String toString(int port) {
        return "[" + this + "]:" + port;
    }

    /** Unsigned order of the 128 bits, as memcmp orders the addresses' bytes. */
    @Override
    public int compareTo(Ip6Address o) {
        int c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }
}
