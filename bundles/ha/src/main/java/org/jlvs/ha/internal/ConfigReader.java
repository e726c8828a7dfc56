package org.jlvs.ha.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.jlvs.api.Ip4;
import org.jlvs.api.Ip6Address;

/**
 * Typed reads of Config Admin properties (Strings from etc/*.cfg, or typed values) with keepalived-style
 * defaults. Every failure is an IllegalArgumentException whose message starts with the key.
 */
final class ConfigReader {
    private final Map<String, ?> properties;

    ConfigReader(Map<String, ?> properties) {
        this.properties = properties;
    }

    private Object raw(String key) {
        Object value = properties.get(key);
        if (value instanceof String s && s.isBlank()) return null;
        return value;
    }

    static IllegalArgumentException bad(String key, String reason) {
        return new IllegalArgumentException(key + ": " + reason);
    }

    String string(String key, String defaultValue) {
        Object value = raw(key);
        return value == null ? defaultValue : String.valueOf(value).trim();
    }

    String required(String key) {
        String value = string(key, null);
        if (value == null) throw bad(key, "missing");
        return value;
    }

    int integer(String key, int defaultValue, int min, int max) {
        Object value = raw(key);
        if (value == null) return defaultValue;
        long n;
        if (value instanceof Number number && !(value instanceof Double || value instanceof Float)) {
            n = number.longValue();
        } else {
            try {
                n = Long.parseLong(String.valueOf(value).trim());
            } catch (NumberFormatException e) {
                throw bad(key, "not an integer: " + value);
            }
        }
        if (n < min || n > max) throw bad(key, n + " is not in " + min + ".." + max);
        return (int) n;
    }

    /** A decimal number of seconds with at most {@code scale} digits after the point, as units of 10^-scale s. */
    long fixed(String key, long defaultUnits, int scale, long minUnits, long maxUnits) {
        Object value = raw(key);
        if (value == null) return defaultUnits;
        BigDecimal seconds;
        try {
            seconds = new BigDecimal(String.valueOf(value).trim());
        } catch (NumberFormatException e) {
            throw bad(key, "not a number: " + value);
        }
        BigDecimal units = seconds.movePointRight(scale);
        if (units.stripTrailingZeros().scale() > 0) {
            throw bad(key, value + " has more than " + scale + " decimals");
        }
        if (units.compareTo(BigDecimal.valueOf(minUnits)) < 0 || units.compareTo(BigDecimal.valueOf(maxUnits)) > 0) {
            throw bad(key, value + " is not in " + BigDecimal.valueOf(minUnits, scale).toPlainString() + ".."
                    + BigDecimal.valueOf(maxUnits, scale).toPlainString());
        }
        return units.longValueExact();
    }

    boolean bool(String key, boolean defaultValue) {
        Object value = raw(key);
        if (value == null) return defaultValue;
        if (value instanceof Boolean b) return b;
        String text = String.valueOf(value).trim().toLowerCase(java.util.Locale.ROOT);
        return switch (text) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw bad(key, "not a boolean: " + value);
        };
    }

    /** A list from an array, a collection or a comma/blank separated string. */
    List<String> list(String key) {
        Object value = raw(key);
        List<String> out = new ArrayList<>();
        if (value == null) return out;
        if (value instanceof String[] array) {
            for (String s : array) addWords(out, s);
        } else if (value instanceof Collection<?> c) {
            for (Object o : c) addWords(out, String.valueOf(o));
        } else {
            addWords(out, String.valueOf(value));
        }
        return out;
    }

    private static void addWords(List<String> out, String text) {
        for (String word : text.split("[,\\s]+")) {
            if (!word.isEmpty()) out.add(word);
        }
    }

    /** IPv4 addresses; a "/prefix" suffix (keepalived's virtual_ipaddress form) is accepted and ignored. */
    int[] addresses(String key) {
        List<String> words = list(key);
        int[] out = new int[words.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = address(key, words.get(i));
        }
        return out;
    }

    int address(String key, String text) {
        String word = text;
        int slash = word.indexOf('/');
        if (slash >= 0) {
            String prefix = word.substring(slash + 1);
            if (!prefix.matches("\\d{1,2}") || Integer.parseInt(prefix) > 32) throw bad(key, "bad prefix in " + text);
            word = word.substring(0, slash);
        }
        try {
            return Ip4.parse(word);
        } catch (IllegalArgumentException e) {
            throw bad(key, e.getMessage());
        }
    }

    /** Whether an address word (with or without "/prefix") is IPv6: it has a colon, as keepalived tells them. */
    static boolean isIpv6(String word) {
        return word.indexOf(':') >= 0;
    }

    /** An IPv6 address; a "/prefix" suffix (0..128) is accepted and ignored. */
    Ip6Address address6(String key, String text) {
        String word = text;
        int slash = word.indexOf('/');
        if (slash >= 0) {
            String prefix = word.substring(slash + 1);
            if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > 128) throw bad(key, "bad prefix in " + text);
            word = word.substring(0, slash);
        }
        try {
            return Ip6Address.parse(word);
        } catch (IllegalArgumentException e) {
            throw bad(key, e.getMessage());
        }
    }

    /** One of the given words (case-insensitive), returned in lower case. */
    String choice(String key, String defaultValue, String... allowed) {
        String value = string(key, defaultValue).toLowerCase(java.util.Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(value)) return value;
        }
        throw bad(key, "'" + value + "' is not one of " + String.join(", ", allowed));
    }
}
