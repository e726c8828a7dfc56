package org.jlvs.ipvsadm;

import static org.jlvs.ipvsadm.Models.everything;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.ServiceKey;
import org.junit.jupiter.api.Test;

/** ipvsadm -S text as ipvsadm 1.31 prints it (print_service_entry with FMT_RULE, print_tunnel_rule). */
class IpvsadmRulesTest {
    private static final Set<String> SCHEDULERS = Set.of("rr", "wlc", "sh", "mh", "lc", "wrr");

    /** Every kind of service and real server jlvs has, as ipvsadm-save prints them (sorted). */
    static final String EVERY_KIND = """
            -A -t 10.0.0.1:0 -s rr -p 360 -M 255.255.255.0
            -a -t 10.0.0.1:0 -r 192.168.1.21:0 -m -w 1
            -A -t 10.0.0.1:80 -s wlc
            -a -t 10.0.0.1:80 -r 192.168.1.11:80 -m -w 1
            -a -t 10.0.0.1:80 -r 192.168.1.11:8080 -m -w 2
            -a -t 10.0.0.1:80 -r 192.168.1.12:80 -g -w 0
            -a -t 10.0.0.1:80 -r 192.168.1.13:80 -i -w 3 --tun-type ipip
            -a -t 10.0.0.1:80 -r 192.168.1.14:80 -i -w 65535 --tun-type gue --tun-port 6080 --tun-nocsum
            -A -t 10.0.0.3:443 -s mh -b mh-fallback,mh-port
            -A -t 10.0.0.4:80 -s rr -b flag-1,flag-2,flag-3
            -A -t 10.0.0.6:80 -s sh -p 1 -b sh-fallback
            -A -u 10.0.0.2:53 -s sh -p 600 -b sh-fallback,sh-port
            -a -u 10.0.0.2:53 -r 192.168.2.1:5353 -m -w 4
            -A -u 10.0.0.5:0 -s lc -p 2678400 -M 0.0.0.0
            -A -u 10.0.0.7:53 -s wrr -p 360 -M 255.255.255.252
            """;

    private static IpvsadmModel restore(String text) {
        IpvsadmModel model = new IpvsadmModel(Map.of(), SCHEDULERS, EnumSet.allOf(ForwardMethod.class));
        IpvsadmRules.restore(text, model);
        return model;
    }

    @Test
    void everyKindOfRuleIsReadAndPrintedBackByteForByte() {
        IpvsadmModel model = restore(EVERY_KIND);
        assertEquals(EVERY_KIND, IpvsadmRules.save(model.services().values()));
        assertEquals(8, model.services().size());
    }

    @Test
    void rulesGivenInAnyOrderAreSavedInIpvsadmsOrder() {
        String shuffled = """
                # comments and blank lines are skipped, as ipvsadm-restore does

                -A -u 10.0.0.2:53 -s sh -p 600 -b sh-port,sh-fallback
                -A -t 10.0.0.1:80 -s wlc
                -a -t 10.0.0.1:80 -r 192.168.1.12 -g -w 0
                -a -t 10.0.0.1:80 -r 192.168.1.11:80 -m
                """;
        assertEquals("""
                -A -t 10.0.0.1:80 -s wlc
                -a -t 10.0.0.1:80 -r 192.168.1.11:80 -m -w 1
                -a -t 10.0.0.1:80 -r 192.168.1.12:80 -g -w 0
                -A -u 10.0.0.2:53 -s sh -p 600 -b sh-fallback,sh-port
                """, IpvsadmRules.save(restore(shuffled).services().values()));
    }

    @Test
    void saveOfTheFullModelDropsOnlyWhatIpvsadmDoesNotSave() {
        // thresholds, a mask without persistence and tunnel settings of a NAT server are not in ipvsadm's rules
        String saved = IpvsadmRules.save(everything().values());
        IpvsadmModel again = restore(saved);
        assertEquals(saved, IpvsadmRules.save(again.services().values()));
        assertEquals(everything().keySet(), again.services().keySet());
    }

