package org.jlvs.check.http.internal;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.jlvs.api.CheckConfig;

/**
 * HTTP_GET / SSL_GET options (keepalived's url block and protocol settings), parsed once per attempt.
 *
 * @param statusRanges pairs [from, to] of accepted status codes (default 200-299)
 * @param digest       expected MD5 of the body, or null
 * @param protocol     "1.0", "1.0C" (1.0 with Connection: close) or "1.1"
 */
record HttpOptions(String path, int[] statusRanges, byte[] digest, String host, String protocol, Pattern regex,
                   boolean regexNoMatch, boolean tls, String sniName) {

    static final Set<String> KNOWN = Set.of("path", "status_code", "digest", "virtualhost", "http_protocol", "regex",
            "regex_no_match", "enable_sni", "sni_name", "tls_compliant", "fast_recovery");

    static HttpOptions of(CheckConfig c) {
        c.requireOnly(KNOWN);
        boolean tls = c.type().equals("ssl");
        String path = c.option("path", "/");
        if (!path.startsWith("/") || path.chars().anyMatch(ch -> ch <= ' ' || ch == 127)) {
            throw new IllegalArgumentException("bad path '" + path + "': it starts with / and has no blanks");
        }
        int[] ranges = statusRanges(c.option("status_code", "200-299"));
        byte[] digest = null;
        String d = c.option("digest", null);
        if (d != null) {
            try {
                digest = HexFormat.of().parseHex(d.trim().toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                digest = null;
            }
            if (digest == null || digest.length != 16) {
                throw new IllegalArgumentException("bad digest '" + d + "': 32 hex digits (MD5, as genhash prints it)");
            }
        }
        String vhost = c.option("virtualhost", null);
        if (vhost != null && (vhost.isBlank() || vhost.chars().anyMatch(ch -> ch <= ' ' || ch == 127))) {
            throw new IllegalArgumentException("bad virtualhost '" + vhost + "'");
        }
        int defaultPort = tls ? 443 : 80;
        String host = vhost != null ? vhost
                : c.port() != defaultPort ? c.endpoint() // RFC 7230 Host: an IPv6 literal in brackets
                : c.address6() != null ? "[" + c.addressText() + "]" : c.addressText();
        String protocol = c.option("http_protocol", "1.0");
        if (!Set.of("1.0", "1.0C", "1.0c", "1.1").contains(protocol)) {
            throw new IllegalArgumentException("bad http_protocol '" + protocol + "': 1.0, 1.0C or 1.1");
        }
        Pattern regex = null;
        String r = c.option("regex", null);
        if (r != null) {
            try {
                regex = Pattern.compile(r);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("bad regex '" + r + "': " + e.getDescription());
            }
        }
        boolean noMatch = c.flag("regex_no_match");
        if (noMatch && regex == null) throw new IllegalArgumentException("regex_no_match needs a regex");
        String sni = null;
        if (c.flag("enable_sni") || c.options().containsKey("sni_name")) {
            if (!tls) throw new IllegalArgumentException("enable_sni and sni_name apply to ssl checks only");
            sni = c.option("sni_name", vhost);
            if (sni == null) throw new IllegalArgumentException("enable_sni needs a virtualhost or an sni_name");
        }
        return new HttpOptions(path, ranges, digest, host, protocol.toUpperCase(Locale.ROOT), regex, noMatch, tls, sni);
    }

    /** "200", "200-299 400-499 503", commas allowed. */
    static int[] statusRanges(String text) {
        List<Integer> out = new ArrayList<>();
        for (String part : text.trim().split("[\\s,]+")) {
            if (part.isEmpty()) continue;
            int dash = part.indexOf('-');
            int from = code(dash < 0 ? part : part.substring(0, dash), text);
            int to = dash < 0 ? from : code(part.substring(dash + 1), text);
            if (to < from) throw new IllegalArgumentException("bad status_code '" + text + "': " + part + " is empty");
            out.add(from);
            out.add(to);
        }
        if (out.isEmpty()) throw new IllegalArgumentException("bad status_code '" + text + "'");
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int code(String s, String whole) {
        try {
            int n = Integer.parseInt(s);
            if (n >= 100 && n <= 999) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("bad status_code '" + whole + "': codes 100..999 or ranges like 200-299");
    }

    boolean statusAccepted(int status) {
        for (int i = 0; i < statusRanges.length; i += 2) {
            if (status >= statusRanges[i] && status <= statusRanges[i + 1]) return true;
        }
        return false;
    }

    /** Whether the body must be read to the end (digest or regex), or the status line is enough. */
    boolean needsBody() {
        return digest != null || regex != null;
    }

    /** keepalived's request: GET, User-Agent, Host; Connection: close for 1.0C and 1.1. */
    byte[] request() {
        String version = protocol.equals("1.1") ? "HTTP/1.1" : "HTTP/1.0";
        StringBuilder sb = new StringBuilder("GET ").append(path).append(' ').append(version).append("\r\n")
                .append("User-Agent: jlvs-healthcheck\r\n")
                .append("Host: ").append(host).append("\r\n");
        if (!protocol.equals("1.0")) sb.append("Connection: close\r\n");
        return sb.append("\r\n").toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
