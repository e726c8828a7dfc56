package org.jlvs.keepalived.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.jlvs.api.CheckSpec;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.QuorumConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.fake.FakeHealthMonitor;
import org.jlvs.ipvsadm.ConfigException;
import org.junit.jupiter.api.Test;

class KeepalivedChecksTest {
    static final ServiceKey WEB = new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.1"), 80);
    static final ServiceKey DNS = new ServiceKey(Protocol.UDP, Ip4.parse("10.0.0.1"), 53);

    /** Every checker and keyword the import carries over, and some it does not (lines counted from 1). */
    static final String CONF = """
            virtual_server 10.0.0.1 80 {
                delay_loop 6
                lb_algo wrr
                protocol TCP
                alpha
                retry 2
                virtualhost www.example.com
                quorum 3
                hysteresis 1
                sorry_server 10.0.2.1 8080
                quorum_up "/bin/true"
                real_server 10.0.1.1 80 {
                    weight 3
                    inhibit_on_failure
                    notify_up "/usr/local/bin/up.sh web1"
                    HTTP_GET {
                        url {
                            path /health
                            digest 9b3a0c85a887a256d6939da88aabd8cd
                            status_code 200
                            virtualhost health.example.com
                        }
                        url {
                            path /other
                        }
                        connect_timeout 3
                        connect_port 8080
                        nb_get_retry 4
                        delay_before_retry 2
                        warmup 5
                        bindto 10.0.0.9
                    }
                    TCP_CHECK {
                        connect_timeout 1.5
                        connect_ip 10.0.1.9
                        fwmark 7
                    }
                    TCP_CHECK {
                        connect_timeout 2
                    }
                }
                real_server 10.0.1.2 80 {
                    SSL_GET {
                        url {
                            path /
                            status_code 200-299
                        }
                        enable_sni
                    }
                    MISC_CHECK {
                        misc_path "/usr/local/bin/check.sh 10.0.1.2"
                        misc_timeout 4
                        misc_dynamic
                        connect_timeout 1
                    }
                    SMTP_CHECK {
                        helo_name x
                    }
                }
            }
            virtual_server 10.0.0.1 53 {
                protocol UDP
                lvs_sched rr
                real_server 10.0.1.3 53 {
                    DNS_CHECK {
                        type A
                        name www.example.com
                        retry 3
                    }
                    UDP_CHECK {
                        payload 0a0b
                        require_reply
                        min_reply_length 2
                        max_reply_length 100
                    }
                    PING_CHECK {
                        delay_loop 10
                    }
                }
            }
            """;

