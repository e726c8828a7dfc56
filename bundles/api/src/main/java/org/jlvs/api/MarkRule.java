package org.jlvs.api;

/**
 * One rule of jlvs's mark classifier: new flows of {@code protocol} (null: TCP and UDP) to an address from
 * {@code firstAddress} to {@code lastAddress} and a port from {@code firstPort} to {@code lastPort} get
 * {@code mark}, and a mark service ({@link ServiceKey#fwmark}) of that mark balances them. On Linux the marks
 * come from iptables or nftables rules before IPVS sees a packet; jlvs reads frames before any netfilter, so
 * it has these rules instead.
 *
 * <p>Text form (Config Admin, JSON, lvs:mark-add): {@code MARK PROTOCOL ADDRESSES [PORTS]}, for example
 * {@code 1 tcp 10.0.0.100 80}, {@code 2 any 10.0.0.0/24}, {@code 3 udp 10.0.0.1-10 5000-5100}. PROTOCOL is tcp,
 * udp or any; ADDRESSES one address, a prefix {@code a.b.c.d/len}, keepalived's range {@code a.b.c.d-e} (the
 * last byte runs from d to e) or {@code a.b.c.d-w.x.y.z}; PORTS one port or {@code n-m}, every port when left
 * out (or {@code any}).
 *
 * @param mark         unsigned, never 0
 * @param protocol     TCP, UDP, or null for both
 * @param firstAddress the first address covered (compared unsigned)
 * @param lastAddress  the last address covered, not below the first
 * @param firstPort    0 to 65535
 * @param lastPort     firstPort to 65535
 */
public record MarkRule(int mark, Protocol protocol, int firstAddress, int lastAddress, int firstPort, int lastPort) {
    /** Every port: what a rule without ports covers. */
    public static final int ALL_PORTS_LAST = 65535;

    public MarkRule {
        if (mark == 0) throw new IllegalArgumentException("mark rule: the mark must not be 0");
        if (Integer.compareUnsigned(firstAddress, lastAddress) > 0) {
            throw new IllegalArgumentException("mark rule: address range " + Ip4.toString(firstAddress) + "-"
                    + Ip4.toString(lastAddress) + " ends before it starts");
        }
        if (firstPort < 0 || lastPort > 65535 || firstPort > lastPort) {
            throw new IllegalArgumentException("mark rule: bad port range " + firstPort + "-" + lastPort);
        }
    }

    /** Parses the text form (see the class comment); the message names what is wrong. */
    public static MarkRule parse(String text) {
        return MarkRuleText.parse(text);
    }

    /** Whether a flow of this protocol number to this address and port gets this rule's mark. */
    public boolean matches(int protocolNumber, int address, int port) {
        return (protocol == null || protocol.number() == protocolNumber) && covers(address)
                && port >= firstPort && port <= lastPort;
    }

    /** Whether the address is in this rule's range. */
    public boolean covers(int address) {
        return Integer.compareUnsigned(address, firstAddress) >= 0 && Integer.compareUnsigned(address, lastAddress) <= 0;
    }

    /** Whether some flow would match both rules. */
    public boolean overlaps(MarkRule o) {
        return (protocol == null || o.protocol == null || protocol == o.protocol)
                && Integer.compareUnsigned(firstAddress, o.lastAddress) <= 0
                && Integer.compareUnsigned(o.firstAddress, lastAddress) <= 0
                && firstPort <= o.lastPort && o.firstPort <= lastPort;
    }

    /** How many addresses the rule covers (1 to 2^32). */
    public long addressCount() {
        return (lastAddress & 0xffffffffL) - (firstAddress & 0xffffffffL) + 1;
    }

    /** The mark as ipvsadm prints it. */
    public String markText() {
        return Integer.toUnsignedString(mark);
    }

    /** The canonical text form, which {@link #parse} reads back: "1 tcp 10.0.0.100 80". */
    @Override
    public String toString() {
        return MarkRuleText.format(this);
    }
}