    @Test
    void aBadLineIsNamedWithItsNumberAndReason() {
        ConfigException e = assertThrows(ConfigException.class, () -> restore("""
                -A -t 10.0.0.1:80 -s rr
                -a -t 10.0.0.1:80 -r 10.0.1.1:80 -m -w 70000
                """));
        assertEquals("line 2 (-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m -w 70000): illegal weight specified", e.getMessage());
        e = assertThrows(ConfigException.class, () -> restore("-A -t 10.0.0.1:80 -s rr\n-A -t 10.0.0.1:80 -s wlc\n"));
        assertEquals("line 2 (-A -t 10.0.0.1:80 -s wlc): Service already exists", e.getMessage());
        e = assertThrows(ConfigException.class, () -> restore("-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m\n"));
        assertEquals("line 1 (-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m): Service not defined", e.getMessage());
        e = assertThrows(ConfigException.class, () -> restore("-L -n\n"));
        assertEquals("line 1 (-L -n): a rule must be one of -A -E -D -C -a -e -d, not '-L'", e.getMessage());
        e = assertThrows(ConfigException.class, () -> restore("-A -t 10.0.0.1:80 -s nosuch\n"));
        assertEquals("line 1 (-A -t 10.0.0.1:80 -s nosuch): Scheduler or persistence engine not found (unknown"
                + " scheduler 'nosuch': installed are lc, mh, rr, sh, wlc, wrr)", e.getMessage());
        e = assertThrows(ConfigException.class, () -> restore("-A -f x -s wlc\n"));
        assertEquals("line 1 (-A -f x -s wlc): invalid fwmark value `x' specified", e.getMessage());
    }

    /** Mark services as ipvsadm -S prints them: after the address services, real servers with port 0 by default. */
    @Test
    void markServicesAreSavedAndRestoredAsIpvsadmWritesThem() {
        String rules = """
                -A -t 10.0.0.1:80 -s rr
                -A -f 1 -s rr -p 300
                -a -f 1 -r 10.0.1.1:0 -m -w 1
                -a -f 1 -r 10.0.1.2:8080 -m -w 2
                -A -f 7 -s wlc
                -a -f 7 -r 10.0.1.3:0 -g -w 1
                """;
        IpvsadmModel model = restore("-A -f 7 -s wlc\n-a -f 7 -r 10.0.1.3 -g\n-A -f 1 -s rr -p 300\n-a -f 1 -r 10.0.1.1 -m\n"
                + "-a -f 1 -r 10.0.1.2:8080 -m -w 2\n-A -t 10.0.0.1:80 -s rr\n");
        assertEquals(rules, IpvsadmRules.save(model.services().values()));
        assertEquals(rules, IpvsadmRules.save(restore(rules).services().values()));
    }

    @Test
    void editsDeletesAndClearsArePlayedInOrder() {
        IpvsadmModel model = restore("""
                -A -t 10.0.0.1:80 -s rr
                -a -t 10.0.0.1:80 -r 10.0.1.1:80 -m -w 1
                -a -t 10.0.0.1:80 -r 10.0.1.2:80 -m -w 1
                -e -t 10.0.0.1:80 -r 10.0.1.1:80 -m -w 5
                -d -t 10.0.0.1:80 -r 10.0.1.2:80
                -E -t 10.0.0.1:80 -s wlc -p
                -A -u 10.0.0.9:53 -s rr
                -D -u 10.0.0.9:53
                """);
        assertEquals("""
                -A -t 10.0.0.1:80 -s wlc -p 360
                -a -t 10.0.0.1:80 -r 10.0.1.1:80 -m -w 5
                """, IpvsadmRules.save(model.services().values()));
        assertEquals(Set.of(Models.tcp("10.0.0.1", 80), Models.udp("10.0.0.9", 53)), model.touched());
        model = restore("-A -t 10.0.0.1:80 -s rr\n-C\n-A -t 10.0.0.2:80 -s rr\n");
        assertEquals(Set.of(Models.tcp("10.0.0.2", 80)), model.services().keySet());
        assertEquals(Set.<ServiceKey>of(Models.tcp("10.0.0.1", 80), Models.tcp("10.0.0.2", 80)), model.touched());
    }
}
