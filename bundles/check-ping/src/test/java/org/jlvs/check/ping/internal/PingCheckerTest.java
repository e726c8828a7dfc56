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

import com.sun.jna.Library;
import com.sun.jna.Native;

import org.jlvs.api.CheckConfig;
import org.jlvs.api.CheckResult;
import org.jlvs.api.Ip4;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PING_CHECK with real ICMP on this host's loopback and in a namespace of the test's own (the build runs as root,
 * as the appliance does: a raw socket; without root the kernel's unprivileged ICMP sockets are used where
 * ping_group_range allows). No timeout is expected to expire but where nothing can answer.
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
        CheckResult r = ping("127.0.0.1", 60_000).get(2, TimeUnit.MINUTES);
        assertTrue(r.up(), r.toString());
        assertEquals("echo reply", r.message());
        assertTrue(r.latencyNanos() > 0);
    }

    @Test
    void manyPingsShareTheSocket() throws Exception {
        List<CompletableFuture<CheckResult>> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) all.add(ping("127.0.0." + (1 + i % 200), 60_000));
        for (CompletableFuture<CheckResult> f : all) assertTrue(f.get(2, TimeUnit.MINUTES).up());
    }

    /**
     * No reply: in a network namespace of the test's own (lo up, the kernel ignoring echo requests), so that
     * nothing leaves the machine. The checker's socket is made there: a socket belongs to the namespace of the
     * thread that creates it.
     */
    @Test
    void anAddressWithoutAnswerIsDown() throws Exception {
        String ns = "jlvs-pingtest-" + ProcessHandle.current().pid();
        exec("ip", "netns", "add", ns);
        try {
            exec("ip", "-n", ns, "link", "set", "lo", "up");
            exec("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.icmp_echo_ignore_all=1");
            CompletableFuture<PingChecker> made = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    int fd = LibC.INSTANCE.open("/var/run/netns/" + ns, 0);
                    if (fd < 0 || LibC.INSTANCE.setns(fd, 0x40000000 /* CLONE_NEWNET */) != 0) throw new IllegalStateException("setns " + ns);
                    LibC.INSTANCE.close(fd);
                    PingChecker c = new PingChecker();
                    c.activate();
                    made.complete(c);
                } catch (Throwable e) {
                    made.completeExceptionally(e);
                }
            });
            t.start();
            PingChecker silent = made.get(2, TimeUnit.MINUTES);
            try {
                CheckResult r = silent.check(new CheckConfig("ping", Ip4.parse("127.0.0.1"), 0, 0, 0, 300, Map.of()))
                        .toCompletableFuture().get(2, TimeUnit.MINUTES);
                assertFalse(r.up());
                assertEquals("no reply within 300 ms", r.message());
            } finally {
                silent.deactivate();
            }
        } finally {
            exec("ip", "netns", "del", ns);
        }
    }

    interface LibC extends Library {
        LibC INSTANCE = Native.load("c", LibC.class);
        int open(String path, int flags);
        int setns(int fd, int nstype);
        int close(int fd);
    }

    static void exec(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), String.join(" ", command) + ": " + out);
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
