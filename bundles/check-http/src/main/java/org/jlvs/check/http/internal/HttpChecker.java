package org.jlvs.check.http.internal;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.jlvs.api.CheckConfig;
import org.jlvs.api.CheckResult;
import org.jlvs.api.spi.HealthChecker;
import org.jlvs.check.support.Reactor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * keepalived's HTTP_GET ({@code lvs.check=http}) and SSL_GET ({@code lvs.check=ssl}): GET a path and judge
 * the status code (default 200-299), optionally the body's MD5 digest (genhash's) and a regex; Host is the
 * virtualhost or the server's address. Like keepalived without an SSL block, SSL_GET checks that TLS works
 * and does not verify the server's certificate. All attempts run on one NIO thread.
 */
@Component(service = HealthChecker.class, property = {HealthChecker.PROPERTY + "=http", HealthChecker.PROPERTY + "=ssl"})
public class HttpChecker implements HealthChecker {
    private Reactor reactor;
    private SSLContext tls;

    @Activate
    void activate() throws IOException, GeneralSecurityException {
        tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new TrustAll()}, null);
        reactor = new Reactor("jlvs-check-http");
    }

    @Deactivate
    void deactivate() {
        reactor.close();
    }

    @Override
    public CompletionStage<CheckResult> check(CheckConfig config) {
        HttpOptions options;
        try {
            options = HttpOptions.of(config);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(CheckResult.down(e.getMessage(), 0));
        }
        return new HttpAttempt(reactor, config, options, tls).start();
    }

    @Override
    public void validate(CheckConfig config) {
        if (!config.type().equals("http") && !config.type().equals("ssl")) {
            throw new IllegalArgumentException("the http checker runs http and ssl checks, not " + config.type());
        }
        if (config.port() == 0) throw new IllegalArgumentException("an http check needs a port (connect_port)");
        HttpOptions.of(config);
    }

    /** keepalived's SSL_GET without a CA: the certificate is not verified, only TLS itself. */
    private static final class TrustAll implements X509TrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {}
        @Override public X509Certificate[] getAcceptedIssuers() { return new X509Certificate[0]; }
    }
}
