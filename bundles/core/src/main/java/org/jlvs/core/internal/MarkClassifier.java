package org.jlvs.core.internal;

import java.util.List;

import org.jlvs.api.MarkRule;

/**
 * The mark rules as primitive arrays, for the packet path: which mark a new flow gets (jlvs's stand-in for the
 * iptables mangle rules that mark packets before IPVS on Linux). Immutable, built with each
 * {@link ServiceIndex}; a lookup scans the rules without allocating. Rules of different marks never overlap
 * (the table refuses that), so the first match is the only one and the order of the rules does not matter.
 */
final class MarkClassifier {
    static final MarkClassifier EMPTY = new MarkClassifier(List.of());

    private final int[] marks;
    /** The protocol number, or 0 for TCP and UDP alike. */
    private final int[] protocols;
    private final int[] firstAddresses;
    private final int[] lastAddresses;
    /** First port in the high 16 bits, last in the low 16. */
    private final int[] ports;

    MarkClassifier(List<MarkRule> rules) {
        int n = rules.size();
        marks = new int[n];
        protocols = new int[n];
        firstAddresses = new int[n];
        lastAddresses = new int[n];
        ports = new int[n];
        for (int i = 0; i < n; i++) {
            MarkRule r = rules.get(i);
            marks[i] = r.mark();
            protocols[i] = r.protocol() == null ? 0 : r.protocol().number();
            firstAddresses[i] = r.firstAddress();
            lastAddresses[i] = r.lastAddress();
            ports[i] = (r.firstPort() << 16) | r.lastPort();
        }
    }

    /** The mark of a flow of this protocol to this address and port, or 0 when no rule covers it. */
    int classify(int protocol, int address, int port) {
        for (int i = 0; i < marks.length; i++) {
            int p = protocols[i];
            if ((p == 0 || p == protocol) && inRange(address, i) && port >= ports[i] >>> 16
                    && port <= (ports[i] & 0xffff)) {
                return marks[i];
            }
        }
        return 0;
    }

    /** Whether some rule covers the address (any port, any protocol). */
    boolean covers(int address) {
        for (int i = 0; i < marks.length; i++) {
            if (inRange(address, i)) return true;
        }
        return false;
    }

    private boolean inRange(int address, int i) {
        return Integer.compareUnsigned(address, firstAddresses[i]) >= 0
                && Integer.compareUnsigned(address, lastAddresses[i]) <= 0;
    }

    int size() {
        return marks.length;
    }

    int mark(int i) { return marks[i]; }
    int firstAddress(int i) { return firstAddresses[i]; }
    int lastAddress(int i) { return lastAddresses[i]; }
}
