package org.jlvs.check.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.jlvs.api.CheckConfig;
import org.jlvs.api.CheckResult;
import org.jlvs.api.Ip4;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * HTTP_GET and SSL_GET against real servers started here: the JDK's HTTP server with status and body variants,
 * and its HTTPS server with a self-signed certificate made by keytool.
 */
class HttpCheckerTest {
    static final int LOOPBACK = Ip4.parse("127.0.0.1");
    static final String HELLO = "hello\n";
    static final String HELLO_MD5 = md5(HELLO);
    static final List<String> hosts = new CopyOnWriteArrayList<>();

    @TempDir
    static Path dir;
    static HttpServer http;
    static HttpsServer https;
    static final HttpChecker checker = new HttpChecker();

    /** Holds /slow until the tests are over. */
    static final java.util.concurrent.CountDownLatch SLOW = new java.util.concurrent.CountDownLatch(1);

    @BeforeAll
    static void start() throws Exception {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        routes(http);
        http.setExecutor(Executors.newFixedThreadPool(4));
        http.start();
        https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        https.setHttpsConfigurator(new HttpsConfigurator(selfSigned()));
        routes(https);
        https.setExecutor(Executors.newFixedThreadPool(4));
        https.start();
        checker.activate();
    }

    @AfterAll
    static void stop() {
        SLOW.countDown();
        checker.deactivate();
        http.stop(0);
        https.stop(0);
    }

    static void routes(HttpServer server) {
        server.createContext("/", x -> reply(x, 200, HELLO));
        server.createContext("/status/503", x -> reply(x, 503, "unavailable\n"));
        server.createContext("/redirect", x -> {
            x.getResponseHeaders().add("Location", "/");
            reply(x, 301, "");
        });
        server.createContext("/chunked", x -> {
            x.sendResponseHeaders(200, 0); // length unknown: chunked for HTTP/1.1, until close for 1.0
            try (OutputStream out = x.getResponseBody()) {
                out.write("hel".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                out.write("lo\n".getBytes(StandardCharsets.US_ASCII));
            }
        });
        server.createContext("/vhost", x -> {
            String host = x.getRequestHeaders().getFirst("Host");
            hosts.add(host);
            reply(x, "www.example.test".equals(host) ? 200 : 404, "host " + host + "\n");
        });
        server.createContext("/slow", x -> {
            try {
                SLOW.await(); // answers only after the test has its verdict
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reply(x, 200, HELLO);
        });
        server.createContext("/big", x -> reply(x, 200, "x".repeat(1 << 20) + "END"));
    }

    static void reply(HttpExchange x, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }

    /** A self-signed RSA certificate for CN=localhost, made by the JDK's keytool. */
    static SSLContext selfSigned() throws Exception {
        Path store = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048",
                "-dname", "CN=localhost", "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, "keytool failed: " + out);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(store.toFile())) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static CheckResult check(String type, int port, long timeoutMillis, String... kv) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) o.put(kv[i], kv[i + 1]);
        CheckConfig c = new CheckConfig(type, LOOPBACK, port, 0, 0, timeoutMillis, o);
        checker.validate(c);
        return checker.check(c).toCompletableFuture().get(5, TimeUnit.MINUTES);
    }

    static int httpPort() { return http.getAddress().getPort(); }

    static int httpsPort() { return https.getAddress().getPort(); }

    @Test
    void upOnA2xxStatus() throws Exception {
        CheckResult r = check("http", httpPort(), 60_000, "path", "/");
        assertTrue(r.up(), r.toString());
        assertEquals("HTTP 200", r.message());
    }

    @Test
    void statusCodesAndRanges() throws Exception {
        CheckResult down = check("http", httpPort(), 60_000, "path", "/status/503");
        assertFalse(down.up());
        assertEquals("HTTP status 503", down.message());
        assertTrue(check("http", httpPort(), 60_000, "path", "/status/503", "status_code", "200-299 500-599").up());
        assertTrue(check("http", httpPort(), 60_000, "path", "/redirect", "status_code", "301").up());
        assertFalse(check("http", httpPort(), 60_000, "path", "/redirect").up(), "301 is not in the default 200-299");
        assertFalse(check("http", httpPort(), 60_000, "path", "/", "status_code", "201,204").up());
    }

    @Test
    void digestOfTheBody() throws Exception {
        assertTrue(check("http", httpPort(), 60_000, "path", "/", "digest", HELLO_MD5).up());
        CheckResult bad = check("http", httpPort(), 60_000, "path", "/", "digest", md5("other"));
        assertFalse(bad.up());
        assertEquals("digest mismatch: body MD5 is " + HELLO_MD5, bad.message());
        // a body sent in pieces: chunked with HTTP/1.1, until the close with 1.0
        assertTrue(check("http", httpPort(), 60_000, "path", "/chunked", "digest", HELLO_MD5, "http_protocol", "1.1").up());
        assertTrue(check("http", httpPort(), 60_000, "path", "/chunked", "digest", HELLO_MD5).up());
        String big = md5("x".repeat(1 << 20) + "END");
        assertTrue(check("http", httpPort(), 60_000, "path", "/big", "digest", big).up());
    }

    @Test
    void regexOnTheBody() throws Exception {
        CheckResult miss = check("http", httpPort(), 60_000, "path", "/", "regex", "^bye");
        assertFalse(miss.up());
        assertEquals("regex did not match the body", miss.message());
        assertTrue(check("http", httpPort(), 60_000, "path", "/", "regex", "hel+o").up());
        CheckResult noMatch = check("http", httpPort(), 60_000, "path", "/", "regex", "hel+o", "regex_no_match", "");
        assertFalse(noMatch.up());
        assertEquals("regex matched the body", noMatch.message());
        assertTrue(check("http", httpPort(), 60_000, "path", "/big", "regex", "x{100}").up());
    }

    @Test
    void virtualHostIsTheHostHeader() throws Exception {
        assertFalse(check("http", httpPort(), 60_000, "path", "/vhost").up());
        assertEquals("127.0.0.1:" + httpPort(), hosts.get(hosts.size() - 1), "without virtualhost: the server's address");
        assertTrue(check("http", httpPort(), 60_000, "path", "/vhost", "virtualhost", "www.example.test").up());
        assertEquals("www.example.test", hosts.get(hosts.size() - 1));
    }

    @Test
    void aSlowServerTimesOut() throws Exception {
        long t0 = System.nanoTime();
        CheckResult r = check("http", httpPort(), 500, "path", "/slow");
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertFalse(r.up());
        assertEquals("no response within 500 ms", r.message(), "/slow answers only after the test");
        assertTrue(took >= 450, "not before its timeout: took " + took + " ms");
    }

    @Test
    void refusedAndNotHttp() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        CheckResult refused = check("http", closed, 60_000);
        assertFalse(refused.up());
        assertEquals("connection refused", refused.message());
        // a server that talks something else and hangs up
        try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CompletableFuture.runAsync(() -> {
                try (var c = s.accept()) {
                    c.getOutputStream().write("SSH-2.0-OpenSSH\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // the test fails on the verdict
                }
            });
            CheckResult r = check("http", s.getLocalPort(), 60_000);
            assertFalse(r.up());
            assertTrue(r.message().startsWith("connection closed"), r.message());
        }
    }

    @Test
    void sslGetOverTlsWithASelfSignedCertificate() throws Exception {
        CheckResult r = check("ssl", httpsPort(), 60_000, "path", "/");
        assertTrue(r.up(), r.toString());
        assertEquals("HTTP 200", r.message());
        assertTrue(check("ssl", httpsPort(), 60_000, "path", "/", "digest", HELLO_MD5).up());
        assertTrue(check("ssl", httpsPort(), 60_000, "path", "/chunked", "digest", HELLO_MD5, "http_protocol", "1.1").up());
        assertEquals("HTTP status 503", check("ssl", httpsPort(), 60_000, "path", "/status/503").message());
        assertTrue(check("ssl", httpsPort(), 60_000, "path", "/vhost", "virtualhost", "www.example.test", "enable_sni", "").up());
        assertTrue(check("ssl", httpsPort(), 60_000, "path", "/big", "digest", md5("x".repeat(1 << 20) + "END")).up());
    }

    @Test
    void tlsAndPlainDoNotMix() throws Exception {
        // down either way, by an error or at the timeout: the timeout may be short
        CheckResult sslOnPlain = check("ssl", httpPort(), 2000, "path", "/");
        assertFalse(sslOnPlain.up(), sslOnPlain.toString());
        CheckResult plainOnSsl = check("http", httpsPort(), 2000, "path", "/");
        assertFalse(plainOnSsl.up(), plainOnSsl.toString());
    }

    @Test
    void manyAtOnce() throws Exception {
        List<CompletableFuture<CheckResult>> all = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String type = i % 4 == 0 ? "ssl" : "http";
            int port = type.equals("ssl") ? httpsPort() : httpPort();
            all.add(checker.check(new CheckConfig(type, LOOPBACK, port, 0, 0, 120_000, Map.of("digest", HELLO_MD5)))
                    .toCompletableFuture());
        }
        for (CompletableFuture<CheckResult> f : all) {
            CheckResult r = f.get(5, TimeUnit.MINUTES);
            assertTrue(r.up(), r.toString());
        }
    }

