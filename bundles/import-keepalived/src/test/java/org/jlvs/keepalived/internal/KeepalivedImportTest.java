package org.jlvs.keepalived.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.jlvs.api.MarkRule;
import org.jlvs.ipvsadm.ConfigException;
import org.jlvs.ipvsadm.IpvsadmRules;
import org.junit.jupiter.api.Test;

class KeepalivedImportTest {
    /** A keepalived.conf as LVS sites write them: VRRP, checkers, a sorry server, old and new keywords. */
    static final String CONF = """
            ! Configuration File for keepalived
            global_defs {
               router_id LVS_DEVEL
            }

            vrrp_instance VI_1 {
                state MASTER
                interface eth0
                virtual_router_id 51
                priority 100
                virtual_ipaddress {
                    10.0.0.1
                }
            }

            virtual_server 10.0.0.1 80 {
                delay_loop 6
                lb_algo wrr
                lb_kind NAT
                persistence_timeout 50
                persistence_granularity 255.255.255.0
                protocol TCP
                sorry_server 10.0.2.1 80

                real_server 10.0.1.1 8080 {
                    weight 3
                    uthreshold 100
                    lthreshold 50
                    HTTP_GET {
                        url { path /health ; status_code 200 }
                        connect_timeout 3
                    }
                }
                real_server 10.0.1.2 8080 {
                    weight 1
                    TCP_CHECK {
                        connect_timeout 3
                    }
                }
            }

            virtual_server 10.0.0.1 53
            {
                lvs_sched sh
                sh-port
                sh-fallback
                lvs_method DR
                protocol UDP
                real_server 10.0.1.3 5353 {
                    weight 2
                }
                real_server 10.0.1.4 53 {
                    lvs_method TUN type gue port 6080 nocsum
                }
            }

            virtual_server fwmark 7 {
                lb_algo rr
            }
            """;

    @Test
    void importsTheVirtualAndRealServersAndListsTheRest() {
        KeepalivedImport.Result result = KeepalivedImport.read(CONF);
        assertEquals("""
                -A -t 10.0.0.1:80 -s wrr -p 50 -M 255.255.255.0
                -a -t 10.0.0.1:80 -r 10.0.1.1:8080 -m -w 3
                -a -t 10.0.0.1:80 -r 10.0.1.2:8080 -m -w 1
                -A -u 10.0.0.1:53 -s sh -b sh-fallback,sh-port
                -a -u 10.0.0.1:53 -r 10.0.1.3:53 -g -w 2
                -a -u 10.0.0.1:53 -r 10.0.1.4:53 -i -w 1 --tun-type gue --tun-port 6080 --tun-nocsum
                """, IpvsadmRules.save(result.services().values()));
        assertEquals(100, result.services().firstEntry().getValue().servers().get(0).upperThreshold());
        assertEquals(List.of(
                "line 2: global_defs { ... } (not a virtual server)",
                "line 6: vrrp_instance { ... } (not a virtual server)",
                "line 17: virtual_server 10.0.0.1 80: delay_loop (health checking: see jlvs-healthcheck)",
                "line 23: virtual_server 10.0.0.1 80: sorry_server (health checking: see jlvs-healthcheck)",
                "line 29: virtual_server 10.0.0.1 80: real_server 10.0.1.1 8080: HTTP_GET { ... } (a health check:"
                        + " jlvs-healthcheck configures checks (lvs:check-*))",
                "line 36: virtual_server 10.0.0.1 80: real_server 10.0.1.2 8080: TCP_CHECK { ... } (a health check:"
                        + " jlvs-healthcheck configures checks (lvs:check-*))",
                "line 49: virtual_server 10.0.0.1 53: real_server 10.0.1.3 5353: port 5353 (with Route the service's"
                        + " port 53 is used)",
                "line 57: virtual_server fwmark 7 (keepalived ignores it: it has no real servers)"), result.notCarried());
    }

