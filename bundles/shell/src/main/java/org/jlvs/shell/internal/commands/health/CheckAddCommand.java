package org.jlvs.shell.internal.commands.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.jlvs.api.CheckSpec;
import org.jlvs.api.ServiceKey;
import org.jlvs.ipvsadm.Endpoint;
import org.jlvs.shell.internal.commands.CheckerCompleter;
import org.jlvs.shell.internal.commands.RealServerCompleter;

@Service
@Command(scope = "lvs", name = "check-add", description = "Adds a health check to a real server (keepalived's checkers):"
        + " lvs:check-add -t|-u VIP:PORT -r RIP[:PORT] --type tcp|http|ssl|udp|dns|ping|misc [options]. Options are"
        + " keepalived's keywords with - for _, e.g. --delay-loop 1 --connect-timeout 1 --retry 1 --delay-before-retry 1"
        + " --inhibit-on-failure --path / --status-code 200-299 --digest MD5; any other keyword as -o KEY=VALUE."
        + " Defaults as keepalived's: delay_loop 60, connect_timeout 5, retry 1 (dns 3, misc 0), delay_before_retry 1"
        + " (http/ssl 3, dns delay_loop), warmup = delay_loop. The real server leaves the service while a check fails"
        + " (weight 0 instead with --inhibit-on-failure) and comes back at the first success.")
public class CheckAddCommand extends CheckAction {
    @Option(name = "-r", aliases = "--real-server", required = true, description = "real server RIP[:PORT]")
    @Completion(RealServerCompleter.class)
    String realServer;

    @Option(name = "--type", required = true, description = "check type: tcp, http, ssl, udp, dns, ping, misc"
            + " (or keepalived's TCP_CHECK, HTTP_GET, SSL_GET, UDP_CHECK, DNS_CHECK, PING_CHECK, MISC_CHECK)")
    @Completion(CheckerCompleter.class)
    String type;

    @Option(name = "--delay-loop", description = "seconds between checks (default 60)") String delayLoop;
    @Option(name = "--connect-timeout", description = "seconds an attempt may take (default 5)") String connectTimeout;
    @Option(name = "--retry", description = "failed attempts retried before the server goes down (default 1)") String retry;
    @Option(name = "--delay-before-retry", description = "seconds before a retry") String delayBeforeRetry;
    @Option(name = "--warmup", description = "random delay of the first check, at most this many seconds (default delay_loop; 0 = none)") String warmup;
    @Option(name = "--alpha", description = "start as down until the first success") boolean alpha;
    @Option(name = "--inhibit-on-failure", description = "set weight 0 instead of removing the server") boolean inhibit;
    @Option(name = "--connect-ip", description = "address to check instead of the real server's") String connectIp;
    @Option(name = "--connect-port", description = "port to check instead of the real server's") String connectPort;
    @Option(name = "--bindto", description = "source address of the checks") String bindto;
    @Option(name = "--bind-port", description = "source port of the checks") String bindPort;
    @Option(name = "--notify-up", description = "command run when the real server comes up") String notifyUp;
    @Option(name = "--notify-down", description = "command run when the real server goes down") String notifyDown;
    @Option(name = "--log-all-failures", description = "log every failed attempt, not only state changes") boolean logAllFailures;

