package org.jlvs.core.internal;

/**
 * IPVS's TCP state machine (net/netfilter/ipvs/ip_vs_proto_tcp.c): eleven states, a transition table per
 * direction (INPUT = client to server, OUTPUT = server to client, INPUT_ONLY = connections whose replies
 * do not pass the director, i.e. DR and TUN), indexed by the packet's most important flag
 * (rst &gt; syn &gt; fin &gt; ack), and a timeout per state.
 */
public final class TcpStates {
    private TcpStates() {}

    public static final int NONE = 0, ESTABLISHED = 1, SYN_SENT = 2, SYN_RECV = 3, FIN_WAIT = 4, TIME_WAIT = 5,
            CLOSE = 6, CLOSE_WAIT = 7, LAST_ACK = 8, LISTEN = 9, SYNACK = 10;
    public static final int COUNT = 11;

    /** The name of a UDP entry's (only) state in listings. */
    public static final String UDP_NAME = "UDP";

    private static final String[] NAMES = {"NONE", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT",
        "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "SYNACK"};

    /** Default timeouts in seconds (ip_vs_proto_tcp.c tcp_timeouts). */
    public static final int[] DEFAULT_TIMEOUTS = {2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120};
    public static final int UDP_TIMEOUT = 300;
    /** A connection entry lives 3 s until its first state change (ip_vs_conn_new). */
    public static final int NEW_CONN_TIMEOUT = 3;

    public static final int DIR_INPUT = 0, DIR_OUTPUT = 1, DIR_INPUT_ONLY = 2;
    private static final int SYN = 0, FIN = 1, ACK = 2, RST = 3;

    private static final int sNO = NONE, sES = ESTABLISHED, sSS = SYN_SENT, sSR = SYN_RECV, sFW = FIN_WAIT,
            sTW = TIME_WAIT, sCL = CLOSE, sCW = CLOSE_WAIT, sLA = LAST_ACK, sLI = LISTEN, sSA = SYNACK;

    /**
     * [direction][flag][state] -> next state; the kernel's tcp_states table (not tcp_states_dos: secure_tcp
     * is not offered). NONE + ACK goes to ESTABLISHED in INPUT and INPUT_ONLY, as since the kernel's
     * sloppy_tcp change: an entry created in NONE by connection sync picks up a mid-stream connection.
     */
    private static final int[][][] TABLE = {
        { // INPUT
            /* syn */ {sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR},
            /* fin */ {sCL, sCW, sSS, sTW, sTW, sTW, sCL, sCW, sLA, sLI, sTW},
            /* ack */ {sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES},
            /* rst */ {sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sSR},
        },
        { // OUTPUT
            /* syn */ {sSS, sES, sSS, sSR, sSS, sSS, sSS, sSS, sSS, sLI, sSR},
            /* fin */ {sTW, sFW, sSS, sTW, sFW, sTW, sCL, sTW, sLA, sLI, sTW},
            /* ack */ {sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sLA, sES, sES},
            /* rst */ {sCL, sCL, sSS, sCL, sCL, sTW, sCL, sCL, sCL, sCL, sCL},
        },
        { // INPUT_ONLY
            /* syn */ {sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR},
            /* fin */ {sCL, sFW, sSS, sTW, sFW, sTW, sCL, sCW, sLA, sLI, sTW},
            /* ack */ {sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES},
            /* rst */ {sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sCL},
        },
    };

    /**
     * The next state for a packet with TCP flags {@code flags} (FIN=1, SYN=2, RST=4, ACK=16) in direction
     * {@code dir}. A packet with none of these flags moves the entry to CLOSE, as in the kernel.
     */
    public static int next(int state, int dir, int flags) {
        int index;
        if ((flags & 0x04) != 0) index = RST;
        else if ((flags & 0x02) != 0) index = SYN;
        else if ((flags & 0x01) != 0) index = FIN;
        else if ((flags & 0x10) != 0) index = ACK;
        else return CLOSE;
        return TABLE[dir][index][state];
    }

    /**
     * Only ESTABLISHED counts in ActiveConn, every other state in InActConn: set_tcp_state moves an entry to
     * the inactive count on any change to a state other than ESTABLISHED, so a SYN flood's half-open
     * entries weigh 1 (not 256) in lc/wlc's overhead.
     */
    public static boolean isActive(int state) {
        return state == ESTABLISHED;
    }

    public static String name(int state) {
        return state >= 0 && state < COUNT ? NAMES[state] : "ERR!";
    }
}