    /** A virtual_server_group is one mark service, its addresses and ranges that mark's rules. */
    @Test
    void aGroupBecomesAMarkServiceAndItsAddressesMarkRules() {
        KeepalivedImport.Result result = KeepalivedImport.read("""
                virtual_server_group WEB {
                    10.0.0.1-10 80
                    10.0.0.20 443
                    fwmark 9
                }
                virtual_server_group ANY {
                    10.0.1.0 0
                }
                virtual_server group WEB {
                    lb_algo rr
                    persistence_timeout 600
                    protocol TCP
                    real_server 10.0.2.1 80 {
                    }
                }
                virtual_server group ANY {
                    protocol UDP
                    persistence_timeout
                    real_server 10.0.2.2 0 {
                    }
                }
                virtual_server fwmark 3 {
                    real_server 10.0.2.3 0 {
                    }
                }
                """);
        assertEquals("""
                -A -f 1 -s wlc -p 360
                -a -f 1 -r 10.0.2.2:0 -m -w 1
                -A -f 3 -s wlc
                -a -f 3 -r 10.0.2.3:0 -m -w 1
                -A -f 9 -s rr -p 600
                -a -f 9 -r 10.0.2.1:80 -m -w 1
                """, IpvsadmRules.save(result.services().values()));
        assertEquals(List.of(MarkRule.parse("9 tcp 10.0.0.1-10 80"), MarkRule.parse("9 tcp 10.0.0.20 443"),
                MarkRule.parse("1 udp 10.0.1.0")), result.marks());
        assertEquals(1, result.notCarried().size(), "the fwmark's rules are the operator's: " + result.notCarried());
        KeepalivedImport.Result beside = KeepalivedImport.read(KeepalivedImport.Node.parse(
                "virtual_server_group G {\n 10.0.5.1 80\n}\nvirtual_server group G {\n protocol TCP\n"
                + " real_server 10.0.2.1 80 {\n }\n}\n"), false, java.util.Set.of(1, 2));
        assertEquals("[3 tcp 10.0.5.1 80]", beside.marks().toString(), "marks the table uses are not taken");
        assertTrue(result.notCarried().get(0).startsWith("line 22: virtual_server fwmark 3: its mark rules"),
                result.notCarried().get(0));
        assertEquals("line 2: virtual_server_group WEB: mark rule '1 tcp 10.0.0.1-300 80': bad range end in"
                + " 10.0.0.1-300", refused("""
                virtual_server_group WEB {
                    10.0.0.1-300 80
                }
                virtual_server group WEB {
                    protocol TCP
                    real_server 10.0.2.1 80 {
                    }
                }
                """));
        assertEquals("line 2: virtual_server_group WEB: expected IP PORT, IP-LAST PORT or fwmark N, not 'nonsense'",
                refused("virtual_server_group WEB {\n  nonsense 1 2\n}\n"));
    }

    private static String refused(String text) {
        return assertThrows(ConfigException.class, () -> KeepalivedImport.read(text)).getMessage();
    }

    @Test
    void refusesWhatCannotBeReadWithItsLine() {
        assertEquals("line 3: weight 70000: jlvs weights are 0..65535 (as ipvsadm's)", refused("""
                virtual_server 10.0.0.1 80 {
                    real_server 10.0.1.1 80 {
                        weight 70000
                    }
                }
                """));
        assertEquals("line 1: the '{' of virtual_server is never closed", refused("virtual_server 10.0.0.1 80 {\n real_server 10.0.1.1 80 {\n weight 1\n}\n"));
        assertEquals("line 1: '}' without '{'", refused("}\n"));
        assertEquals("line 1: Zero port specified for non-persistent service",
                refused("virtual_server 10.0.0.1 0 {\n protocol TCP\n real_server 10.0.1.1 80 {\n }\n}\n"));
        assertEquals("line 2: unterminated quote", refused("virtual_server 10.0.0.1 80 {\n lb_algo \"rr\n}\n"));
    }

