package org.jlvs.check.udp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.jlvs.api.CheckConfig;
import org.jlvs.api.CheckResult;
import org.jlvs.api.Ip4;
import org.jlvs.check.support.HexPattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** UDP_CHECK against responders on the loopback interface started by the test. */
class UdpCheckerTest {
    static final int LOOPBACK = Ip4.parse("127.0.0.1");
    final UdpChecker checker = new UdpChecker();
    final List<byte[]> received = new CopyOnWriteArrayList<>();
    DatagramSocket responder;
    Thread thread;
    /** What the responder sends back for each datagram: null = nothing. */
    volatile byte[] answer;

    @BeforeEach
    void start() throws Exception {
        checker.activate();
        responder = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(() -> {
            byte[] buf = new byte[2048];
            while (!responder.isClosed()) {
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    responder.receive(p);
                    received.add(java.util.Arrays.copyOf(p.getData(), p.getLength()));
                    byte[] a = answer;
                    if (a != null) responder.send(new DatagramPacket(a, a.length, p.getSocketAddress()));
                } catch (Exception e) {
                    return;
                }
            }
        });
        thread.start();
    }

    @AfterEach
    void stop() throws Exception {
        responder.close();
        thread.join(2000);
        checker.deactivate();
    }

    CheckResult check(int port, long timeout, String... kv) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) o.put(kv[i], kv[i + 1]);
        CheckConfig c = new CheckConfig("udp", LOOPBACK, port, 0, 0, timeout, o);
        checker.validate(c);
        return checker.check(c).toCompletableFuture().get(15, TimeUnit.MINUTES);
    }

    @Test
    void payloadIsSentAndAMatchingReplyIsUp() throws Exception {
        answer = HexFormat.of().parseHex("cafe0102");
        CheckResult r = check(responder.getLocalPort(), 60_000, "payload", "De ad bE eF 1", "require_reply", "CAFE x1");
        assertTrue(r.up(), r.toString());
        assertEquals("deadbeef01", HexFormat.of().formatHex(received.get(0)));
    }

    @Test
    void aReplyThatDoesNotMatchOrHasTheWrongLengthIsDown() throws Exception {
        answer = HexFormat.of().parseHex("cafe0102");
        assertEquals("reply does not match require_reply",
                check(responder.getLocalPort(), 60_000, "payload", "00", "require_reply", "beef").message());
        assertTrue(check(responder.getLocalPort(), 60_000, "payload", "00", "require_reply", "").up(), "any reply");
        assertFalse(check(responder.getLocalPort(), 60_000, "payload", "00", "require_reply", "", "min_reply_length", "5").up());
        assertFalse(check(responder.getLocalPort(), 60_000, "payload", "00", "require_reply", "", "max_reply_length", "3").up());
    }

    @Test
    void aRequiredReplyThatNeverComesIsDownAfterTheTimeout() throws Exception {
        answer = null;
        long t0 = System.nanoTime();
        CheckResult r = check(responder.getLocalPort(), 400, "require_reply", "");
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertFalse(r.up());
        assertEquals("no reply within 400 ms", r.message());
        assertTrue(took >= 350, "took " + took);
        assertEquals(16, received.get(0).length, "16 random bytes without a payload");
    }

    @Test
    void withoutRequireReplySilenceIsUpAndPortUnreachableIsDown() throws Exception {
        answer = null;
        assertTrue(check(responder.getLocalPort(), 300).up(), "nothing came back: the port is open");
        int closed;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            closed = s.getLocalPort();
        }
        CheckResult r = check(closed, 600_000);
        assertFalse(r.up());
        assertEquals("port unreachable", r.message(), "with a 10-minute timeout only the ICMP error ends it");
    }

    @Test
    void hexFormatIsKeepalivedsFreeFormat() {
        assertEquals("ab120f03450654644312 03".replace(" ", ""),
                HexFormat.of().formatHex(HexPattern.parse("Ab12f 3 456 546443123", false, "payload").value()));
        HexPattern p = HexPattern.parse("1x X2", true, "require_reply");
        assertTrue(p.matchesPrefix(java.nio.ByteBuffer.wrap(new byte[] {0x1f, (byte) 0xa2, 0x77})));
        assertFalse(p.matchesPrefix(java.nio.ByteBuffer.wrap(new byte[] {0x2f, (byte) 0xa2})));
        assertTrue(p.matchesPrefix(java.nio.ByteBuffer.wrap(new byte[] {0x10})), "only the shorter length is compared");
        assertThrows(IllegalArgumentException.class, () -> HexPattern.parse("0g", false, "payload"));
        assertThrows(IllegalArgumentException.class, () -> HexPattern.parse("xx", false, "payload"));
    }

    @Test
    void refusals() {
        for (Map<String, String> bad : List.of(Map.of("path", "/"), Map.of("payload", "zz"),
                Map.of("min_reply_length", "3"), Map.of("require_reply", "", "min_reply_length", "9", "max_reply_length", "2"))) {
            assertThrows(IllegalArgumentException.class,
                    () -> checker.validate(new CheckConfig("udp", LOOPBACK, 53, 0, 0, 1000, bad)), bad.toString());
        }
    }
}