    @Test
    void refusesBadOptions() {
        for (Map<String, String> bad : List.of(Map.of("status_code", "abc"), Map.of("status_code", "299-200"),
                Map.of("digest", "xyz"), Map.of("path", "no-slash"), Map.of("payload", "00"),
                Map.of("http_protocol", "2"), Map.of("regex", "("), Map.of("enable_sni", ""))) {
            assertThrows(IllegalArgumentException.class,
                    () -> checker.validate(new CheckConfig("http", LOOPBACK, 80, 0, 0, 1000, bad)), bad.toString());
        }
        assertThrows(IllegalArgumentException.class,
                () -> checker.validate(new CheckConfig("ssl", LOOPBACK, 443, 0, 0, 1000, Map.of("enable_sni", ""))),
                "SNI needs a name");
    }

    @Test
    void theRequestIsKeepalivedsGet() {
        HttpOptions o = HttpOptions.of(new CheckConfig("http", LOOPBACK, 80, 0, 0, 1000, Map.of("path", "/health")));
        assertEquals("GET /health HTTP/1.0\r\nUser-Agent: jlvs-healthcheck\r\nHost: 127.0.0.1\r\n\r\n",
                new String(o.request(), StandardCharsets.ISO_8859_1));
        HttpOptions c = HttpOptions.of(new CheckConfig("ssl", LOOPBACK, 8443, 0, 0, 1000, Map.of("http_protocol", "1.0C")));
        assertEquals("GET / HTTP/1.0\r\nUser-Agent: jlvs-healthcheck\r\nHost: 127.0.0.1:8443\r\nConnection: close\r\n\r\n",
                new String(c.request(), StandardCharsets.ISO_8859_1));
    }
}
