package org.jlvs.api;

/**
 * Counters of a service or real server (as ipvsadm --stats) and their rates from the 2-second estimator
 * (as ipvsadm --rate).
 */
public record Stats(long conns, long inPackets, long outPackets, long inBytes, long outBytes,
                    long cps, long inPps, long outPps, long inBps, long outBps) {
    public static final Stats ZERO = new Stats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
}