    @Option(name = "--path", description = "http/ssl: the URL path (default /)") String path;
    @Option(name = "--status-code", multiValued = true, description = "http/ssl: expected status codes or ranges,"
            + " e.g. 200 or 200-299 (repeat or separate with commas; default 200-299)") List<String> statusCode;
    @Option(name = "--digest", description = "http/ssl: MD5 of the body (hex)") String digest;
    @Option(name = "--virtualhost", description = "http/ssl: Host header") String virtualhost;
    @Option(name = "--http-protocol", description = "http/ssl: 1.0, 1.0C or 1.1 (default 1.0)") String httpProtocol;
    @Option(name = "--regex", description = "http/ssl: a regular expression the body must match") String regex;
    @Option(name = "--regex-no-match", description = "http/ssl: fail when --regex matches instead") boolean regexNoMatch;
    @Option(name = "--enable-sni", description = "ssl: send the server name (virtualhost or sni-name)") boolean enableSni;
    @Option(name = "--sni-name", description = "ssl: server name to send") String sniName;
    @Option(name = "--payload", description = "udp: datagram to send, hex") String payload;
    @Option(name = "--require-reply", description = "udp: a reply is required; its start must match this hex"
            + " (x for any nibble), or 'any' for any content") String requireReply;
    @Option(name = "--min-reply-length", description = "udp: shortest acceptable reply (default 0)") String minReplyLength;
    @Option(name = "--max-reply-length", description = "udp: longest acceptable reply (default 255)") String maxReplyLength;
    @Option(name = "--dns-type", description = "dns: query type A, NS, CNAME, SOA, MX, TXT, AAAA (keepalived's 'type', default SOA)") String dnsType;
    @Option(name = "--dns-name", description = "dns: name to query (keepalived's 'name', default .)") String dnsName;
    @Option(name = "--misc-path", description = "misc: the command to run (quote it when it has arguments)") String miscPath;
    @Option(name = "--misc-timeout", description = "misc: seconds the command may run (default delay_loop)") String miscTimeout;
    @Option(name = "--misc-dynamic", description = "misc: exit status 2..255 sets the weight to status - 2") boolean miscDynamic;
    @Option(name = "-o", aliases = "--option", multiValued = true, description = "any other keepalived keyword: -o KEY=VALUE") List<String> extra;

    @Override
    protected void run() {
        ServiceKey key = serviceKey(true);
        Endpoint rs = realServer(realServer, key.port());
        Map<String, String> o = new LinkedHashMap<>();
        put(o, CheckSpec.DELAY_LOOP, delayLoop);
        put(o, CheckSpec.CONNECT_TIMEOUT, connectTimeout);
        put(o, CheckSpec.RETRY, retry);
        put(o, CheckSpec.DELAY_BEFORE_RETRY, delayBeforeRetry);
        put(o, CheckSpec.WARMUP, warmup);
        flag(o, CheckSpec.ALPHA, alpha);
        flag(o, CheckSpec.INHIBIT_ON_FAILURE, inhibit);
        put(o, CheckSpec.CONNECT_IP, connectIp);
        put(o, CheckSpec.CONNECT_PORT, connectPort);
        put(o, CheckSpec.BINDTO, bindto);
        put(o, CheckSpec.BIND_PORT, bindPort);
        put(o, CheckSpec.NOTIFY_UP, notifyUp);
        put(o, CheckSpec.NOTIFY_DOWN, notifyDown);
        flag(o, CheckSpec.LOG_ALL_FAILURES, logAllFailures);
        put(o, "path", path);
        if (statusCode != null) put(o, "status_code", String.join(" ", statusCode).replace(',', ' ').trim());
        put(o, "digest", digest);
        put(o, "virtualhost", virtualhost);
        put(o, "http_protocol", httpProtocol);
        put(o, "regex", regex);
        flag(o, "regex_no_match", regexNoMatch);
        flag(o, "enable_sni", enableSni);
        put(o, "sni_name", sniName);
        put(o, "payload", payload);
        put(o, "require_reply", requireReply == null ? null : requireReply.equalsIgnoreCase("any") ? "" : requireReply);
        put(o, "min_reply_length", minReplyLength);
        put(o, "max_reply_length", maxReplyLength);
        put(o, "type", dnsType);
        put(o, "name", dnsName);
        put(o, "misc_path", miscPath);
        put(o, "misc_timeout", miscTimeout);
        flag(o, "misc_dynamic", miscDynamic);
        if (extra != null) {
            for (String kv : extra) {
                int eq = kv.indexOf('=');
                String k = (eq < 0 ? kv : kv.substring(0, eq)).trim().replace('-', '_');
                if (k.isEmpty()) throw new IllegalArgumentException("bad -o '" + kv + "': give KEY=VALUE");
                o.put(k, eq < 0 ? "" : kv.substring(eq + 1));
            }
        }
        monitor().addCheck(new CheckSpec(key, key(rs), rs.port(), type, o, rs.address6()));
    }

    private static void put(Map<String, String> o, String key, String value) {
        if (value != null) o.put(key, value);
    }

    private static void flag(Map<String, String> o, String key, boolean set) {
        if (set) o.put(key, "");
    }
}