    private static String options(CheckSpec spec) {
        return spec.options().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    @Test
    void readsEveryCheckerWithItsSettingsAndDefaults() {
        KeepalivedImport.Result result = KeepalivedImport.read(CONF, true);
        List<String> got = result.checks().stream()
                .map(c -> "line " + c.line() + ": " + c.spec() + " | " + options(c.spec())).toList();
        assertEquals(List.of(
                "line 16: TCP 10.0.0.1:80 -> 10.0.1.1:80 http | alpha= bindto=10.0.0.9 connect_port=8080"
                        + " connect_timeout=3 delay_before_retry=2 delay_loop=6 digest=9b3a0c85a887a256d6939da88aabd8cd"
                        + " inhibit_on_failure= notify_up=/usr/local/bin/up.sh web1 path=/health retry=4 status_code=200"
                        + " virtualhost=health.example.com warmup=5",
                "line 33: TCP 10.0.0.1:80 -> 10.0.1.1:80 tcp | alpha= connect_ip=10.0.1.9 connect_timeout=1.5"
                        + " delay_loop=6 inhibit_on_failure= notify_up=/usr/local/bin/up.sh web1 retry=2",
                "line 43: TCP 10.0.0.1:80 -> 10.0.1.2:80 ssl | alpha= delay_loop=6 enable_sni= path=/ retry=2"
                        + " status_code=200-299 virtualhost=www.example.com",
                "line 50: TCP 10.0.0.1:80 -> 10.0.1.2:80 misc | alpha= delay_loop=6 misc_dynamic="
                        + " misc_path=/usr/local/bin/check.sh 10.0.1.2 misc_timeout=4 retry=2",
                "line 65: UDP 10.0.0.1:53 -> 10.0.1.3:53 dns | name=www.example.com retry=3 type=A",
                "line 70: UDP 10.0.0.1:53 -> 10.0.1.3:53 udp | max_reply_length=100 min_reply_length=2 payload=0a0b"
                        + " require_reply=",
                "line 76: UDP 10.0.0.1:53 -> 10.0.1.3:53 ping | delay_loop=10"), got);
        assertEquals(Map.of(WEB, new QuorumConfig(3, 1, Ip4.parse("10.0.2.1"), 8080)), result.quorums());
        assertEquals(List.of(
                "line 11: virtual_server 10.0.0.1 80: quorum_up (health checking: see jlvs-healthcheck)",
                "line 23: virtual_server 10.0.0.1 80: real_server 10.0.1.1 80: HTTP_GET: url { ... } (jlvs checks one"
                        + " url per check)",
                "line 36: virtual_server 10.0.0.1 80: real_server 10.0.1.1 80: TCP_CHECK: fwmark (not known to jlvs's"
                        + " tcp check)",
                "line 38: virtual_server 10.0.0.1 80: real_server 10.0.1.1 80: TCP_CHECK (jlvs runs one check of a type"
                        + " per real server)",
                "line 54: virtual_server 10.0.0.1 80: real_server 10.0.1.2 80: MISC_CHECK: connect_timeout (not known"
                        + " to jlvs's misc check)",
                "line 56: virtual_server 10.0.0.1 80: real_server 10.0.1.2 80: SMTP_CHECK { ... } (jlvs has no such"
                        + " checker)"), result.notCarried());
    }

    @Test
    void withoutAHealthMonitorTheChecksAreListedAsBefore() {
        KeepalivedImport.Result result = KeepalivedImport.read(CONF, false);
        assertTrue(result.checks().isEmpty());
        assertTrue(result.quorums().isEmpty());
        assertTrue(result.notCarried().contains("line 16: virtual_server 10.0.0.1 80: real_server 10.0.1.1 80: HTTP_GET"
                + " { ... } (a health check: jlvs-healthcheck configures checks (lvs:check-*))"), result.notCarried().toString());
        assertTrue(result.notCarried().contains("line 10: virtual_server 10.0.0.1 80: sorry_server (health checking:"
                + " see jlvs-healthcheck)"), result.notCarried().toString());
        assertEquals(2, result.services().size());
    }

    @Test
    void appliesChecksAndQuorumsReplacingTheFormerChecks() {
        FakeHealthMonitor monitor = new FakeHealthMonitor();
        CheckSpec old = new CheckSpec(WEB, Ip4.parse("10.0.1.1"), 80, "ping", Map.of());
        CheckSpec elsewhere = new CheckSpec(new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.2"), 80), 1, 80, "tcp", Map.of());
        monitor.addCheck(old);
        monitor.addCheck(elsewhere);
        monitor.types = java.util.Set.of("tcp", "http", "ssl", "dns", "udp", "ping"); // no misc checker
        KeepalivedImport.Result result = KeepalivedImport.read(CONF, true);
        List<String> refused = HealthImport.apply(monitor, result);
        assertEquals(List.of("line 50: TCP 10.0.0.1:80 -> 10.0.1.2:80 misc: no misc checker is installed (installed: dns,"
                + " http, ping, ssl, tcp, udp): install the jlvs-check-misc feature"), refused);
        assertEquals(List.of(elsewhere.toString(), "TCP 10.0.0.1:80 -> 10.0.1.1:80 http", "TCP 10.0.0.1:80 -> 10.0.1.1:80 tcp",
                "TCP 10.0.0.1:80 -> 10.0.1.2:80 ssl", "UDP 10.0.0.1:53 -> 10.0.1.3:53 dns",
                "UDP 10.0.0.1:53 -> 10.0.1.3:53 udp", "UDP 10.0.0.1:53 -> 10.0.1.3:53 ping"),
                monitor.checks.stream().map(CheckSpec::toString).toList());
        assertEquals("4", monitor.checks.get(1).options().get("retry"));
        assertEquals(new QuorumConfig(3, 1, Ip4.parse("10.0.2.1"), 8080), monitor.quorum(WEB));
        assertEquals(QuorumConfig.DEFAULT, monitor.quorums.get(DNS)); // set: the file is the service's configuration
    }

    @Test
    void aServerWithSeveralFormerChecksLosesThemAll() {
        FakeHealthMonitor monitor = new FakeHealthMonitor();
        monitor.addCheck(new CheckSpec(WEB, Ip4.parse("10.0.1.1"), 80, "ping", Map.of()));
        monitor.addCheck(new CheckSpec(WEB, Ip4.parse("10.0.1.1"), 80, "udp", Map.of()));
        List<String> refused = HealthImport.apply(monitor, KeepalivedImport.read(CONF, true));
        assertEquals(List.of(), refused);
        assertEquals(List.of("TCP 10.0.0.1:80 -> 10.0.1.1:80 http", "TCP 10.0.0.1:80 -> 10.0.1.1:80 tcp"),
                monitor.checks.stream().map(CheckSpec::toString).filter(c -> c.contains("10.0.1.1:80")).toList());
        assertEquals(List.of("TCP 10.0.0.1:80 10.0.1.1:80 null"), monitor.removed, "one removal per server");
    }

    @Test
    void describesTheChangesAsCheckAddOptions() {
        List<String> lines = HealthImport.describe(KeepalivedImport.read(CONF, true));
        assertEquals("set quorum TCP 10.0.0.1:80 quorum 3 hysteresis 1 sorry_server 10.0.2.1:8080", lines.stream().filter(l -> l.startsWith("set quorum TCP")).findFirst().orElse(""));
        assertEquals("add check TCP 10.0.0.1:80 -r 10.0.1.2:80 --type misc --alpha --delay-loop 6 --misc-dynamic"
                + " --misc-path \"/usr/local/bin/check.sh 10.0.1.2\" --misc-timeout 4 --retry 2", lines.stream().filter(l -> l.contains("--type misc")).findFirst().orElse(""));
    }

    @Test
    void refusesABadQuorumValueWithItsLine() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> KeepalivedImport.read("virtual_server 10.0.0.1 80 {\n quorum many\n real_server 10.0.1.1 80 {\n }\n}\n", true));
        assertTrue(e.getMessage().startsWith("line 2: "), e.getMessage());
    }
}
