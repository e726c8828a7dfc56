package org.jlvs.ha.internal;

/** A track script's state on the VRRP thread: keepalived's rise/fall counting of its exit statuses. */
final class TrackScript {
    final ScriptConfig config;
    private boolean good;
    private int successes;
    private int failures;
    long nextRun;
    boolean running;

    TrackScript(ScriptConfig config, long now) {
        this.config = config;
        this.good = !config.initFail();
        this.nextRun = now;
    }

    boolean good() {
        return good;
    }

    /** Counts one run; returns true when that changed {@link #good}. */
    boolean result(boolean success) {
        if (success) {
            failures = 0;
            if (!good && ++successes >= config.rise()) {
                good = true;
                successes = 0;
                return true;
            }
        } else {
            successes = 0;
            if (good && ++failures >= config.fall()) {
                good = false;
                failures = 0;
                return true;
            }
        }
        return false;
    }

    /** The weight this script adds to the priority of the instances that track it now. */
    int weightNow() {
        int w = config.weight();
        return w > 0 && good || w < 0 && !good ? w : 0;
    }

    /** Weight 0: a failed script puts its instances in FAULT. */
    boolean faults() {
        return config.weight() == 0 && !good;
    }
}
