package org.jlvs.check.tcp.internal;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import org.jlvs.api.CheckConfig;
import org.jlvs.api.CheckResult;
import org.jlvs.api.spi.HealthChecker;
import org.jlvs.check.support.Reactor;
import org.jlvs.check.support.TcpAttempt;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * keepalived's TCP_CHECK: the real server is up when a TCP connection to it opens within connect_timeout.
 * The connection is closed at once. All attempts run on one NIO thread.
 */
@Component(service = HealthChecker.class, property = HealthChecker.PROPERTY + "=tcp")
public class TcpChecker implements HealthChecker {
    private Reactor reactor;

    @Activate
    void activate() throws IOException {
        reactor = new Reactor("jlvs-check-tcp");
    }

    @Deactivate
    void deactivate() {
        reactor.close();
    }

    @Override
    public CompletionStage<CheckResult> check(CheckConfig config) {
        return new ConnectAttempt(reactor, config).start();
    }

    @Override
    public void validate(CheckConfig config) {
        config.requireOnly(Set.of()); // TCP_CHECK has no options of its own
        if (config.port() == 0) throw new IllegalArgumentException("a tcp check needs a port (connect_port)");
    }

    /** Up once connected. */
    static final class ConnectAttempt extends TcpAttempt {
        ConnectAttempt(Reactor reactor, CheckConfig config) {
            super(reactor, config);
        }

        @Override
        protected void connected() {
            succeed("connected");
        }
    }
}
