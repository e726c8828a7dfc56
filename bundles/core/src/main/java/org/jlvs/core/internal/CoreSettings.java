package org.jlvs.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The director's settings (PID {@value #PID}), checked. A bad value never stops the director: it is refused
 * with a logged reason naming the key and the value, and the value in use (at the first start: the default)
 * stays.
 *
 * @param interfaces     {@value #ALL} (every interface that is up, except loopback), {@value #NONE} (no
 *                       capture), or interface names joined by commas
 * @param maxConnections the connection table's cap in entries
 */
record CoreSettings(String interfaces, int maxConnections) {
    private static final Logger LOG = LoggerFactory.getLogger(CoreSettings.class);
    static final String PID = "org.jlvs.core";
    static final String INTERFACES = "interfaces";
    static final String MAX_CONNECTIONS = "max_connections";
    static final String ALL = "*";
    static final String NONE = "none";
    /** max_connections' default: the system property, else a share of the heap (ConnTable.defaultMaxEntries). */
    static final String AUTO = "auto";
    /** Linux's IFNAMSIZ less the terminating NUL. */
    private static final int MAX_NAME_LENGTH = 15;

    /**
     * The settings a configuration asks for. A value that is refused is logged, and the one of {@code current}
     * is kept (the default when {@code current} is null: at the first start).
     */
    static CoreSettings of(String interfaces, String maxConnections, CoreSettings current) {
        String nics;
        try {
            nics = interfaces(interfaces);
        } catch (IllegalArgumentException e) {
            nics = current == null ? ALL : current.interfaces;
            LOG.warn("{}: {}; keeping {} = {}", PID, e.getMessage(), INTERFACES, nics);
        }
        int max;
        try {
            max = maxConnections(maxConnections);
        } catch (IllegalArgumentException e) {
            max = current == null ? ConnTable.defaultMaxEntries() : current.maxConnections;
            LOG.warn("{}: {} or {}; keeping {} = {}", PID, e.getMessage(), AUTO, MAX_CONNECTIONS, max);
        }
        return new CoreSettings(nics, max);
    }

    /** The cap in entries: {@value #AUTO} (or nothing) for the default, else 1..{@link ConnTable#MAX_ENTRIES}. */
    static int maxConnections(String text) {
        if (text == null || text.isBlank() || AUTO.equals(text.trim())) return ConnTable.maxEntries(null);
        return ConnTable.maxEntries(text);
    }

    /**
     * The interface list in its normal form: {@value #ALL}, {@value #NONE} (also for an empty value), or
     * names joined by commas. A name must be one Linux accepts: 1 to 15 characters, neither "." nor "..",
     * without '/', ':' or white space.
     */
    static String interfaces(String spec) {
        String text = spec == null ? "" : spec.trim();
        if (text.isEmpty() || NONE.equals(text)) return NONE;
        if (ALL.equals(text)) return ALL;
        Set<String> names = new LinkedHashSet<>();
        for (String part : text.split(",", -1)) {
            String name = part.trim();
            String why = invalidName(name);
            if (why != null) {
                throw new IllegalArgumentException("bad " + INTERFACES + " '" + spec + "': " + why
                        + " (expected * , none, or interface names separated by commas)");
            }
            names.add(name);
        }
        return String.join(",", names);
    }

    /** The names of {@link #interfaces} in use, or null for every usable interface. */
    List<String> names() {
        if (ALL.equals(interfaces)) return null;
        if (NONE.equals(interfaces)) return List.of();
        return new ArrayList<>(List.of(interfaces.split(",")));
    }

    private static String invalidName(String name) {
        if (name.isEmpty()) return "an empty name";
        if (ALL.equals(name) || NONE.equals(name)) return "'" + name + "' must stand alone";
        if (name.length() > MAX_NAME_LENGTH) return "'" + name + "' is longer than " + MAX_NAME_LENGTH + " characters";
        if (name.equals(".") || name.equals("..")) return "'" + name + "' is not an interface name";
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == ':' || Character.isWhitespace(c)) {
                return "'" + name + "' holds '" + c + "', which no interface name has";
            }
        }
        return null;
    }
}
