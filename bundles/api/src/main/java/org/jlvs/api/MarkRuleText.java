package org.jlvs.api;

/** The text form of a {@link MarkRule}: {@code MARK PROTOCOL ADDRESSES [PORTS]}. */
final class MarkRuleText {
    private MarkRuleText() {}

    static MarkRule parse(String text) {
        if (text == null) throw new IllegalArgumentException("mark rule: missing text");
        String[] w = text.trim().split("\\s+");
        if (w.length < 3 || w.length > 4) {
            throw new IllegalArgumentException("mark rule '" + text.trim() + "': expected MARK PROTOCOL ADDRESSES"
                    + " [PORTS], e.g. 1 tcp 10.0.0.100 80");
        }
        try {
            int mark = ServiceKey.parseFwmark(w[0]);
            Protocol protocol = protocol(w[1]);
            long addresses = addresses(w[2]);
            long ports = w.length == 4 ? ports(w[3]) : MarkRule.ALL_PORTS_LAST;
            return new MarkRule(mark, protocol, (int) (addresses >>> 32), (int) addresses,
                    (int) (ports >>> 16), (int) (ports & 0xffff));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("mark rule '" + text.trim() + "': " + e.getMessage(), e);
        }
    }

    private static Protocol protocol(String word) {
        switch (word.toLowerCase(java.util.Locale.ROOT)) {
            case "tcp": return Protocol.TCP;
            case "udp": return Protocol.UDP;
            case "any": return null;
            default: throw new IllegalArgumentException("bad protocol '" + word + "' (tcp, udp or any)");
        }
    }

    /** First address in the high 32 bits, last in the low 32. */
    static long addresses(String word) {
        int slash = word.indexOf('/');
        if (slash >= 0) {
            int base = Ip4.parse(word.substring(0, slash));
            int length = number(word.substring(slash + 1), 0, 32, "bad prefix length in " + word);
            int mask = length == 0 ? 0 : -1 << (32 - length);
            if ((base & ~mask) != 0) {
                throw new IllegalArgumentException(word + " has host bits set: the prefix is "
                        + Ip4.toString(base & mask) + "/" + length);
            }
            return pair(base, base | ~mask);
        }
        int dash = word.indexOf('-');
        if (dash < 0) {
            int a = Ip4.parse(word);
            return pair(a, a);
        }
        int first = Ip4.parse(word.substring(0, dash));
        String end = word.substring(dash + 1);
        int last;
        if (end.indexOf('.') >= 0) {
            last = Ip4.parse(end);
        } else { // keepalived's a.b.c.d-e: the last byte runs to e
            last = (first & 0xffffff00) | number(end, 0, 255, "bad range end in " + word);
        }
        if (Integer.compareUnsigned(first, last) > 0) {
            throw new IllegalArgumentException("address range " + word + " ends before it starts");
        }
        return pair(first, last);
    }

    /** First port in bits 16..31, last in 0..15. */
    static long ports(String word) {
        if (word.equalsIgnoreCase("any")) return MarkRule.ALL_PORTS_LAST;
        int dash = word.indexOf('-');
        int first = number(dash < 0 ? word : word.substring(0, dash), 0, 65535, "bad port '" + word + "'");
        int last = dash < 0 ? first : number(word.substring(dash + 1), 0, 65535, "bad port '" + word + "'");
        if (first > last) throw new IllegalArgumentException("port range " + word + " ends before it starts");
        return ((long) first << 16) | last;
    }

    private static long pair(int first, int last) {
        return ((first & 0xffffffffL) << 32) | (last & 0xffffffffL);
    }

    private static int number(String text, int min, int max, String message) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException(message);
        }
        int n = Integer.parseInt(text);
        if (n < min || n > max) throw new IllegalArgumentException(message);
        return n;
    }

    static String format(MarkRule r) {
        StringBuilder b = new StringBuilder();
        b.append(r.markText()).append(' ')
                .append(r.protocol() == null ? "any" : r.protocol().name().toLowerCase(java.util.Locale.ROOT)).append(' ')
                .append(addressText(r.firstAddress(), r.lastAddress()));
        if (r.firstPort() != 0 || r.lastPort() != MarkRule.ALL_PORTS_LAST) {
            b.append(' ').append(r.firstPort());
            if (r.lastPort() != r.firstPort()) b.append('-').append(r.lastPort());
        }
        return b.toString();
    }

    /** "10.0.0.1", "10.0.0.0/24", "10.0.0.1-10" (same first three bytes) or "10.0.0.200-10.0.1.10". */
    private static String addressText(int first, int last) {
        if (first == last) return Ip4.toString(first);
        long count = (last & 0xffffffffL) - (first & 0xffffffffL) + 1;
        if (Long.bitCount(count) == 1 && ((first & 0xffffffffL) & (count - 1)) == 0) {
            return Ip4.toString(first) + "/" + (32 - Long.numberOfTrailingZeros(count));
        }
        if ((first & 0xffffff00) == (last & 0xffffff00)) return Ip4.toString(first) + "-" + (last & 0xff);
        return Ip4.toString(first) + "-" + Ip4.toString(last);
    }
}
