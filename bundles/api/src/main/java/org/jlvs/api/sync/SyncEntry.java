package org.jlvs.api.sync;

/**
 * One connection entry (or persistence template) as the sync protocol carries it: the fields of an IPVS v1
 * sync message entry. A mutable holder, reused: each thread that reads or writes entries keeps one and
 * refills it for every entry, so that nothing is allocated per entry. Whoever is handed one reads it during
 * the call and keeps no reference to it.
 *
 * <p>Addresses are IPv4 in an int (network order read big-endian, as {@link org.jlvs.api.Ip4}); ports and
 * states are unsigned 16-bit values in ints; {@link #timeout} is in seconds (0: the receiver's protocol
 * default). IPv6 entries (v1 type 1, 72 bytes) will add {@code af} and three 128-bit addresses; until then
 * every entry is IPv4.
 */
public final class SyncEntry {
    /** Longest PE_DATA option (IP_VS_PEDATA_MAXLEN) and PE_NAME option (IP_VS_PENAME_MAXLEN). */
    public static final int PE_DATA_MAX = 255, PE_NAME_MAX = 16;

    /** IP protocol number ({@link IpvsConn#PROTO_TCP}, {@link IpvsConn#PROTO_UDP}). */
    public int protocol;
    /** IPVS connection flags ({@link IpvsConn}{@code .F_*}): forwarding method, template, no-output, ... */
    public int flags;
    /** Protocol state ({@link IpvsConn}{@code .TCP_*}, 0 for UDP), or the template state. */
    public int state;
    public int clientAddress, clientPort;
    public int virtualAddress, virtualPort;
    /** The real server. */
    public int destAddress, destPort;
    /** Firewall mark of the service (0: none). */
    public int fwmark;
    /** Seconds the entry has to live; 0 means "the protocol's default for the state". */
    public int timeout;

    /** The SEQ_DATA option is present: NAT sequence adjustment, in then out, each init, delta, previous delta. */
    public boolean hasSeq;
    public int inSeqInit, inSeqDelta, inSeqPreviousDelta;
    public int outSeqInit, outSeqDelta, outSeqPreviousDelta;

    /** The persistence engine's data and name (PE_DATA, PE_NAME options); lengths 0 when absent. */
    public final byte[] peData = new byte[PE_DATA_MAX];
    public int peDataLength;
    public final byte[] peName = new byte[PE_NAME_MAX];
    public int peNameLength;

    /** Empties every field. */
    public SyncEntry clear() {
        protocol = flags = state = 0;
        clientAddress = clientPort = virtualAddress = virtualPort = destAddress = destPort = 0;
        fwmark = timeout = 0;
        clearOptions();
        return this;
    }

    /** Removes the options (sequence data, PE data and name). */
    public SyncEntry clearOptions() {
        hasSeq = false;
        inSeqInit = inSeqDelta = inSeqPreviousDelta = outSeqInit = outSeqDelta = outSeqPreviousDelta = 0;
        peDataLength = peNameLength = 0;
        return this;
    }

    /** Sets the fields of an entry without options. */
    public SyncEntry set(int protocol, int flags, int state, int clientAddress, int clientPort, int virtualAddress,
                         int virtualPort, int destAddress, int destPort, int fwmark, int timeout) {
        this.protocol = protocol;
        this.flags = flags;
        this.state = state;
        this.clientAddress = clientAddress;
        this.clientPort = clientPort;
        this.virtualAddress = virtualAddress;
        this.virtualPort = virtualPort;
        this.destAddress = destAddress;
        this.destPort = destPort;
        this.fwmark = fwmark;
        this.timeout = timeout;
        return clearOptions();
    }

    /** Copies every field of {@code other} into this one. */
    public SyncEntry copyFrom(SyncEntry other) {
        set(other.protocol, other.flags, other.state, other.clientAddress, other.clientPort, other.virtualAddress,
                other.virtualPort, other.destAddress, other.destPort, other.fwmark, other.timeout);
        hasSeq = other.hasSeq;
        inSeqInit = other.inSeqInit;
        inSeqDelta = other.inSeqDelta;
        inSeqPreviousDelta = other.inSeqPreviousDelta;
        outSeqInit = other.outSeqInit;
        outSeqDelta = other.outSeqDelta;
        outSeqPreviousDelta = other.outSeqPreviousDelta;
        peDataLength = other.peDataLength;
        System.arraycopy(other.peData, 0, peData, 0, peDataLength);
        peNameLength = other.peNameLength;
        System.arraycopy(other.peName, 0, peName, 0, peNameLength);
        return this;
    }

    public boolean isTemplate() {
        return (flags & IpvsConn.F_TEMPLATE) != 0;
    }

    /** "TCP 10.0.0.1:1234 -> 10.0.0.100:80 -> 10.0.1.11:80 state 1 flags 0x3 timeout 900" (for logs and tests). */
    @Override
    public String toString() {
        return (protocol == IpvsConn.PROTO_TCP ? "TCP" : protocol == IpvsConn.PROTO_UDP ? "UDP" : "proto " + protocol)
                + " " + org.jlvs.api.Ip4.toString(clientAddress, clientPort)
                + " -> " + org.jlvs.api.Ip4.toString(virtualAddress, virtualPort)
                + " -> " + org.jlvs.api.Ip4.toString(destAddress, destPort)
                + " state " + state + " flags 0x" + Integer.toHexString(flags) + " timeout " + timeout
                + (fwmark != 0 ? " fwmark " + fwmark : "") + (hasSeq ? " seq" : "");
    }
}
