package org.jlvs.sync.internal;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import org.jlvs.api.sync.ConnectionSync;
import org.jlvs.api.sync.SyncEntry;
import org.jlvs.api.sync.SyncStatus.ResyncReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's side of the full resync: a TCP server on the sync interface's own address that streams the whole
 * connection table to a backup that asks ({@link ResyncProtocol}). Only peers of the allowed networks are
 * served, at most {@value ResyncSettings#MAX_SESSIONS} at once, each for at most the resync timeout; what a
 * peer sends is a fixed 12-byte hello, so it cannot make the master allocate.
 */
final class ResyncServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ResyncServer.class);
    private static final int HELLO_TIMEOUT_MILLIS = 10_000;

    private final LocalInterface local;
    private final ResyncSettings settings;
    private final int syncId;
    private final ConnectionSync table;
    private final Counters<MasterSender.Counter> counters;
    private final Consumer<ResyncReport> reports;
    private final LongSupplier wallClock;
    private final ServerSocket server;
    private final Semaphore sessions = new Semaphore(ResyncSettings.MAX_SESSIONS);
    /** Open session sockets with their deadline, for the watchdog. */
    private final Set<Session> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private final Thread watchdog;
    private volatile boolean closed;

    private record Session(Socket socket, long deadline) {
    }

    ResyncServer(LocalInterface local, ResyncSettings settings, int syncId, ConnectionSync table,
                 Counters<MasterSender.Counter> counters, Consumer<ResyncReport> reports, LongSupplier wallClock)
            throws IOException {
        this.local = local;
        this.settings = settings;
        this.syncId = syncId;
        this.table = table;
        this.counters = counters;
        this.reports = reports;
        this.wallClock = wallClock;
        this.server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(local.address(), settings.port()), 4);
        acceptor = new Thread(this::accept, "jlvs-sync-resync-server");
        acceptor.setDaemon(true);
        watchdog = new Thread(this::watch, "jlvs-sync-resync-watchdog");
        watchdog.setDaemon(true);
        acceptor.start();
        watchdog.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!closed) LOG.warn("resync server on {}: {}", local.address().getHostAddress(), e.getMessage());
                return;
            }
            InetAddress peer = s.getInetAddress();
            if (!settings.allowed(peer, local) || !sessions.tryAcquire()) {
                counters.increment(MasterSender.Counter.RESYNCS_REFUSED);
                closeQuietly(s);
                continue;
            }
            Thread t = new Thread(() -> {
                try {
                    serve(s);
                } finally {
                    sessions.release();
                }
            }, "jlvs-sync-resync-" + peer.getHostAddress());
            t.setDaemon(true);
            t.start();
        }
    }

    /** One backup: read its hello, stream the table, end mark. */
    private void serve(Socket s) {
        long started = wallClock.getAsLong();
        long[] entries = {0};
        String peer = s.getInetAddress().getHostAddress();
        Session session = new Session(s, started + settings.timeoutMillis());
        open.add(session);
        String result;
        try {
            s.setSoTimeout(HELLO_TIMEOUT_MILLIS);
            s.setTcpNoDelay(true);
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] hello = new byte[ResyncProtocol.HELLO_LENGTH];
            in.readFully(hello);
            if (!Arrays.equals(hello, 0, 8, ResyncProtocol.MAGIC, 0, 8) || hello[8] != ResyncProtocol.VERSION) {
                counters.increment(MasterSender.Counter.RESYNCS_REFUSED);
                return;
            }
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 65536));
            SyncEncoder encoder = new SyncEncoder(ResyncProtocol.FRAME_MAX, false);
            encoder.reset(syncId);
            byte[] frame = new byte[ResyncProtocol.FRAME_MAX];
            try {
                table.snapshot(new SyncEntry(), e -> {
                    if (!encoder.fits(e)) writeFrame(out, encoder, frame);
                    encoder.add(e);
                    entries[0]++;
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            writeFrame(out, encoder, frame);
            out.writeShort(0);
            out.writeLong(entries[0]);
            out.flush();
            counters.increment(MasterSender.Counter.RESYNCS_SERVED);
            counters.add(MasterSender.Counter.RESYNC_ENTRIES_SENT, entries[0]);
            result = "complete";
        } catch (IOException | RuntimeException e) {
            result = "failed: " + e.getMessage();
        } finally {
            open.remove(session);
            closeQuietly(s);
        }
        reports.accept(new ResyncReport(peer, started, wallClock.getAsLong() - started, entries[0], result));
    }

    private static void writeFrame(DataOutputStream out, SyncEncoder encoder, byte[] frame) {
        if (encoder.count() == 0) return;
        ByteBuffer d = encoder.datagram();
        int len = d.remaining();
        d.get(frame, 0, len);
        try {
            out.writeShort(len);
            out.write(frame, 0, len);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        encoder.reset(encoder.syncId());
    }

    /** Closes sessions past their deadline (a stalled peer would block a write for ever). */
    private void watch() {
        while (!closed) {
            long now = wallClock.getAsLong();
            for (Session s : open) {
                if (now - s.deadline() > 0) closeQuietly(s.socket());
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closing: nothing to do
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing
        }
        for (Session s : open) closeQuietly(s.socket());
        watchdog.interrupt();
        try {
            acceptor.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
