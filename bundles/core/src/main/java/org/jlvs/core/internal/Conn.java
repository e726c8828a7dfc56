package org.jlvs.core.internal;

/**
 * One connection entry. Addresses and ports are fixed at creation; state, timeout and the expiry time change
 * under a lock on the entry (both receive threads touch it: requests and NAT replies).
 */
final class Conn {
    final int protocol;
    final int clientAddress;
    final int clientPort;
    final int virtualAddress;
    final int virtualPort;
    final Dest dest;
    final Service service;
    final ConnKey inKey;
    final ConnKey outKey;
    /** Where the client's frames came from: replies go back the same way, to the same MAC (client or router). */
    final Link clientLink;
    final long clientMac;

    int state = TcpStates.NONE;
    /** Counted in the dest's inactive connections (IPVS's IP_VS_CONN_F_INACTIVE); new entries start so. */
    boolean inactive = true;
    /** Replies have not been seen yet (DR/TUN stay so: IPVS's NOOUTPUT). */
    boolean noOutput = true;
    int timeoutSeconds = TcpStates.NEW_CONN_TIMEOUT;
    volatile long expiresAtNanos;
    volatile boolean expired;

    Conn(int protocol, int clientAddress, int clientPort, int virtualAddress, int virtualPort, Dest dest,
         Service service, Link clientLink, long clientMac) {
        this.protocol = protocol;
        this.clientAddress = clientAddress;
        this.clientPort = clientPort;
        this.virtualAddress = virtualAddress;
        this.virtualPort = virtualPort;
        this.dest = dest;
        this.service = service;
        this.clientLink = clientLink;
        this.clientMac = clientMac;
        this.inKey = new ConnKey(protocol, clientAddress, clientPort, virtualAddress, virtualPort);
        int destPort = dest.port() == 0 ? virtualPort : dest.port();
        this.outKey = new ConnKey(protocol, dest.address(), destPort, clientAddress, clientPort);
    }

    /** The real server's port for this connection (a port-0 server takes the packet's port). */
    int destPort() {
        return outKey.port1();
    }

    String stateName() {
        return protocol == 17 ? TcpStates.UDP_NAME : TcpStates.name(state);
    }
}