    /** Where keepalived logs and goes on (its own words in brackets), the import lists the line and does the same. */
    @Test
    void followsKeepalivedWhereItIsLenient() {
        KeepalivedImport.Result r = KeepalivedImport.read("""
                virtual_server 10.0.0.1 80 {
                    lb_algo nosuch
                    lb_kind dr
                    persistence_timeout 0
                    persistence_granularity 255.255.0.x
                    protocol TCP ! a comment after a value
                    real_server 10.0.1.1 80 {
                        weight abc
                        uthreshold -1
                        lb_kind DR
                    }
                    real_server 10.0.1.1 80 {
                    }
                    real_server 10.0.1.300 80 {
                    }
                    real_server fe80::1 80 {
                    }
                }
                virtual_server vip.example 80 {
                    real_server 10.0.1.1 80 {
                    }
                }
                virtual_server 10.0.0.2 80 {
                    protocol SCTP
                    real_server 10.0.1.1 80 {
                    }
                }
                virtual_server 10.0.0.3 80 {
                    protocol TCP
                }
                virtual_server 10.0.0.4 53 {
                    persistence_timeout
                    real_server 10.0.1.1 53 {
                    }
                }
                """);
        assertEquals("""
                -A -t 10.0.0.1:80 -s wlc
                -a -t 10.0.0.1:80 -r 10.0.1.1:80 -m -w 1
                -A -u 10.0.0.4:53 -s wlc -p 360
                -a -u 10.0.0.4:53 -r 10.0.1.1:53 -m -w 1
                """, IpvsadmRules.save(r.services().values()));
        assertEquals(List.of(
                "line 2: virtual_server 10.0.0.1 80: lb_algo nosuch (keepalived ignores it: invalid lvs_scheduler, the default wlc is used)",
                "line 3: virtual_server 10.0.0.1 80: lb_kind dr (keepalived ignores it: unknown routing method, Masq is kept)",
                "line 4: virtual_server 10.0.0.1 80: persistence_timeout 0 (keepalived ignores it: persistence_timeout must be 1..2678400)",
                "line 5: virtual_server 10.0.0.1 80: persistence_granularity 255.255.0.x (keepalived ignores it: invalid persistence_granularity)",
                "line 8: virtual_server 10.0.0.1 80: real_server 10.0.1.1 80: weight abc (keepalived ignores it: the weight must be a number 0..2147483647, 1 is kept)",
                "line 9: virtual_server 10.0.0.1 80: real_server 10.0.1.1 80: uthreshold -1 (keepalived ignores it: invalid uthreshold)",
                "line 10: virtual_server 10.0.0.1 80: real_server 10.0.1.1 80: lb_kind DR (keepalived ignores it: lb_kind is not a real_server keyword (lvs_method is), Masq is kept)",
                "line 12: virtual_server 10.0.0.1 80: real_server 10.0.1.1 80 (keepalived drops it: 10.0.1.1:80 is given twice, the first one is kept)",
                "line 14: virtual_server 10.0.0.1 80: real_server 10.0.1.300 80 (keepalived skips it: invalid real server IP address/port)",
                "line 16: virtual_server 10.0.0.1 80: real_server fe80::1 80 (keepalived skips it: the real server's address family is not the virtual server's (IPv4))",
                "line 19: virtual_server vip.example 80 (keepalived skips it: invalid virtual server IP address/port)",
                "line 23: virtual_server 10.0.0.2 80 (protocol SCTP at line 24: jlvs balances TCP and UDP)",
                "line 28: virtual_server 10.0.0.3 80 (keepalived ignores it: it has no real servers)",
                "line 31: virtual_server 10.0.0.4 53 (no protocol: keepalived makes it UDP, as jlvs does; write protocol TCP for TCP)"),
                r.notCarried());
    }
}
