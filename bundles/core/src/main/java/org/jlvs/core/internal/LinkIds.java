package org.jlvs.core.internal;

import java.util.Arrays;

/**
 * Byte-sized ids for the interfaces a client's frames came from (an entry stores 8 bits): 0 is "none", then
 * one id per {@link Link}, kept for the table's life (a director has a handful of interfaces).
 */
final class LinkIds {
    static final int MAX = 255;
    private volatile Link[] links = new Link[1];

    /** The id of {@code link}; 0 for null, or when more than {@value #MAX} links were seen. */
    int idOf(Link link) {
        if (link == null) return 0;
        Link[] a = links;
        for (int i = 1; i < a.length; i++) {
            if (a[i] == link) return i;
        }
        return add(link);
    }

    /** The link of id {@code id}; null for 0 or an unknown id. */
    Link link(int id) {
        Link[] a = links;
        return id >= 0 && id < a.length ? a[id] : null;
    }

    private synchronized int add(Link link) {
        Link[] a = links;
        for (int i = 1; i < a.length; i++) {
            if (a[i] == link) return i;
        }
        if (a.length > MAX) return 0;
        Link[] grown = Arrays.copyOf(a, a.length + 1);
        grown[a.length] = link;
        links = grown;
        return a.length;
    }
}
