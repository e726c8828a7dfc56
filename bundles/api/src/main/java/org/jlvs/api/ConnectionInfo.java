package org.jlvs.api;

/**
 * One connection entry as {@code ipvsadm -L -n -c} lists it.
 *
 * @param protocol TCP or UDP; null for the persistence template of a mark service, which covers every protocol
 *                 (IPVS lists it as "IP", with the mark as its virtual address)
 * @param synced learnt from a peer director by connection sync (IPVS's IP_VS_CONN_F_SYNC: origin SYNC in
 *               /proc/net/ip_vs_conn_sync), false for an entry this director made (LOCAL)
 */
public record ConnectionInfo(Protocol protocol, String state, long expiresMillis, int clientAddress,
                             int clientPort, int virtualAddress, int virtualPort, int serverAddress,
                             int serverPort, boolean synced) {
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
