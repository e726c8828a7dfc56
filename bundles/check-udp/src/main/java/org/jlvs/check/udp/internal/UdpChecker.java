package org.jlvs.check.udp.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.jlvs.api.CheckConfig;
import org.jlvs.api.CheckResult;
import org.jlvs.api.spi.HealthChecker;
import org.jlvs.check.support.DatagramAttempt;
import org.jlvs.check.support.HexPattern;
import org.jlvs.check.support.Reactor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * keepalived's UDP_CHECK: sends {@code payload} (hex; 16 random bytes without it) from a connected socket.
 * Without require_reply the server is up unless an ICMP error (port or host unreachable) comes back within
 * connect_timeout; with it, a reply must arrive, its length within min_reply_length..max_reply_length (0..255)
 * and, when require_reply has a hex pattern, its first bytes matching the pattern (x = any nibble).
 */
@Component(service = HealthChecker.class, property = HealthChecker.PROPERTY + "=udp")
public class UdpChecker implements HealthChecker {
    static final Set<String> KNOWN = Set.of("payload", "require_reply", "min_reply_length", "max_reply_length");
    private final SecureRandom random = new SecureRandom();
    private Reactor reactor;

    @Activate
    void activate() throws IOException {
        reactor = new Reactor("jlvs-check-udp");
    }

    @Deactivate
    void deactivate() {
        reactor.close();
    }

    /** The options of one check, parsed. */
    record Options(byte[] payload, boolean requireReply, HexPattern reply, long minLength, long maxLength) {
        static Options of(CheckConfig c) {
            c.requireOnly(KNOWN);
            String p = c.option("payload", null);
            byte[] payload = p == null ? null : HexPattern.parse(p, false, "payload").value();
            boolean require = c.options().containsKey("require_reply");
            String r = c.option("require_reply", "");
            HexPattern reply = require && !r.isBlank() ? HexPattern.parse(r, true, "require_reply") : null;
            long min = c.number("min_reply_length", 0, 0, 65507);
            long max = c.number("max_reply_length", 255, 0, 65507);
            if (min > max) throw new IllegalArgumentException("min_reply_length " + min + " > max_reply_length " + max);
            if (!require && (c.options().containsKey("min_reply_length") || c.options().containsKey("max_reply_length"))) {
                throw new IllegalArgumentException("min_reply_length and max_reply_length need require_reply");
            }
            return new Options(payload, require, reply, min, max);
        }
    }

    @Override
    public void validate(CheckConfig config) {
        if (config.port() == 0) throw new IllegalArgumentException("a udp check needs a port (connect_port)");
        Options.of(config);
    }

    @Override
    public CompletionStage<CheckResult> check(CheckConfig config) {
        Options o = Options.of(config);
        byte[] payload = o.payload();
        if (payload == null) {
            payload = new byte[16];
            random.nextBytes(payload);
        }
        return new UdpAttempt(reactor, config, o, payload).start();
    }

    static final class UdpAttempt extends DatagramAttempt {
        private final Options options;
        private final byte[] payload;

        UdpAttempt(Reactor reactor, CheckConfig config, Options options, byte[] payload) {
            super(reactor, config);
            this.options = options;
            this.payload = payload;
        }

        @Override
        protected ByteBuffer request() {
            return ByteBuffer.wrap(payload);
        }

        @Override
        protected void received(ByteBuffer reply) {
            if (!options.requireReply()) {
                succeed("reply of " + reply.remaining() + " bytes");
                return;
            }
            int n = reply.remaining();
            if (n < options.minLength() || n > options.maxLength()) {
                fail("reply of " + n + " bytes, not " + options.minLength() + ".." + options.maxLength());
            } else if (options.reply() != null && !options.reply().matchesPrefix(reply)) {
                fail("reply does not match require_reply");
            } else {
                succeed("reply of " + n + " bytes");
            }
        }

        @Override
        protected void timedOut() {
            // keepalived: without require_reply, silence (no ICMP error) means the port is open
            if (options.requireReply()) fail(timeoutMessage());
            else succeed("no ICMP error within " + config.timeoutMillis() + " ms");
        }
    }
}
