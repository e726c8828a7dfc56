package org.jlvs.shell.format;

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
    PERSISTENT_CONN;

    /** The view ipvsadm picks when several listing options are given (it tests them in this order). */
    public static ListView of(boolean stats, boolean rate, boolean thresholds, boolean persistentConn) {
        if (stats) return STATS;
        if (rate) return RATE;
        if (thresholds) return THRESHOLDS;
        if (persistentConn) return PERSISTENT_CONN;
        return DEFAULT;
    }
}
