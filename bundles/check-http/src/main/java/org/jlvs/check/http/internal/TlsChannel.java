package org.jlvs.check.http.internal;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * TLS over a non-blocking socket with an SSLEngine, for one short exchange: handshake, write a request, read
 * the answer. Each method does what it can without blocking and says which readiness it waits for.
 * Delegated tasks (certificate work) run inline on the I/O thread: checks are short and few per second each.
 */
final class TlsChannel {
    /** {@link #handshake} result: done, application data may flow. */
    static final int DONE = -1;

    private final SocketChannel channel;
    private final SSLEngine engine;
    private final ByteBuffer netIn;   // read mode: [position, limit) not yet unwrapped
    private final ByteBuffer netOut;  // read mode: [position, limit) not yet written
    private ByteBuffer appIn;         // write mode: [0, position) unwrapped, not yet read
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    TlsChannel(SocketChannel channel, SSLEngine engine) {
        this.channel = channel;
        this.engine = engine;
        int packet = engine.getSession().getPacketBufferSize();
        netIn = ByteBuffer.allocate(packet).flip();
        netOut = ByteBuffer.allocate(packet).flip();
        appIn = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
    }

    /** Drives the handshake; returns {@link #DONE} or the interest ops to wait for. */
    int handshake() throws IOException {
        while (true) {
            if (!flush()) return SelectionKey.OP_WRITE;
            switch (engine.getHandshakeStatus()) {
                case NOT_HANDSHAKING, FINISHED -> {
                    return DONE;
                }
                case NEED_TASK -> runTasks();
                case NEED_WRAP -> wrap(EMPTY);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    SSLEngineResult r = unwrap();
                    if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                        int n = fill();
                        if (n < 0) throw new EOFException("connection closed during the TLS handshake");
                        if (n == 0) return SelectionKey.OP_READ;
                    } else if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        throw new SSLException("TLS closed during the handshake");
                    }
                }
            }
        }
    }

    /** Encrypts and sends from {@code src}; returns false while bytes wait for the socket (wait for OP_WRITE). */
    boolean write(ByteBuffer src) throws IOException {
        while (true) {
            if (!flush()) return false;
            if (!src.hasRemaining()) return true;
            wrap(src);
        }
    }

    /** Reads decrypted bytes into {@code dst}: their count, 0 when none is available yet, -1 at the end. */
    int read(ByteBuffer dst) throws IOException {
        while (true) {
            if (appIn.position() > 0) {
                appIn.flip();
                int n = Math.min(appIn.remaining(), dst.remaining());
                ByteBuffer part = appIn.slice(appIn.position(), n);
                dst.put(part);
                appIn.position(appIn.position() + n);
                appIn.compact();
                return n;
            }
            if (netIn.hasRemaining()) {
                SSLEngineResult r = unwrap();
                switch (r.getStatus()) {
                    case CLOSED -> {
                        return -1;
                    }
                    case OK -> {
                        if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) runTasks();
                        if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                            wrap(EMPTY); // post-handshake message (renegotiation, key update)
                            flush();
                        }
                        continue;
                    }
                    default -> {
                        // BUFFER_UNDERFLOW: a partial record, read more below
                    }
                }
            }
            int n = fill();
            if (n < 0) return -1; // closed without close_notify: the end, as far as a check is concerned
            if (n == 0) return 0;
        }
    }

    /** Whether encrypted bytes still wait for the socket. */
    boolean pendingOutput() {
        return netOut.hasRemaining();
    }

    private void wrap(ByteBuffer src) throws IOException {
        netOut.compact();
        SSLEngineResult r;
        try {
            r = engine.wrap(src, netOut);
        } finally {
            netOut.flip();
        }
        if (r.getStatus() == SSLEngineResult.Status.CLOSED) throw new SSLException("TLS closed");
        if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) runTasks();
    }

    private SSLEngineResult unwrap() throws IOException {
        SSLEngineResult r = engine.unwrap(netIn, appIn);
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            ByteBuffer bigger = ByteBuffer.allocate(appIn.capacity() * 2);
            appIn.flip();
            bigger.put(appIn);
            appIn = bigger;
            return unwrap();
        }
        if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) runTasks();
        return r;
    }

    /** Reads from the socket into netIn: bytes read, 0 if none, -1 at end of stream. */
    private int fill() throws IOException {
        netIn.compact();
        try {
            return channel.read(netIn);
        } finally {
            netIn.flip();
        }
    }

    /** Writes pending encrypted bytes; true when none is left. */
    private boolean flush() throws IOException {
        while (netOut.hasRemaining()) {
            if (channel.write(netOut) == 0) return false;
        }
        return true;
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) task.run();
    }
}
