package org.jlvs.api;

/**
 * One connection entry as {@code ipvsadm -L -n -c} lists it.
 *
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
}
