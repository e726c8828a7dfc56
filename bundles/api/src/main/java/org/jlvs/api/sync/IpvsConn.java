package org.jlvs.api.sync;

/**
 * IPVS's numbers for a connection entry, as the sync protocol carries them: the connection flags
 * ({@code IP_VS_CONN_F_*} of the kernel's include/uapi/linux/ip_vs.h), the TCP states
 * ({@code IP_VS_TCP_S_*}), the template states ({@code IP_VS_CTPL_S_*}) and the number of states of each
 * protocol, against which a backup checks a received state. Everything that reads or writes these numbers
 * takes them from here.
 */
public final class IpvsConn {
    private IpvsConn() {}

    // ---- connection flags (32 bits on the wire in v1, 16 in v0) ----

    /** The forwarding method, the low three bits. */
    public static final int F_FWD_MASK = 0x0007;
    public static final int F_MASQ = 0x0000;
    public static final int F_LOCALNODE = 0x0001;
    public static final int F_TUNNEL = 0x0002;
    public static final int F_DROUTE = 0x0003;
    public static final int F_BYPASS = 0x0004;
    /** The entry was learnt from a peer (set by the receiver, never sent). */
    public static final int F_SYNC = 0x0020;
    /** Kernel-internal; the sender clears it. */
    public static final int F_HASHED = 0x0040;
    /** Replies do not pass the director (DR, TUN). */
    public static final int F_NOOUTPUT = 0x0080;
    /** Not established (counted in InActConn). */
    public static final int F_INACTIVE = 0x0100;
    public static final int F_OUT_SEQ = 0x0200;
    public static final int F_IN_SEQ = 0x0400;
    /** Sequence adjustment data follows (v0: a 24-byte block; v1: the SEQ_DATA option). */
    public static final int F_SEQ_MASK = 0x0600;
    public static final int F_NO_CPORT = 0x0800;
    /** A persistence template, not a connection. */
    public static final int F_TEMPLATE = 0x1000;
    /** One-packet scheduling (ipvsadm -o): never synced. */
    public static final int F_ONE_PACKET = 0x2000;
    /** The flags a backup keeps from a message (IP_VS_CONN_F_BACKUP_MASK). */
    public static final int F_BACKUP_MASK = F_FWD_MASK | F_NOOUTPUT | F_INACTIVE | F_SEQ_MASK | F_NO_CPORT
            | F_TEMPLATE;
    /** The flags a message may change on an existing entry (IP_VS_CONN_F_BACKUP_UPD_MASK). */
    public static final int F_BACKUP_UPD_MASK = F_INACTIVE | F_SEQ_MASK;

    // ---- states ----

    public static final int TCP_NONE = 0, TCP_ESTABLISHED = 1, TCP_SYN_SENT = 2, TCP_SYN_RECV = 3,
            TCP_FIN_WAIT = 4, TCP_TIME_WAIT = 5, TCP_CLOSE = 6, TCP_CLOSE_WAIT = 7, TCP_LAST_ACK = 8,
            TCP_LISTEN = 9, TCP_SYNACK = 10;
    /** IP_VS_TCP_S_LAST: a TCP entry's state must be below it. */
    public static final int TCP_STATES = 11;
    /** UDP has one state, 0 (IP_VS_UDP_S_NORMAL). */
    public static final int UDP_STATES = 1;
    /** Template states: NONE, ASSURED (IP_VS_CTPL_S_*); IP_VS_CTPL_S_LAST = 2. */
    public static final int TEMPLATE_NONE = 0, TEMPLATE_ASSURED = 1, TEMPLATE_STATES = 2;

    public static final int PROTO_TCP = 6, PROTO_UDP = 17, PROTO_SCTP = 132;

    /** The timeout of a template learnt without one (v0, or 0 in v1): three minutes, as the kernel. */
    public static final int TEMPLATE_DEFAULT_TIMEOUT = 180;

    /**
     * How many states a protocol has, or 0 for a protocol jlvs does not balance (the receiver skips such an
     * entry, as the kernel does for a protocol it has no handler for).
     */
    public static int states(int protocol) {
        switch (protocol) {
            case PROTO_TCP: return TCP_STATES;
            case PROTO_UDP: return UDP_STATES;
            default: return 0;
        }
    }

    /** The forwarding method bits of {@code flags}. */
    public static int forwardMethod(int flags) {
        return flags & F_FWD_MASK;
    }

    public static boolean isTemplate(int flags) {
        return (flags & F_TEMPLATE) != 0;
    }
}
