package org.jlvs.check.http.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.util.List;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import org.jlvs.api.CheckConfig;
import org.jlvs.check.support.Reactor;
import org.jlvs.check.support.TcpAttempt;

/**
 * One HTTP_GET or SSL_GET: connect, (TLS handshake), send the GET, read the status line (and the body when a
 * digest or regex needs it), judge. connect_timeout bounds the connect and then each wait for the server.
 */
final class HttpAttempt extends TcpAttempt {
    private enum Stage { HANDSHAKE, SEND, RECEIVE }

    private final HttpOptions options;
    private final SSLContext tlsContext;
    private final ResponseParser parser;
    private final ByteBuffer request;
    private final ByteBuffer in = ByteBuffer.allocate(16 * 1024);
    private TlsChannel tls;
    private Stage stage;

    HttpAttempt(Reactor reactor, CheckConfig config, HttpOptions options, SSLContext tlsContext) {
        super(reactor, config);
        this.options = options;
        this.tlsContext = tlsContext;
        this.parser = new ResponseParser(options);
        this.request = ByteBuffer.wrap(options.request());
    }

    @Override
    protected void connected() throws IOException {
        deadline(config.timeoutMillis());
        if (options.tls()) {
            SSLEngine engine = tlsContext.createSSLEngine(config.addressText(), config.port());
            engine.setUseClientMode(true);
            if (options.sniName() != null) {
                SSLParameters p = engine.getSSLParameters();
                p.setServerNames(List.of(new SNIHostName(options.sniName())));
                engine.setSSLParameters(p);
            }
            tls = new TlsChannel(channel, engine);
            engine.beginHandshake();
            stage = Stage.HANDSHAKE;
        } else {
            stage = Stage.SEND;
        }
        step();
    }

    @Override
    protected void io(SelectionKey k) throws IOException {
        step();
    }

    /** Moves the exchange on as far as the socket allows, then waits for the readiness it needs. */
    private void step() throws IOException {
        if (stage == Stage.HANDSHAKE) {
            int wait = tls.handshake();
            if (wait != TlsChannel.DONE) {
                interest(wait);
                return;
            }
            stage = Stage.SEND;
            deadline(config.timeoutMillis());
        }
        if (stage == Stage.SEND) {
            boolean sent;
            if (tls != null) {
                sent = tls.write(request);
            } else {
                channel.write(request);
                sent = !request.hasRemaining();
            }
            if (!sent) {
                interest(SelectionKey.OP_WRITE);
                return;
            }
            stage = Stage.RECEIVE;
            deadline(config.timeoutMillis());
        }
        while (true) {
            in.clear();
            int n = tls != null ? tls.read(in) : channel.read(in);
            if (n > 0) {
                deadline(config.timeoutMillis()); // progress: the server gets another timeout for the rest
                in.flip();
                if (parser.feed(in)) {
                    judge();
                    return;
                }
            } else if (n < 0) {
                parser.end();
                judge();
                return;
            } else {
                interest(SelectionKey.OP_READ | (tls != null && tls.pendingOutput() ? SelectionKey.OP_WRITE : 0));
                return;
            }
        }
    }

    private void judge() {
        String failure = parser.verdict();
        if (failure != null) fail(failure);
        else succeed("HTTP " + parser.status);
    }

    @Override
    protected String timeoutMessage() {
        if (stage == null) return "connect timeout";
        return switch (stage) {
            case HANDSHAKE -> "TLS handshake timeout";
            case SEND -> "timeout sending the request";
            case RECEIVE -> "no response within " + config.timeoutMillis() + " ms";
        };
    }
}
