package org.jlvs.api.sync;

/**
 * When the master sends an entry: IPVS's rule ({@code ip_vs_sync_conn_needed} in net/netfilter/ipvs/
 * ip_vs_sync.c) with its sysctls, applied by the core's packet path to each packet of a connection while a
 * master daemon runs. It is a handful of int operations on three per-entry fields the core keeps: the
 * packet count ({@code in_pkts}), the state last sent ({@code old_state}) and {@code sync_endtime} (the time
 * the entry was last sent plus its timeout, with a retry count in its two low bits).
 *
 * <p>Times are milliseconds in an int that may wrap (compared as the kernel compares jiffies); a new entry
 * starts with {@code syncEndtime = now & ~3}, as the kernel's {@code ip_vs_conn_new} sets it.
 *
 * <p>The kernel's rule, per packet, with {@code pkts} the entry's packet count after this packet:
 * <ul>
 *   <li>ONE_PACKET entries are never sent (the caller skips them); a connection controlled by a template is
 *       not sent when {@code sync_persist_mode} is on (only its template is);</li>
 *   <li>TCP is sent only in ESTABLISHED, FIN_WAIT, CLOSE, CLOSE_WAIT and TIME_WAIT; a change into any of them
 *       but ESTABLISHED is sent at once;</li>
 *   <li>with {@code sync_refresh_period} &gt; 0, an entry whose expiry moved less than
 *       min(refresh period, max(timeout/2, 10 s)) since it was last sent is not sent again, except for up to
 *       {@code sync_retries} resends, each at least refresh period / 8 after the last send;</li>
 *   <li>with {@code sync_period} &gt; 0 a connection is sent when {@code pkts % sync_period == sync_threshold}
 *       (templates whenever the rest allows); with both periods 0, once, when {@code pkts == sync_threshold}.</li>
 * </ul>
 * After a connection, the caller applies the rule to its template (controller) with the template's own
 * packet count incremented by one, as the kernel does.
 */
public final class SyncRule {
    /** {@link #check} says: do not send. */
    public static final long NOT_NEEDED = Long.MIN_VALUE;
    /** The kernel's defaults: sync_threshold 3, sync_period 50, no refresh period, no retries. */
    public static final SyncRule DEFAULT = new SyncRule(3, 50, 0, 0, false);

    private static final int SENT_STATES = (1 << IpvsConn.TCP_ESTABLISHED) | (1 << IpvsConn.TCP_FIN_WAIT)
            | (1 << IpvsConn.TCP_CLOSE) | (1 << IpvsConn.TCP_CLOSE_WAIT) | (1 << IpvsConn.TCP_TIME_WAIT);
    private static final int MIN_REFRESH_DIFF_MILLIS = 10_000;

    private final int threshold;
    private final int period;
    private final int refreshPeriodMillis;
    private final int retries;
    private final boolean persistMode;

    /**
     * @param threshold           sync_threshold: 0.., below {@code period} when that is not 0
     * @param period              sync_period: 0..
     * @param refreshPeriodSeconds sync_refresh_period: 0 (off) .. 2,000,000
     * @param retries             sync_retries: 0..3
     * @param persistMode         sync_persist_mode: send only the templates of persistent services
     * @throws IllegalArgumentException naming the setting and why
     */
    public SyncRule(int threshold, int period, int refreshPeriodSeconds, int retries, boolean persistMode) {
        if (threshold < 0) throw new IllegalArgumentException("sync_threshold must not be negative: " + threshold);
        if (period < 0) throw new IllegalArgumentException("sync_period must not be negative: " + period);
        if (period > 0 && threshold >= period) {
            throw new IllegalArgumentException("sync_threshold (" + threshold + ") must be below sync_period ("
                    + period + ")");
        }
        if (refreshPeriodSeconds < 0 || refreshPeriodSeconds > 2_000_000) {
            throw new IllegalArgumentException("sync_refresh_period must be 0..2000000 s: " + refreshPeriodSeconds);
        }
        if (retries < 0 || retries > 3) throw new IllegalArgumentException("sync_retries must be 0..3: " + retries);
        this.threshold = threshold;
        this.period = period;
        this.refreshPeriodMillis = refreshPeriodSeconds * 1000;
        this.retries = retries;
        this.persistMode = persistMode;
    }

    public int threshold() { return threshold; }
    public int period() { return period; }
    public int refreshPeriodSeconds() { return refreshPeriodMillis / 1000; }
    public int retries() { return retries; }
    public boolean persistMode() { return persistMode; }

    /**
     * Whether to send an entry after a packet, and its next {@code syncEndtime}.
     *
     * @param flags         the entry's IPVS flags (TEMPLATE matters; the caller skips ONE_PACKET entries)
     * @param protocol      IP protocol number
     * @param state         the entry's state after this packet
     * @param oldState      the state last sent
     * @param inPersistence the connection is controlled by a persistence template
     * @param pkts          the entry's packet count, this packet included
     * @param syncEndtime   the entry's field (see the class comment)
     * @param timeoutMillis the entry's timeout now
     * @param nowMillis     the time now
     * @return {@link #NOT_NEEDED}, or the entry's new {@code syncEndtime} (an int, in the low 32 bits): send the
     *         entry, store that value and set {@code oldState = state}
     */
    public long check(int flags, int protocol, int state, int oldState, boolean inPersistence, int pkts,
                      int syncEndtime, int timeoutMillis, int nowMillis) {
        int n = (nowMillis + timeoutMillis) & ~3;
        boolean template = (flags & IpvsConn.F_TEMPLATE) != 0;
        if (!template) {
            if (persistMode && inPersistence) return NOT_NEEDED;
            if (protocol == IpvsConn.PROTO_TCP) {
                if (state < 0 || state >= 32 || ((1 << state) & SENT_STATES) == 0) return NOT_NEEDED;
                if (state != oldState && state != IpvsConn.TCP_ESTABLISHED) return n & 0xffffffffL;
            }
        }
        if (refreshPeriodMillis > 0) {
            long diff = Math.abs((long) (n - syncEndtime));
            int minDiff = Math.max(timeoutMillis >> 1, MIN_REFRESH_DIFF_MILLIS);
            if (diff < Math.min(refreshPeriodMillis, minDiff)) {
                int tries = syncEndtime & 3;
                if (tries >= retries) return NOT_NEEDED;
                if (nowMillis - (syncEndtime - timeoutMillis + (refreshPeriodMillis >> 3)) < 0) return NOT_NEEDED;
                n |= tries + 1;
            }
        }
        if (period > 0) {
            if (!template && pkts % period != threshold) return NOT_NEEDED;
        } else if (refreshPeriodMillis == 0 && pkts != threshold) {
            return NOT_NEEDED;
        }
        return n & 0xffffffffL;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SyncRule r && r.threshold == threshold && r.period == period
                && r.refreshPeriodMillis == refreshPeriodMillis && r.retries == retries && r.persistMode == persistMode;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(threshold, period, refreshPeriodMillis, retries, persistMode);
    }

    @Override
    public String toString() {
        return "sync_threshold " + threshold + ", sync_period " + period + ", sync_refresh_period "
                + refreshPeriodSeconds() + ", sync_retries " + retries + ", sync_persist_mode " + (persistMode ? 1 : 0);
    }
}
