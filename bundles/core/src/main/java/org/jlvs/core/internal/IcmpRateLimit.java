package org.jlvs.core.internal;

/**
 * The kernel's limits on the ICMP errors it sends, for the errors the director sends itself (port
 * unreachable; "fragmentation needed" is never limited, as icmpv4_xrlim_allow does not limit PMTU
 * discovery):
 * <ul>
 * <li>per destination, inet_peer_xrlim_allow with icmp_ratelimit = 1000 ms: a token bucket of
 *     {@value #BURST} messages refilled at one a second (XRLIM_BURST_FACTOR 6);</li>
 * <li>in all, icmp_global_allow with icmp_msgs_per_sec = {@value #MESSAGES_PER_SECOND} and icmp_msgs_burst =
 *     {@value #GLOBAL_BURST}: credit added every 20 ms or more (at most a second's worth), one spent a message
 *     (the kernel spends 0 to 2 at random against timing probes; here always one, so tests can count).</li>
 * </ul>
 * One instance per receive thread (so per interface), without locks: the peers are a direct-mapped array of
 * {@value #PEERS} buckets, so that the state spoofed sources can create is bounded; a source that takes over
 * another's bucket starts with a full burst, as a new inet_peer does, and the global limit still holds.
 */
final class IcmpRateLimit {
    static final int BURST = 6;
    static final int MESSAGES_PER_SECOND = 1000;
    static final int GLOBAL_BURST = 50;
    static final int PEERS = 1024;
    private static final long SECOND = 1_000_000_000L;
    private static final long PEER_INTERVAL = SECOND; // icmp_ratelimit, 1000 ms
    private static final long GLOBAL_MIN_DELTA = SECOND / 50;

    private final int[] peerAddresses = new int[PEERS];
    /** Tokens in nanoseconds of credit (inet_peer's rate_tokens) and the time they were counted. */
    private final long[] peerTokens = new long[PEERS];
    private final long[] peerLast = new long[PEERS];
    private final boolean[] peerUsed = new boolean[PEERS];
    private int globalCredit = GLOBAL_BURST;
    private long globalStamp;
    private boolean started;

    /** Whether one more error to {@code destination} may be sent at {@code nowNanos}; spends it if so. */
    boolean allow(int destination, long nowNanos) {
        if (!started) {
            started = true;
            globalStamp = nowNanos;
        }
        if (!globalAllow(nowNanos)) return false;
        int i = (destination * 0x9E3779B1 >>> 22) & (PEERS - 1);
        if (!peerUsed[i] || peerAddresses[i] != destination) { // a new peer: inet_getpeer's rate_last is 60 s ago
            peerUsed[i] = true;
            peerAddresses[i] = destination;
            peerTokens[i] = 0;
            peerLast[i] = nowNanos - 60 * SECOND;
        }
        long tokens = peerTokens[i] + (nowNanos - peerLast[i]);
        if (tokens > BURST * PEER_INTERVAL) tokens = BURST * PEER_INTERVAL;
        peerLast[i] = nowNanos;
        boolean allowed = tokens >= PEER_INTERVAL;
        if (allowed) tokens -= PEER_INTERVAL;
        peerTokens[i] = tokens;
        if (allowed) globalCredit--;
        return allowed;
    }

    private boolean globalAllow(long nowNanos) {
        if (globalCredit > 0) return true;
        long delta = Math.min(nowNanos - globalStamp, SECOND);
        if (delta < GLOBAL_MIN_DELTA) return false;
        int increment = (int) (MESSAGES_PER_SECOND * delta / SECOND);
        if (increment == 0) return false;
        globalStamp = nowNanos;
        globalCredit = Math.min(globalCredit + increment, GLOBAL_BURST);
        return true;
    }
}
