package org.jlvs.check.support;

import java.io.ByteArrayOutputStream;

/**
 * keepalived's free-format hex strings (UDP_CHECK payload and require_reply): blank-separated groups, each read
 * two digits to a byte from the left, a lone last digit being a byte of its own ("Ab12f 3" = AB 12 0F 03).
 * In a pattern, X or x stands for any value of that nibble.
 */
public record HexPattern(byte[] value, byte[] mask) {
    public static HexPattern parse(String text, boolean wildcards, String what) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        ByteArrayOutputStream m = new ByteArrayOutputStream();
        for (String group : text.trim().split("\\s+")) {
            if (group.isEmpty()) continue;
            for (int i = 0; i < group.length(); i += 2) {
                boolean pair = i + 1 < group.length();
                int hi = nibble(group.charAt(i), wildcards, text, what);
                int lo = pair ? nibble(group.charAt(i + 1), wildcards, text, what) : -2;
                int value;
                int mask;
                if (!pair) { // a lone digit is the byte's low nibble
                    value = Math.max(hi, 0);
                    mask = hi < 0 ? 0xf0 : 0xff;
                } else {
                    value = (Math.max(hi, 0) << 4) | Math.max(lo, 0);
                    mask = (hi < 0 ? 0 : 0xf0) | (lo < 0 ? 0 : 0x0f);
                }
                v.write(value);
                m.write(mask);
            }
        }
        if (v.size() == 0) throw new IllegalArgumentException("bad " + what + " '" + text + "': no hex digits");
        return new HexPattern(v.toByteArray(), m.toByteArray());
    }

    /** 0..15, or -1 for a wildcard. */
    private static int nibble(char c, boolean wildcards, String text, String what) {
        int d = Character.digit(c, 16);
        if (d >= 0) return d;
        if (wildcards && (c == 'x' || c == 'X')) return -1;
        throw new IllegalArgumentException("bad " + what + " '" + text + "': '" + c + "' is not a hex digit");
    }

    /** Whether {@code data} matches over the shorter of the two lengths (keepalived's rule). */
    public boolean matchesPrefix(java.nio.ByteBuffer data) {
        int n = Math.min(data.remaining(), value.length);
        for (int i = 0; i < n; i++) {
            if (((data.get(data.position() + i) ^ value[i]) & mask[i]) != 0) return false;
        }
        return true;
    }
}
