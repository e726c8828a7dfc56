package org.jlvs.sync.internal;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.function.LongSupplier;

import org.jlvs.api.sync.ConnectionSync;
import org.jlvs.api.sync.SyncStatus.ResyncReport;

/**
 * The backup's side of the full resync: connects to a master's resync server from the sync interface's address,
 * reads the whole table and installs it through the same checks as multicast datagrams. Bounded: one frame
 * buffer of {@value ResyncProtocol#FRAME_MAX} bytes, at most {@code maxEntries} entries, at most the resync
 * timeout in all.
 */
final class ResyncClient {
    private static final int CONNECT_TIMEOUT_MILLIS = 3000;
    private static final int READ_TIMEOUT_MILLIS = 10_000;

    private final LocalInterface local;
    private final ResyncSettings settings;
    private final int syncId;
    private final ConnectionSync table;
    private final LongSupplier wallClock;

    ResyncClient(LocalInterface local, ResyncSettings settings, int syncId, ConnectionSync table, LongSupplier wallClock) {
        this.local = local;
        this.settings = settings;
        this.syncId = syncId;
        this.table = table;
        this.wallClock = wallClock;
    }

    /** Runs one resync from {@code master} to the end (or the first fault) and says how it went. */
    ResyncReport run(InetAddress master) {
        long started = wallClock.getAsLong();
        long deadline = started + settings.timeoutMillis();
        Counters<BackupReceiver.Counter> counts = new Counters<>(BackupReceiver.Counter.class);
        BackupReceiver receiver = new BackupReceiver(table, syncId, counts);
        long entries = 0;
        String result;
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(local.address(), 0));
            s.connect(new InetSocketAddress(master, settings.port()), CONNECT_TIMEOUT_MILLIS);
            s.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream out = s.getOutputStream();
            byte[] hello = new byte[ResyncProtocol.HELLO_LENGTH];
            System.arraycopy(ResyncProtocol.MAGIC, 0, hello, 0, 8);
            hello[8] = ResyncProtocol.VERSION;
            hello[9] = (byte) syncId;
            out.write(hello);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            byte[] frame = new byte[ResyncProtocol.FRAME_MAX];
            ByteBuffer view = ByteBuffer.wrap(frame);
            for (;;) {
                int len = in.readUnsignedShort();
                if (len == 0) {
                    long announced = in.readLong();
                    result = announced == entries ? "complete"
                            : "incomplete: " + entries + " of " + announced + " entries arrived";
                    break;
                }
                if (len > ResyncProtocol.FRAME_MAX) {
                    result = "failed: frame of " + len + " bytes";
                    break;
                }
                readFully(in, frame, len, deadline);
                view.clear().limit(len);
                int count = len >= Wire.V1_HEADER ? frame[4] & 0xff : 0;
                if (entries + count > settings.maxEntries()) {
                    result = "failed: more than " + settings.maxEntries() + " entries";
                    break;
                }
                SyncDecoder.Verdict v = receiver.handle(view);
                if (v != SyncDecoder.Verdict.OK) {
                    result = "failed: invalid frame (" + (v.reason != null ? v.reason : "sync id " + (frame[1] & 0xff)) + ")";
                    break;
                }
                entries += count;
                if (wallClock.getAsLong() - deadline > 0) {
                    result = "failed: took longer than " + settings.timeoutMillis() / 1000 + " s";
                    break;
                }
            }
        } catch (EOFException e) {
            result = "failed: the master closed the stream early";
        } catch (SocketTimeoutException e) {
            result = "failed: the master stopped sending";
        } catch (IOException | RuntimeException e) {
            result = "failed: " + e.getMessage();
        }
        long installed = counts.get(BackupReceiver.Counter.ENTRIES_INSTALLED);
        long refused = entries - installed;
        if (refused > 0 && result.equals("complete")) {
            result = "complete, " + refused + " refused (unknown service " + counts.get(BackupReceiver.Counter.DROPPED_UNKNOWN_SERVICE)
                    + ", unknown server " + counts.get(BackupReceiver.Counter.DROPPED_UNKNOWN_SERVER) + ", other "
                    + (refused - counts.get(BackupReceiver.Counter.DROPPED_UNKNOWN_SERVICE)
                    - counts.get(BackupReceiver.Counter.DROPPED_UNKNOWN_SERVER)) + ")";
        }
        return new ResyncReport(master.getHostAddress(), started, wallClock.getAsLong() - started, installed, result);
    }

    private void readFully(InputStream in, byte[] into, int len, long deadline) throws IOException {
        int n = 0;
        while (n < len) {
            if (wallClock.getAsLong() - deadline > 0) throw new IOException("took longer than " + settings.timeoutMillis() / 1000 + " s");
            int r = in.read(into, n, len - n);
            if (r < 0) throw new EOFException();
            n += r;
        }
    }
}
