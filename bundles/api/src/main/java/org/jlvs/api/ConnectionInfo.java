package org.jlvs.api;

/**
 * One connection entry as {@code ipvsadm -L -n -c} lists it.
 *
 * @param protocol TCP or UDP; null for the persistence template of a mark service, which covers every protocol
 *                 (IPVS lists it as "IP", with the mark as its virtual address)
 * @param synced learnt from a peer director by connection sync (IPVS's IP_VS_CONN_F_SYNC: origin SYNC in
 *               /proc/net/ip_vs_conn_sync), false for an entry this director made (LOCAL)
 * @param client6 the client's IPv6 address of an IPv6 entry (the int addresses are then 0), else null
 * @param virtual6 the virtual IPv6 address of an IPv6 entry, else null
 * @param server6 the real server's IPv6 address of an IPv6 entry, else null
 */
public record ConnectionInfo(Protocol protocol, String state, long expiresMillis, int clientAddress,
                             int clientPort, int virtualAddress, int virtualPort, int serverAddress,
                             int serverPort, boolean synced, Ip6Address client6, Ip6Address virtual6,
                             Ip6Address server6) {
    /** An IPv4 entry. */
    public ConnectionInfo(Protocol protocol, String state, long expiresMillis, int clientAddress, int clientPort,
                          int virtualAddress, int virtualPort, int serverAddress, int serverPort, boolean synced) {
        this(protocol, state, expiresMillis, clientAddress, clientPort, virtualAddress, virtualPort, serverAddress,
                serverPort, synced, null, null, null);
    }

    /** Whether this is an IPv6 entry. */
    public boolean isIpv6() {
        return virtual6 != null;
    }

    /** An entry this director made (origin LOCAL). */
    public ConnectionInfo(Protocol protocol, String state, long expiresMillis, int clientAddress, int clientPort,
                          int virtualAddress, int virtualPort, int serverAddress, int serverPort) {
        this(protocol, state, expiresMillis, clientAddress, clientPort, virtualAddress, virtualPort, serverAddress,
                serverPort, false);
    }

    /** As ipvsadm -L -c prints the protocol: "TCP", "UDP", or "IP" for a mark service's template. */
    public String protocolLabel() {
        return protocol == null ? "IP" : protocol.label();
    }
}
