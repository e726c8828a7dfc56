package org.jlvs.sync.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import org.jlvs.api.Ip4;

/** An IPv4 network ("10.0.1.0/24"), for the resync's list of allowed peers. */
record Cidr(int address, int prefixLength) {
    Cidr {
        if (prefixLength < 0 || prefixLength > 32) throw new IllegalArgumentException("bad prefix length: " + prefixLength);
        address &= mask(prefixLength);
    }

    private static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    boolean contains(InetAddress a) {
        return a instanceof Inet4Address && (toInt(a) & mask(prefixLength)) == address;
    }

    static int toInt(InetAddress a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xff) << 24) | ((b[1] & 0xff) << 16) | ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    /** "10.0.1.0/24" or "10.0.1.7" (a /32). */
    static Cidr parse(String text) {
        String t = text.strip();
        int slash = t.indexOf('/');
        int prefix = 32;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(t.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad network: " + text);
            }
            if (prefix < 0 || prefix > 32) throw new IllegalArgumentException("bad network: " + text);
            t = t.substring(0, slash);
        }
        return new Cidr(Ip4.parse(t), prefix);
    }

    /** A comma-separated list; empty text gives an empty list. */
    static List<Cidr> parseList(String text) {
        List<Cidr> out = new ArrayList<>();
        if (text == null) return out;
        for (String part : text.split(",")) {
            if (!part.isBlank()) out.add(parse(part));
        }
        return out;
    }

    @Override
    public String toString() {
        return Ip4.toString(address) + "/" + prefixLength;
    }
}
