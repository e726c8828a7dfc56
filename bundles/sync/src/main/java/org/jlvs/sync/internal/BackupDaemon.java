package org.jlvs.sync.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

import org.jlvs.api.sync.ConnectionSync;
import org.jlvs.api.sync.SyncDaemon;
import org.jlvs.api.sync.SyncSettings;
import org.jlvs.api.sync.SyncStatus;
import org.jlvs.api.sync.SyncStatus.ResyncReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup sync daemon: a UDP socket bound to group:port that joined the group on the sync interface (as
 * IPVS's make_receive_sock), a thread that hands each datagram to the {@link BackupReceiver}, and the full
 * resync: at start from the configured master, and from any master it hears that it has not resynced from yet.
 * Runs whatever the director's role.
 */
final class BackupDaemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BackupDaemon.class);
    /** After a failed resync, the next try waits this long. */
    static final long RESYNC_RETRY_MILLIS = 10_000;
    /**
     * A resync whose entries name services this director does not have yet is run again this many times, a
     * second apart: at the appliance's start the daemons may come up before the configuration restores the
     * services (installing an entry twice only updates it).
     */
    static final int UNKNOWN_SERVICE_RETRIES = 15;
    static final long UNKNOWN_SERVICE_RETRY_MILLIS = 1_000;

    private final SyncSettings settings;
    private final ResyncSettings resyncSettings;
    private final LocalInterface local;
    private final DatagramChannel channel;
    private final Counters<BackupReceiver.Counter> counters = new Counters<>(BackupReceiver.Counter.class);
    private final BackupReceiver receiver;
    private final ResyncClient resyncClient;
    private final LongSupplier clock;
    private final Thread thread;
    private final AtomicBoolean resyncRunning = new AtomicBoolean();
    private volatile boolean running = true;
    private volatile long lastValidMillis = -1;
    private volatile ResyncReport lastResync;
    /** The master last resynced from (successfully), and when the last attempt failed. */
    private volatile InetAddress resyncedFrom;
    private volatile long lastFailureMillis = Long.MIN_VALUE / 2;

    BackupDaemon(SyncSettings settings, ResyncSettings resyncSettings, ConnectionSync table, LongSupplier clock) {
        this.settings = settings;
        this.resyncSettings = resyncSettings;
        this.clock = clock;
        this.local = LocalInterface.of(settings.mcastInterface());
        InetAddress group;
        try {
            group = InetAddress.getByName(settings.group());
            channel = DatagramChannel.open(StandardProtocolFamily.INET);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot open a UDP socket: " + e.getMessage(), e);
        }
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(new InetSocketAddress(group, settings.port()));
            channel.join(group, local.nif());
        } catch (IOException | RuntimeException e) {
            close(channel);
            throw new IllegalArgumentException("cannot join " + settings.group() + ":" + settings.port() + " on "
                    + settings.mcastInterface() + ": " + e.getMessage(), e);
        }
        this.receiver = new BackupReceiver(table, settings.syncId(), counters);
        this.resyncClient = new ResyncClient(local, resyncSettings, settings.syncId(), table, System::currentTimeMillis);
        thread = new Thread(this::run, "jlvs-sync-backup");
        thread.setDaemon(true);
        thread.start();
        LOG.info("backup sync daemon started ({})", settings.describe());
        if (resyncSettings.enabled() && resyncSettings.peer() != null) resync(resyncSettings.peer());
    }

    private void run() {
        ByteBuffer buf = ByteBuffer.allocateDirect(65536);
        while (running) {
            try {
                buf.clear();
                InetSocketAddress from = (InetSocketAddress) channel.receive(buf);
                if (from == null) continue;
                buf.flip();
                if (receiver.handle(buf) == SyncDecoder.Verdict.OK) {
                    lastValidMillis = clock.getAsLong();
                    maybeResync(from.getAddress());
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) { // a bad datagram never gets here; a socket fault might
                if (!running) return;
                LOG.warn("backup sync daemon on {}: {}", settings.mcastInterface(), e.toString());
            }
        }
    }

    /** A master we have not resynced from: ask it for its table (once; again 10 s after a failure). */
    private void maybeResync(InetAddress master) {
        if (!resyncSettings.enabled() || master.equals(resyncedFrom) || resyncRunning.get()) return;
        if (clock.getAsLong() - lastFailureMillis < RESYNC_RETRY_MILLIS) return;
        if (!resyncSettings.allowed(master, local)) return;
        resync(master);
    }

    private void resync(InetAddress master) {
        if (!resyncRunning.compareAndSet(false, true)) return;
        Thread t = new Thread(() -> {
            try {
                ResyncReport r = resyncClient.run(master);
                for (int i = 0; i < UNKNOWN_SERVICE_RETRIES && running && resyncClient.lastUnknown > 0
                        && r.result().startsWith("complete"); i++) {
                    LOG.info("resync from {}: {}; again in {} ms", r.peer(), r.result(), UNKNOWN_SERVICE_RETRY_MILLIS);
                    Thread.sleep(UNKNOWN_SERVICE_RETRY_MILLIS);
                    r = resyncClient.run(master);
                }
                lastResync = r;
                if (r.result().startsWith("complete")) {
                    resyncedFrom = master;
                    counters.increment(BackupReceiver.Counter.RESYNCS);
                    counters.add(BackupReceiver.Counter.RESYNC_ENTRIES, r.entries());
                    LOG.info("resync from {}: {} entries in {} ms, {}", r.peer(), r.entries(), r.durationMillis(), r.result());
                } else {
                    lastFailureMillis = clock.getAsLong();
                    counters.increment(BackupReceiver.Counter.RESYNC_FAILURES);
                    LOG.warn("resync from {}: {}", r.peer(), r.result());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                resyncRunning.set(false);
            }
        }, "jlvs-sync-resync-client");
        t.setDaemon(true);
        t.start();
    }

    SyncSettings settings() {
        return settings;
    }

    /** Whether a full resync has completed since this daemon started (any thread). */
    boolean resynced() {
        return resyncedFrom != null;
    }

    SyncStatus status() {
        Map<String, Long> c = counters.snapshot();
        long last = lastValidMillis;
        c.put("lag_millis", last < 0 ? -1 : Math.max(0, clock.getAsLong() - last));
        for (Map.Entry<String, Long> r : receiver.invalidReasons().entrySet()) c.put(r.getKey(), r.getValue());
        String state = resyncRunning.get() ? "running, resync in progress" : "running";
        return new SyncStatus(SyncDaemon.Role.BACKUP, settings, state, c, lastResync);
    }

    private static void close(DatagramChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() {
        running = false;
        close(channel); // wakes the receive
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("backup sync daemon stopped ({})", settings.describe());
    }
}
