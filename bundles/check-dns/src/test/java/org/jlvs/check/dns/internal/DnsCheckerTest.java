package org.jlvs.check.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.jlvs.api.CheckConfig;
import org.jlvs.api.CheckResult;
import org.jlvs.api.Ip4;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DNS_CHECK against a small DNS responder on the loopback interface started by the test. */
class DnsCheckerTest {
    static final int LOOPBACK = Ip4.parse("127.0.0.1");
    enum Mode { ANSWER, NXDOMAIN, SERVFAIL, WRONG_ID, QUERY, SILENT }

    final DnsChecker checker = new DnsChecker();
    final List<byte[]> queries = new CopyOnWriteArrayList<>();
    volatile Mode mode = Mode.ANSWER;
    DatagramSocket server;
    Thread thread;

    @BeforeEach
    void start() throws Exception {
        checker.activate();
        server = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        thread = new Thread(this::serve);
        thread.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        thread.join(2000);
        checker.deactivate();
    }

    /** Answers a query with its header turned into a response, the question repeated and one A record. */
    void serve() {
        byte[] buf = new byte[512];
        while (!server.isClosed()) {
            try {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                server.receive(p);
                byte[] q = java.util.Arrays.copyOf(p.getData(), p.getLength());
                queries.add(q);
                if (mode == Mode.SILENT) continue;
                ByteBuffer r = ByteBuffer.allocate(512);
                int id = ((q[0] & 0xff) << 8) | (q[1] & 0xff);
                r.putShort((short) (mode == Mode.WRONG_ID ? id ^ 1 : id));
                int flags = (mode == Mode.QUERY ? 0 : 0x8000) | 0x0100 | 0x0080 | (mode == Mode.NXDOMAIN ? 3 : mode == Mode.SERVFAIL ? 2 : 0);
                r.putShort((short) flags).putShort((short) 1).putShort((short) (mode == Mode.ANSWER ? 1 : 0))
                        .putShort((short) 0).putShort((short) 0);
                byte[] question = java.util.Arrays.copyOfRange(q, 12, q.length);
                r.put(question);
                if (mode == Mode.ANSWER) {
                    r.putShort((short) 0xc00c).putShort((short) 1).putShort((short) 1).putInt(60).putShort((short) 4)
                            .put(new byte[] {10, 0, 0, 1});
                }
                server.send(new DatagramPacket(r.array(), r.position(), p.getSocketAddress()));
            } catch (Exception e) {
                return;
            }
        }
    }

    CheckResult check(long timeout, String... kv) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) o.put(kv[i], kv[i + 1]);
        CheckConfig c = new CheckConfig("dns", LOOPBACK, server.getLocalPort(), 0, 0, timeout, o);
        checker.validate(c);
        return checker.check(c).toCompletableFuture().get(5, TimeUnit.MINUTES);
    }

    @Test
    void theDefaultQueryIsSoaForTheRoot() throws Exception {
        CheckResult r = check(60_000);
        assertTrue(r.up(), r.toString());
        assertEquals("NOERROR, 1 answers", r.message());
        byte[] q = queries.get(0);
        assertEquals("0100" + "0001" + "0000" + "0000" + "0000" + "00" + "0006" + "0001", HexFormat.of().formatHex(q, 2, q.length), "RD, 1 question: . SOA IN");
    }

    @Test
    void typeAndNameAreSent() throws Exception {
        assertTrue(check(60_000, "type", "a", "name", "www.example.test.").up());
        byte[] q = queries.get(0);
        assertEquals("03777777076578616d706c65047465737400" + "0001" + "0001", HexFormat.of().formatHex(q, 12, q.length));
    }

    @Test
    void anErrorRcodeIsDown() throws Exception {
        mode = Mode.NXDOMAIN;
        assertEquals("RCODE NXDOMAIN", check(60_000).message());
        mode = Mode.SERVFAIL;
        assertFalse(check(60_000).up());
    }

    @Test
    void messagesThatAreNotTheAnswerAreIgnoredUntilTheTimeout() throws Exception {
        for (Mode m : new Mode[] {Mode.WRONG_ID, Mode.QUERY, Mode.SILENT}) {
            mode = m;
            long t0 = System.nanoTime();
            CheckResult r = check(300);
            assertFalse(r.up(), m.toString());
            assertEquals("no reply within 300 ms", r.message(), m.toString());
            assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(250), "not before its timeout: " + m);
        }
    }

    @Test
    void refusals() {
        for (Map<String, String> bad : List.of(Map.of("type", "PTR"), Map.of("name", "a..b"), Map.of("path", "/"),
                Map.of("name", "x".repeat(64) + ".test"))) {
            assertThrows(IllegalArgumentException.class,
                    () -> checker.validate(new CheckConfig("dns", LOOPBACK, 53, 0, 0, 1000, bad)), bad.toString());
        }
    }
}
