package org.jlvs.check.tcp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.jlvs.api.CheckConfig;
import org.jlvs.api.CheckResult;
import org.jlvs.api.Ip4;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TCP_CHECK against real listeners on the loopback interface. */
class TcpCheckerTest {
    static final int LOOPBACK = Ip4.parse("127.0.0.1");
    final TcpChecker checker = new TcpChecker();

    @BeforeEach
    void start() throws Exception {
        checker.activate();
    }

    @AfterEach
    void stop() {
        checker.deactivate();
    }

    static CheckConfig config(int port, long timeoutMillis) {
        return new CheckConfig("tcp", LOOPBACK, port, 0, 0, timeoutMillis, Map.of());
    }

    CheckResult check(CheckConfig c) throws Exception {
        return checker.check(c).toCompletableFuture().get(5, TimeUnit.MINUTES);
    }

    @Test
    void upWhenAListenerAccepts() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CheckResult r = check(config(server.getLocalPort(), 60_000));
            assertTrue(r.up(), r.toString());
            assertEquals("connected", r.message());
            assertTrue(r.latencyNanos() > 0);
        }
    }

    @Test
    void upWhenAnIpv6ListenerAccepts() throws Exception {
        // ::1 only: an IPv4 connection (to the fold, or to 127.0.0.1) cannot reach this listener
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("::1"))) {
            CheckConfig c = new CheckConfig("tcp", 0, server.getLocalPort(), 0, 0, 60_000, Map.of(),
                    org.jlvs.api.Ip6Address.parse("::1"));
            CheckResult r = check(c);
            assertTrue(r.up(), r.toString());
            assertEquals("connected", r.message());
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getByName("::1"))) {
            port = s.getLocalPort();
        }
        CheckResult r = check(new CheckConfig("tcp", 0, port, 0, 0, 600_000, Map.of(), org.jlvs.api.Ip6Address.parse("::1")));
        assertFalse(r.up());
        assertEquals("connection refused", r.message());
    }

    @Test
    void downAtOnceWhenRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        CheckResult r = check(config(port, 600_000));
        assertFalse(r.up());
        assertEquals("connection refused", r.message(), "with a 10-minute timeout only the refusal ends it");
    }

    @Test
    void downAfterTheTimeoutWhenNobodyAnswers() throws Exception {
        // a listener that never accepts: once its backlog is full, the kernel drops further SYNs
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<SocketChannel> fill = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    SocketChannel c = SocketChannel.open();
                    c.configureBlocking(false);
                    c.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
                    fill.add(c);
                }
                awaitFull(fill);
                long t0 = System.nanoTime();
                CheckResult r = check(config(server.getLocalPort(), 500));
                long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertFalse(r.up());
                assertEquals("connect timeout", r.message());
                assertTrue(took >= 450, "not before its timeout: took " + took + " ms");
            } finally {
                for (SocketChannel c : fill) c.close();
            }
        }
    }

    @Test
    void manyChecksAtOnceOnOneThread() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) server.accept().close();
                } catch (Exception e) {
                    // closed
                }
            });
            acceptor.start();
            List<CompletableFuture<CheckResult>> all = new ArrayList<>();
            for (int i = 0; i < 500; i++) all.add(checker.check(config(server.getLocalPort(), 120_000)).toCompletableFuture());
            for (CompletableFuture<CheckResult> f : all) assertTrue(f.get(5, TimeUnit.MINUTES).up());
        }
    }

    @Test
    void aCancelledAttemptEndsWithoutAVerdictAndTheCheckerGoesOn() throws Exception {
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             ServerSocket ok = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<SocketChannel> fill = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    SocketChannel c = SocketChannel.open();
                    c.configureBlocking(false);
                    c.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), full.getLocalPort()));
                    fill.add(c);
                }
                awaitFull(fill);
                CompletableFuture<CheckResult> hung = checker.check(config(full.getLocalPort(), 60_000)).toCompletableFuture();
                assertFalse(hung.isDone(), "the connect hangs");
                assertTrue(hung.cancel(false));
                assertTrue(check(config(ok.getLocalPort(), 60_000)).up());
            } finally {
                for (SocketChannel c : fill) c.close();
            }
        }
    }

    @Test
    void refusesOptions() {
        assertThrows(IllegalArgumentException.class, () -> checker.validate(
                new CheckConfig("tcp", LOOPBACK, 80, 0, 0, 1000, Map.of("path", "/"))));
        assertThrows(IllegalArgumentException.class, () -> checker.validate(config(0, 1000)));
    }

    /**
     * Waits (bounded) until the listener's accept queue (backlog 1: two connections) is full, so that the kernel
     * drops every further SYN; by outcome, not by a pause.
     */
    static void awaitFull(List<SocketChannel> fill) throws Exception {
        for (int i = 0; i < 2400; i++) {
            int connected = 0;
            for (SocketChannel c : fill) {
                try {
                    if (c.isConnected() || c.finishConnect()) connected++;
                } catch (java.io.IOException e) {
                    // refused or reset: not queued
                }
            }
            if (connected >= 2) return;
            Thread.sleep(50);
        }
        throw new AssertionError("the accept queue did not fill");
    }
}
