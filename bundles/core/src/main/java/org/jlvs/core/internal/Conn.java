package org.jlvs.core.internal;

import org.jlvs.api.ForwardMethod;

/**
 * A view of one connection entry, filled by the {@link ConnTable}. Entries themselves live in primitive
 * arrays; each receive thread keeps one view and reuses it for every packet, so the data path allocates
 * nothing. The fields are a snapshot taken under the entry's lock. The table's methods that change an entry
 * ({@link ConnTable#update}, {@link ConnTable#remove}) take up the entry at {@link #slot} directly when no
 * writer has held its segment since the view was filled ({@link #stamp}), else find it again by its
 * client-side key. A view belongs to one table.
 */
final class Conn {
    int protocol;
    int clientAddress;
    int clientPort;
    int virtualAddress;
    int virtualPort;
    Dest dest;
    Service service;
    /** Where the client's frames came from: replies go back the same way, to the same MAC (client or router). */
    Link clientLink;
    long clientMac;
    /** The TCP state ({@link TcpStates}); an entry is added in this state (NONE for a new flow). */
    int state = TcpStates.NONE;
    /** The entry's slot in the table, -1 when this view holds none (informational: never trusted alone). */
    int slot = -1;
    /**
     * The observation stamp of the lookup (or add) that filled this view, for its segment {@link #segment}:
     * while it still validates, {@link #slot} is this entry and the next change needs no second probe.
     * 0 when none (the view was described by {@link #set}, or filled under the read lock).
     */
    long stamp;
    /** The number of the table segment whose lock {@link #stamp} observed. */
    int segment;
    /** Made through a persistence template, which counts it in its n_control (set before {@link ConnTable#add}). */
    boolean controlled;
    /** Set by {@link ConnTable#add}: this call made the entry (false: another thread's was found). */
    boolean created;

    /** What the master's feed is offered, reused for every packet of this view's thread (made on first use). */
    private org.jlvs.api.sync.SyncEntry sync;

    Conn() {
    }

    org.jlvs.api.sync.SyncEntry sync() {
        org.jlvs.api.sync.SyncEntry s = sync;
        if (s == null) sync = s = new org.jlvs.api.sync.SyncEntry();
        return s;
    }

    Conn(int protocol, int clientAddress, int clientPort, int virtualAddress, int virtualPort, Dest dest,
         Service service, Link clientLink, long clientMac) {
        set(protocol, clientAddress, clientPort, virtualAddress, virtualPort, dest, service, clientLink, clientMac);
    }

    /** Describes a new flow, to be passed to {@link ConnTable#add}. */
    void set(int protocol, int clientAddress, int clientPort, int virtualAddress, int virtualPort, Dest dest,
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
        this.state = TcpStates.NONE;
        this.slot = -1;
        this.stamp = 0;
        this.controlled = false;
    }

    /** The real server's port for this connection (a port-0 server takes the packet's port). */
    int destPort() {
        return dest.port() == 0 ? virtualPort : dest.port();
    }

    /** Replies do not pass the director (DR, TUN): IPVS's NOOUTPUT, and no real-server-side index entry. */
    boolean noOutput() {
        return dest.forwardMethod() != ForwardMethod.MASQ;
    }

    String stateName() {
        return protocol == 17 ? TcpStates.UDP_NAME : TcpStates.name(state);
    }
}
