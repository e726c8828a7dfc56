package org.jlvs.metrics;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * Who may read the endpoint: a request that arrived on a loopback address is open (the default binding is
 * 127.0.0.1 only, where the console's users already are); a request on any other address must log in with HTTP
 * Basic against a JAAS realm (Karaf's {@code karaf}, whose users.properties ships without any user). The check
 * is per request on the address it arrived at, so it holds whatever Pax Web is told to bind to.
 */
final class Access {
    /** Checks a user name and password; false when they do not log in. */
    interface Login {
        boolean login(String user, String password);
    }

    private final Login login;
    private final String realm;

    Access(Login login, String realm) {
        this.login = login;
        this.realm = realm;
    }

    /** True when the request may go on; otherwise it has been answered (401) and must not be served. */
    boolean permit(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (isLoopback(req.getLocalAddr())) return true;
        String[] credentials = basic(req.getHeader("Authorization"));
        if (credentials != null && login.login(credentials[0], credentials[1])) return true;
        resp.setHeader("WWW-Authenticate", "Basic realm=\"" + realm + "\", charset=\"UTF-8\"");
        resp.sendError(HttpServletResponse.SC_UNAUTHORIZED, "authentication required");
        return false;
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
