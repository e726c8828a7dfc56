package org.jlvs.check.ping.internal;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jlvs.api.CheckConfig;
import org.jlvs.api.CheckResult;
import org.jlvs.api.spi.HealthChecker;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * keepalived's PING_CHECK: an ICMP echo request; up when the reply comes within connect_timeout, down on
 * timeout or an ICMP error about the request (host unreachable). Every check shares one ICMP socket: one thread
 * receives, matching replies to pending checks by identifier and sequence number, and one timer thread ends
 * the checks that get no answer. If no ICMP socket can be opened the checker does not start (its checks stay
 * suspended with their last state) rather than failing every server.
 */
@Component(service = HealthChecker.class, property = HealthChecker.PROPERTY + "=ping")
public class PingChecker implements HealthChecker {
    private static final Logger LOG = LoggerFactory.getLogger(PingChecker.class);
    static final int ECHO_REPLY = 0, DEST_UNREACHABLE = 3, ECHO_REQUEST = 8, TIME_EXCEEDED = 11;

    private record Pending(int address, long startNanos, CompletableFuture<CheckResult> result) {}

    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final int identifier = new SecureRandom().nextInt(0x10000);
    private IcmpSocket socket;
    private Thread receiver;
    private ScheduledExecutorService timeouts;

    @Activate
    void activate() throws IOException {
        socket = new IcmpSocket();
        timeouts = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "jlvs-check-ping-timer"));
        receiver = daemon(this::receive, "jlvs-check-ping");
        receiver.start();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        socket.close();
        timeouts.shutdownNow();
        receiver.join(2000);
        pending.values().forEach(p -> p.result().completeExceptionally(new IllegalStateException("checker stopped")));
        pending.clear();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    @Override
    public void validate(CheckConfig config) {
        config.requireOnly(Set.of()); // PING_CHECK has no options of its own
        if (config.address6() != null) {
            throw new IllegalArgumentException("PING_CHECK of an IPv6 address (" + config.addressText()
                    + ") is not supported yet: this checker sends ICMP (IPv4) echo requests only");
        }
    }

    @Override
    public CompletionStage<CheckResult> check(CheckConfig config) {
        int seq = sequence.getAndIncrement() & 0xffff;
        Pending p = new Pending(config.address(), System.nanoTime(), new CompletableFuture<>());
        Pending old = pending.put(seq, p);
        if (old != null) old.result().complete(CheckResult.down("no reply (sequence reused)", System.nanoTime() - old.startNanos()));
        p.result().whenComplete((r, e) -> pending.remove(seq, p));
        byte[] message = echoRequest(identifier, seq, p.startNanos());
        String error = socket.send(message, message.length, config.address());
        if (error != null) {
            p.result().complete(CheckResult.down("sendto failed: " + error, System.nanoTime() - p.startNanos()));
            return p.result();
        }
        timeouts.schedule(() -> p.result().complete(CheckResult.down("no reply within " + config.timeoutMillis() + " ms",
                System.nanoTime() - p.startNanos())), config.timeoutMillis(), TimeUnit.MILLISECONDS);
        return p.result();
    }

    /** Echo request: type 8, code 0, checksum, identifier, sequence, 8 bytes of payload. */
    static byte[] echoRequest(int id, int seq, long stamp) {
        byte[] m = new byte[16];
        m[0] = ECHO_REQUEST;
        m[4] = (byte) (id >> 8);
        m[5] = (byte) id;
        m[6] = (byte) (seq >> 8);
        m[7] = (byte) seq;
        for (int i = 0; i < 8; i++) m[8 + i] = (byte) (stamp >>> (56 - 8 * i));
        int sum = checksum(m, 0, m.length);
        m[2] = (byte) (sum >> 8);
        m[3] = (byte) sum;
        return m;
    }

    static int checksum(byte[] b, int off, int len) {
        long sum = 0;
        for (int i = 0; i + 1 < len; i += 2) sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
        if ((len & 1) != 0) sum += (b[off + len - 1] & 0xff) << 8;
        while ((sum >> 16) != 0) sum = (sum & 0xffff) + (sum >> 16);
        return (int) (~sum & 0xffff);
    }

    private void receive() {
        byte[] buf = new byte[1500];
        while (true) {
            int n = socket.receive(buf);
            if (n < 0) return;
            if (n == 0) continue;
            try {
                handle(buf, n);
            } catch (RuntimeException e) {
                LOG.debug("ICMP message ignored: {}", e.toString());
            }
        }
    }

    /** One received message: an echo reply of ours, or an ICMP error quoting one of our requests. */
    void handle(byte[] b, int n) {
        int icmp = socket.raw ? (b[0] & 0x0f) * 4 : 0;
        if (n < icmp + 8) return;
        int type = b[icmp] & 0xff;
        if (type == ECHO_REPLY) {
            // a datagram socket's replies carry the kernel's identifier, and only reach this socket anyway
            if (socket.raw && id(b, icmp + 4) != identifier) return;
            Pending p = pending.get(id(b, icmp + 6));
            if (p != null && (!socket.raw || p.address() == address(b, 12))) {
                p.result().complete(CheckResult.up("echo reply", System.nanoTime() - p.startNanos()));
            }
        } else if (type == DEST_UNREACHABLE || type == TIME_EXCEEDED) {
            int inner = icmp + 8;
            if (n < inner + 20) return;
            int innerIcmp = inner + (b[inner] & 0x0f) * 4;
            if (n < innerIcmp + 8 || (b[innerIcmp] & 0xff) != ECHO_REQUEST) return;
            if (socket.raw && id(b, innerIcmp + 4) != identifier) return;
            Pending p = pending.get(id(b, innerIcmp + 6));
            if (p != null && p.address() == address(b, inner + 16)) {
                p.result().complete(CheckResult.down(type == DEST_UNREACHABLE ? "destination unreachable (code "
                        + (b[icmp + 1] & 0xff) + ")" : "time exceeded", System.nanoTime() - p.startNanos()));
            }
        }
    }

    private static int id(byte[] b, int off) {
        return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
    }

    private static int address(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }
}
