package org.jlvs.ipvsadm;

/** The layouts of {@code ipvsadm -L}: the default one and those chosen by its listing options. */
public enum ListView {
    /** Scheduler, flags, forward method, weight and connection counts. */
    DEFAULT,
    /** {@code --stats}: conns, packets and bytes. */
    STATS,
    /** {@code --rate}: the estimator's rates. */
    RATE,
    /** {@code --thresholds}: upper and lower connection thresholds. */
    THRESHOLDS,
    /** {@code --persistent-conn}: weight and persistence templates. */
    PERSISTENT_CONN,
    /** {@code --tun-info}: forward method, tunnel type and port, weight and connection counts. */
    TUN_INFO;

    /** The view ipvsadm picks when several listing options are given (it tests them in this order). */
    public static ListView of(boolean stats, boolean rate, boolean thresholds, boolean persistentConn) {
        return of(stats, rate, thresholds, persistentConn, false);
    }

    /** As {@link #of(boolean, boolean, boolean, boolean)}, with {@code --tun-info} tested last. */
    public static ListView of(boolean stats, boolean rate, boolean thresholds, boolean persistentConn,
                              boolean tunInfo) {
        if (stats) return STATS;
        if (rate) return RATE;
        if (thresholds) return THRESHOLDS;
        if (persistentConn) return PERSISTENT_CONN;
        if (tunInfo) return TUN_INFO;
        return DEFAULT;
    }
}
