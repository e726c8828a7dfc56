package org.jlvs.config.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

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
                "line 57: virtual_server fwmark 7 (jlvs has no firewall-mark or group services)"), result.notCarried());
    }

    private static String refused(String text) {
        return assertThrows(ConfigException.class, () -> KeepalivedImport.read(text)).getMessage();
    }

    @Test
    void refusesWhatCannotBeReadWithItsLine() {
        assertEquals("line 3: bad weight '70000': must be 0..65535", refused("""
                virtual_server 10.0.0.1 80 {
                    real_server 10.0.1.1 80 {
                        weight 70000
                    }
                }
                """));
        assertEquals("line 1: bad IPv4 address: vip.example (jlvs takes numeric IPv4 addresses)",
                refused("virtual_server vip.example 80 {\n}\n"));
        assertEquals("line 2: unknown method LOCAL: NAT, DR or TUN",
                refused("virtual_server 10.0.0.1 80 {\n lb_kind LOCAL\n}\n"));
        assertEquals("line 1: the '{' of virtual_server is never closed", refused("virtual_server 10.0.0.1 80 {\n real_server 10.0.1.1 80 {\n weight 1\n}\n"));
        assertEquals("line 1: '}' without '{'", refused("}\n"));
        assertEquals("line 2: protocol SCTP: jlvs balances TCP and UDP",
                refused("virtual_server 10.0.0.1 80 {\n protocol SCTP\n}\n"));
        assertEquals("line 1: Zero port specified for non-persistent service", refused("virtual_server 10.0.0.1 0 {\n}\n"));
    }
}
