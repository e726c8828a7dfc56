package org.jlvs.sync.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import org.jlvs.api.sync.ConnectionSync;
import org.jlvs.api.sync.SyncDaemon;
import org.jlvs.api.sync.SyncFeed;
import org.jlvs.api.sync.SyncQueue;
import org.jlvs.api.sync.SyncRule;
import org.jlvs.api.sync.SyncSettings;
import org.jlvs.api.sync.SyncStatus;
import org.jlvs.api.sync.SyncStatus.ResyncReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master sync daemon: attaches a feed to the core, and a thread that sends what the packet path queues to
 * the multicast group from a kernel UDP socket set up as IPVS's make_send_sock does (bound to the interface's
 * own address, multicast interface, TTL, loopback off, connected to group:port); optionally the resync server.
 */
final class MasterDaemon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MasterDaemon.class);
    /** How long the sync thread sleeps when the queue is empty: bounds the delay before a full datagram leaves. */
    static final long IDLE_NANOS = 20_000_000L;

    private final SyncSettings settings;
    private final ConnectionSync table;
    private final SyncQueue queue;
    private final SyncFeed feed;
    private final DatagramChannel channel;
    private final Counters<MasterSender.Counter> counters = new Counters<>(MasterSender.Counter.class);
    private final MasterSender sender;
    private final ResyncServer resync;
    private final LongSupplier clock;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile ResyncReport lastResync;

    /**
     * Opens the socket and starts sending.
     *
     * @throws IllegalArgumentException when the interface or the socket cannot be set up, naming why
     */
    MasterDaemon(SyncSettings settings, SyncRule rule, int queueCapacity, ResyncSettings resyncSettings,
                 ConnectionSync table, LongSupplier clock) {
        this.settings = settings;
        this.table = table;
        this.clock = clock;
        LocalInterface local = LocalInterface.of(settings.mcastInterface());
        this.queue = new SyncQueue(queueCapacity);
        try {
            channel = DatagramChannel.open(StandardProtocolFamily.INET);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot open a UDP socket: " + e.getMessage(), e);
        }
        try {
            channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, local.nif());
            channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, settings.ttl());
            channel.bind(new InetSocketAddress(local.address(), 0));
            channel.connect(new InetSocketAddress(InetAddress.getByName(settings.group()), settings.port()));
        } catch (IOException | RuntimeException e) {
            closeChannel();
            throw new IllegalArgumentException("cannot send to " + settings.group() + ":" + settings.port() + " from "
                    + settings.mcastInterface() + ": " + e.getMessage(), e);
        }
        this.sender = new MasterSender(queue, settings.maxLen(), settings.syncId(), d -> channel.write(d), counters, true);
        ResyncServer server = null;
        if (resyncSettings.enabled()) {
            try {
                server = new ResyncServer(local, resyncSettings, settings.syncId(), table, counters,
                        r -> lastResync = r, System::currentTimeMillis);
            } catch (IOException e) {
                closeChannel();
                throw new IllegalArgumentException("resync.port: cannot listen on " + local.address().getHostAddress()
                        + ":" + resyncSettings.port() + ": " + e.getMessage(), e);
            }
        }
        this.resync = server;
        this.feed = new SyncFeed(rule, queue);
        thread = new Thread(this::run, "jlvs-sync-master");
        thread.setDaemon(true);
        thread.start();
        table.attach(feed);
        LOG.info("master sync daemon started ({}, {})", settings.describe(), rule);
    }

    private void run() {
        while (running) {
            try {
                if (sender.pump(clock.getAsLong()) == 0) LockSupport.parkNanos(IDLE_NANOS);
            } catch (RuntimeException e) { // never let the thread die: count, wait, go on
                counters.increment(MasterSender.Counter.SEND_ERRORS);
                LockSupport.parkNanos(IDLE_NANOS);
            }
        }
        sender.pump(clock.getAsLong());
        sender.flush(); // what was queued before the stop still leaves
    }

    SyncSettings settings() {
        return settings;
    }

    SyncStatus status() {
        Map<String, Long> c = counters.snapshot();
        c.put("queue_full", queue.dropped());
        c.put("queue_depth", (long) queue.size() + sender.pending());
        IOException error = sender.lastError();
        String state = error == null ? "running" : "send error: " + error.getMessage();
        return new SyncStatus(SyncDaemon.Role.MASTER, settings, state, c, lastResync);
    }

    private void closeChannel() {
        try {
            if (channel != null) channel.close();
        } catch (IOException e) {
            // closing
        }
    }

    @Override
    public void close() {
        table.detach(feed);
        running = false;
        LockSupport.unpark(thread);
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (resync != null) resync.close();
        closeChannel();
        LOG.info("master sync daemon stopped ({})", settings.describe());
    }
}
