package org.jlvs.check.ping.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

/**
 * PING_CHECK with real ICMP on this host (the build runs as root, as the appliance does: a raw socket; without
 * root the kernel's unprivileged ICMP sockets are used where ping_group_range allows).
 */
class PingCheckerTest {
    final PingChecker checker = new PingChecker();

    @BeforeEach
    void start() throws Exception {
        checker.activate();
    }

    @AfterEach
    void stop() throws Exception {
        checker.deactivate();
    }

    CompletableFuture<CheckResult> ping(String address, long timeout) {
        return checker.check(new CheckConfig("ping", Ip4.parse(address), 0, 0, 0, timeout, Map.of())).toCompletableFuture();
    }

    @Test
    void loopbackAnswers() throws Exception {
        CheckResult r = ping("127.0.0.1", 1000).get(5, TimeUnit.SECONDS);
        assertTrue(r.up(), r.toString());
        assertEquals("echo reply", r.message());
        assertTrue(r.latencyNanos() < TimeUnit.MILLISECONDS.toNanos(500));
    }

    @Test
    void manyPingsShareTheSocket() throws Exception {
        List<CompletableFuture<CheckResult>> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) all.add(ping("127.0.0." + (1 + i % 200), 3000));
        for (CompletableFuture<CheckResult> f : all) assertTrue(f.get(10, TimeUnit.SECONDS).up());
    }

    @Test
    void anAddressWithoutAnswerIsDown() throws Exception {
        // TEST-NET-2 (RFC 5737): nobody answers; depending on the routes, no reply, an ICMP error or a send error
        long t0 = System.nanoTime();
        CheckResult r = ping("198.51.100.1", 300).get(5, TimeUnit.SECONDS);
        assertFalse(r.up());
        assertTrue(r.message().startsWith("no reply within 300 ms") || r.message().startsWith("sendto failed")
                || r.message().startsWith("destination unreachable"), r.message());
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(2));
    }

    @Test
    void echoRequestsAreWellFormed() {
        byte[] m = PingChecker.echoRequest(0x1234, 0xbeef, 42);
        assertEquals(8, m[0]);
        assertEquals(0, PingChecker.checksum(m, 0, m.length), "a correct checksum sums to zero");
        assertEquals(0x12, m[4] & 0xff);
        assertEquals(0xef, m[7] & 0xff);
    }

    @Test
    void refusesOptions() {
        assertThrows(IllegalArgumentException.class,
                () -> checker.validate(new CheckConfig("ping", 1, 0, 0, 0, 1000, Map.of("path", "/"))));
    }
}
