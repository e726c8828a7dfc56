package org.jlvs.metrics;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Who may read the endpoint. A request that arrived on a loopback address is open (the default binding is
 * 127.0.0.1 only, where the console's users already are). On any other address:
 * <ol>
 * <li>it must have come over HTTPS, else 403 without looking at its credentials: HTTP Basic sends the password
 *     in clear, and a redirect would only come after the client had already sent it;</li>
 * <li>its address must not be locked out by {@link LoginThrottle} after too many wrong logins (429);</li>
 * <li>it must log in with HTTP Basic against the JAAS realm (401 otherwise), as a user holding one of the
 *     allowed roles (403 otherwise).</li>
 * </ol>
 * The check is per request on the address it arrived at, so it holds whatever Pax Web is told to bind to.
 */
final class Access {
    /** Logs a user in: the user's roles, or null when the name and password do not log in. */
    interface Login {
        Set<String> roles(String user, String password);
    }

    private final Login login;
    private final String realm;
    private final Set<String> roles;
    private final LoginThrottle throttle;

    Access(Login login, String realm, Set<String> roles, LoginThrottle throttle) {
        this.login = login;
        this.realm = realm;
        this.roles = roles;
        this.throttle = throttle;
    }

    /** True when the request may go on; otherwise it has been answered (403, 429 or 401) and must not be served. */
    boolean permit(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (isLoopback(req.getLocalAddr())) return true;
        if (!req.isSecure()) {
            resp.sendError(HttpServletResponse.SC_FORBIDDEN, "off loopback only HTTPS is served"
                    + " (org.osgi.service.http.secure.enabled in org.ops4j.pax.web)");
            return false;
        }
        String client = String.valueOf(req.getRemoteAddr());
        long wait = throttle.refusedForNanos(client);
        if (wait > 0) {
            resp.setHeader("Retry-After", Long.toString(TimeUnit.NANOSECONDS.toSeconds(wait) + 1));
            resp.sendError(429, "too many failed logins from " + client + "; try again later");
            return false;
        }
        String[] credentials = basic(req.getHeader("Authorization"));
        Set<String> held = credentials == null ? null : login.roles(credentials[0], credentials[1]);
        if (held == null) {
            if (credentials != null) throttle.failed(client);
            resp.setHeader("WWW-Authenticate", "Basic realm=\"" + realm + "\", charset=\"UTF-8\"");
            resp.sendError(HttpServletResponse.SC_UNAUTHORIZED, "authentication required");
            return false;
        }
        throttle.succeeded(client);
        if (Collections.disjoint(held, roles)) {
            resp.sendError(HttpServletResponse.SC_FORBIDDEN, "user " + credentials[0] + " has none of the roles " + roles);
            return false;
        }
        return true;
    }

    static boolean isLoopback(String localAddress) {
        if (localAddress == null) return false;
        try {
            // An address literal (what getLocalAddr returns): no name lookup happens.
            return InetAddress.getByName(localAddress).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** {user, password} of an "Authorization: Basic ..." header, or null when there is none or it is malformed. */
    static String[] basic(String header) {
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) return null;
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) return null;
        return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }
}
