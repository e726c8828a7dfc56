package org.jlvs.sync.internal;

import java.nio.ByteBuffer;

import org.jlvs.api.sync.ConnectionSync;
import org.jlvs.api.sync.InstallResult;
import org.jlvs.api.sync.SyncEntry;

/**
 * What a backup does with one received datagram (from the multicast group or a resync stream): checks it as the
 * kernel does ({@link SyncDecoder}), installs its valid entries through the core's {@link ConnectionSync} and
 * counts every outcome. Nothing a peer sends can throw out of {@link #handle}. One thread at a time.
 */
final class BackupReceiver implements SyncDecoder.Listener {
    enum Counter {
        DATAGRAMS_RECEIVED, ENTRIES_RECEIVED, ENTRIES_INSTALLED, DROPPED_SYNCID, DROPPED_INVALID, ENTRIES_INVALID,
        ENTRIES_UNSUPPORTED, ENTRIES_IPV6, DROPPED_UNKNOWN_SERVICE, DROPPED_UNKNOWN_SERVER, DROPPED_TABLE_FULL, V0_DATAGRAMS,
        RESYNCS, RESYNC_FAILURES, RESYNC_ENTRIES
    }

    private final ConnectionSync table;
    private final int syncId;
    private final Counters<Counter> counters;
    private final SyncDecoder decoder = new SyncDecoder();
    /** Invalid datagrams by reason, for the log and the listing: counts per {@link SyncDecoder.Verdict}. */
    private final Counters<SyncDecoder.Verdict> invalidByReason = new Counters<>(SyncDecoder.Verdict.class);
    private long installedThisDatagram;
    private boolean sawV0;

    BackupReceiver(ConnectionSync table, int syncId, Counters<Counter> counters) {
        this.table = table;
        this.syncId = syncId;
        this.counters = counters;
    }

    /**
     * Reads the datagram between {@code datagram}'s position and limit.
     *
     * @return the decoder's verdict ({@link SyncDecoder.Verdict#OK} if it was read)
     */
    SyncDecoder.Verdict handle(ByteBuffer datagram) {
        counters.increment(Counter.DATAGRAMS_RECEIVED);
        installedThisDatagram = 0;
        sawV0 = false;
        SyncDecoder.Verdict v;
        try {
            v = decoder.decode(datagram, syncId, this);
        } catch (RuntimeException e) { // the decoder checks every bound; this is a last line of defence
            v = SyncDecoder.Verdict.TRUNCATED_ENTRY;
        }
        if (v == SyncDecoder.Verdict.OTHER_SYNCID) counters.increment(Counter.DROPPED_SYNCID);
        else if (v.invalid()) {
            counters.increment(Counter.DROPPED_INVALID);
            invalidByReason.increment(v);
        } else if (sawV0) {
            counters.increment(Counter.V0_DATAGRAMS);
        }
        return v;
    }

    /** Entries installed by the last {@link #handle}. */
    long installedByLast() {
        return installedThisDatagram;
    }

    @Override
    public void entry(SyncEntry e, int version) {
        counters.increment(Counter.ENTRIES_RECEIVED);
        if (version == 0) sawV0 = true;
        InstallResult r;
        try {
            r = table.install(e);
        } catch (RuntimeException ex) { // the contract says install never throws; a broken core must not stop us
            r = InstallResult.INVALID;
        }
        if (r == null) r = InstallResult.INVALID;
        switch (r) {
            case UNKNOWN_SERVICE -> counters.increment(Counter.DROPPED_UNKNOWN_SERVICE);
            case UNKNOWN_SERVER -> counters.increment(Counter.DROPPED_UNKNOWN_SERVER);
            case TABLE_FULL -> counters.increment(Counter.DROPPED_TABLE_FULL);
            case INVALID -> counters.increment(Counter.ENTRIES_INVALID);
            default -> {
                counters.increment(Counter.ENTRIES_INSTALLED);
                installedThisDatagram++;
            }
        }
    }

    /**
     * A valid IPv6 entry: counted as received, IPv6 and unsupported, not installed, for the api's SyncEntry and
     * ConnectionSync.install carry IPv4 addresses only.
     */
    @Override
    public void entry6(SyncEntry6 e) {
        counters.increment(Counter.ENTRIES_IPV6);
        skipped(SyncDecoder.Skip.IPV6);
    }

    @Override
    public void skipped(SyncDecoder.Skip why) {
        counters.increment(Counter.ENTRIES_RECEIVED);
        if (why == SyncDecoder.Skip.BAD_STATE || why == SyncDecoder.Skip.UNKNOWN_OPTION) {
            counters.increment(Counter.ENTRIES_INVALID);
        } else {
            counters.increment(Counter.ENTRIES_UNSUPPORTED);
        }
    }

    /** Invalid datagrams by reason, "invalid_size_mismatch" → n (reasons seen so far), for the listing. */
    java.util.Map<String, Long> invalidReasons() {
        java.util.Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (SyncDecoder.Verdict v : SyncDecoder.Verdict.values()) {
            long n = invalidByReason.get(v);
            if (v.invalid() && n > 0) out.put("invalid_" + v.name().toLowerCase(java.util.Locale.ROOT), n);
        }
        return out;
    }
}
