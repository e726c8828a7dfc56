package org.jlvs.core.internal;

import org.jlvs.api.ForwardMethod;

/**
 * A view of one IPv6 connection entry, filled by the {@link Conn6Table}; each receive thread reuses one, so the
 * data path allocates nothing. {@link #slot} names the entry for the table's next change; the table checks that
 * the slot still holds this connection before it trusts it.
 */
final class Conn6 {
    int protocol;
    long clientHi, clientLo;
    int clientPort;
    long virtualHi, virtualLo;
    int virtualPort;
    Dest dest;
    Service service;
    Link clientLink;
    long clientMac;
    int state = TcpStates.NONE;
    int slot = -1;
    /** Made through a persistence template, which counts it (set before {@link Conn6Table#add}). */
    boolean controlled;
    /** Set by {@link Conn6Table#add}: this call made the entry (false: another thread's was found). */
    boolean created;

    /** Describes a new flow, to be passed to {@link Conn6Table#add}. */
    void set(int protocol, long clientHi, long clientLo, int clientPort, long virtualHi, long virtualLo,
             int virtualPort, Dest dest, Service service, Link clientLink, long clientMac) {
        this.protocol = protocol;
        this.clientHi = clientHi;
        this.clientLo = clientLo;
        this.clientPort = clientPort;
        this.virtualHi = virtualHi;
        this.virtualLo = virtualLo;
        this.virtualPort = virtualPort;
        this.dest = dest;
        this.service = service;
        this.clientLink = clientLink;
        this.clientMac = clientMac;
        this.state = TcpStates.NONE;
        this.slot = -1;
        this.controlled = false;
    }

    /** The real server's port for this connection (a port-0 server takes the packet's port). */
    int destPort() {
        return dest.port() == 0 ? virtualPort : dest.port();
    }

    /** Replies do not pass the director (DR): no real-server-side index entry. */
    boolean noOutput() {
        return dest.forwardMethod() != ForwardMethod.MASQ;
    }
}
