package org.jlvs.keepalived.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jlvs.ipvsadm.ConfigException;
import org.jlvs.ipvsadm.IpvsadmRules;
import org.junit.jupiter.api.Test;

/**
 * The keepalived.conf files under src/test/resources/keepalived-corpus, written in the style of keepalived's
 * doc/samples: each is imported whole (includes, globs, Latin-1 comments, lenient values), and the services, the
 * VRRP and sync settings and the warnings per FILE:LINE are checked. The valid samples are also given to the
 * installed keepalived (2.2.7, `keepalived -t`): every line it complains about is one the import lists too.
 */
class KeepalivedCorpusTest {
    private static final Path CORPUS = Path.of("src/test/resources/keepalived-corpus");

    private static KeepalivedConf read(String sample) throws Exception {
        return KeepalivedConf.read(KeepalivedSource.read(CORPUS.resolve(sample).resolve("keepalived.conf")), true);
    }

    private static String refused(String sample) {
        return assertThrows(ConfigException.class, () -> read(sample)).getMessage();
    }

    @Test
    void aSiteSplitOverIncludesWithLatin1CommentsAndWhatJlvsDoesNotHaveYet() throws Exception {
        KeepalivedConf c = read("site");
        assertEquals("""
                -A -t 192.168.200.16:80 -s wrr
                -a -t 192.168.200.16:80 -r 192.168.201.100:80 -m -w 3
                -a -t 192.168.200.16:80 -r 192.168.201.101:80 -m -w 1
                -A -t 192.168.200.17:443 -s sh
                -a -t 192.168.200.17:443 -r 192.168.201.100:443 -m -w 1
                -A -u 192.168.200.16:53 -s rr
                -a -u 192.168.200.16:53 -r 192.168.201.100:5353 -m -w 1
                -A -t [2001:db8::16]:80 -s rr
                -a -t [2001:db8::16]:80 -r [2001:db8::100]:80 -m -w 1
                -A -f 1 -s rr
                -a -f 1 -r 192.168.201.100:80 -m -w 1
                -A -f 5 -s rr
                -a -f 5 -r 192.168.201.100:80 -m -w 1
                """, IpvsadmRules.save(c.lvs().services().values()));
        // the group WEB is the mark service FWM 1 (5 is the file's): its addresses are mark 1's rules
        assertEquals("[1 tcp 192.168.200.20 80, 1 tcp 192.168.200.21 80]", c.lvs().marks().toString());
        assertEquals(List.of(
                "keepalived.conf:5: global_defs: notification_email { ... } (not carried over: jlvs has no such global setting)",
                "keepalived.conf:8: global_defs: router_id (not carried over: jlvs has no such global setting)",
                "conf.d/10-http.conf:5: virtual_server 192.168.200.16 80: lb_kind dr (keepalived ignores it: unknown"
                        + " routing method, Masq is kept)",
                "conf.d/10-http.conf:6: virtual_server 192.168.200.16 80: persistence_timeout 0 (keepalived ignores it:"
                        + " persistence_timeout must be 1..2678400)",
                // the IPv6 virtual server imports; an IPv6 real server of an IPv4 one is skipped, as keepalived does
                "nested/ipv6.inc:17: virtual_server 192.168.200.17 443: real_server 2001:db8::101 443 (keepalived skips"
                        + " it: the real server's address family is not the virtual server's (IPv4))",
                "conf.d/20-dns.conf:10: virtual_server fwmark 5: its mark rules (the marks of a keepalived setup come"
                        + " from iptables or nftables rules, which jlvs does not read: give the flows of mark 5 with"
                        + " lvs:mark-add 5 tcp|udp|any ADDRESSES [PORTS] (etc/org.jlvs.marks.cfg))"), c.notCarried());
        assertEquals(List.of("VI_1"), List.copyOf(c.vrrp().instances().keySet()));
        Map<String, Object> sync = c.sync().properties();
        assertEquals(Map.ofEntries(Map.entry("master.enabled", true), Map.entry("master.interface", "eth1"),
                Map.entry("master.syncid", 9), Map.entry("master.group", "224.0.0.82"), Map.entry("master.port", 8849),
                Map.entry("master.ttl", 2), Map.entry("master.maxlen", 1400), Map.entry("master.instance", "VI_1"),
                Map.entry("backup.enabled", true), Map.entry("backup.interface", "eth1"), Map.entry("backup.syncid", 9),
                Map.entry("backup.group", "224.0.0.82"), Map.entry("backup.port", 8849), Map.entry("backup.ttl", 2),
                Map.entry("backup.maxlen", 1400)), sync);
        // the Latin-1 comment was read as such: the file's first lines decode losslessly
        KeepalivedSource s = KeepalivedSource.read(CORPUS.resolve("site/keepalived.conf"));
        assertEquals("! Répartiteur de charge du site (commentaire en Latin-1)", s.lines().get(1));
        // README in conf.d is not a .conf: the glob leaves it out
        assertTrue(s.lines().stream().noneMatch(l -> l.contains("1.2.3.4")));
    }

    @Test
    void theOldSyncDaemonKeywordOfKeepalivedsOwnSample() throws Exception {
        KeepalivedConf c = read("old-sync");
        assertEquals("""
                -A -t 192.168.200.16:80 -s rr -p 50
                -a -t 192.168.200.16:80 -r 192.168.201.100:80 -m -w 1
                """, IpvsadmRules.save(c.lvs().services().values()));
        assertEquals(List.of(), c.notCarried());
        Map<String, Object> p = c.sync().properties();
        assertEquals("eth1", p.get("master.interface"));
        assertEquals("VI_1", p.get("master.instance"));
        assertEquals(51, p.get("master.syncid")); // keepalived: the instance's virtual_router_id
        assertEquals(51, p.get("backup.syncid"));
        assertEquals(false, c.vrrp().instances().get("VI_1").containsKey("lvs_sync_daemon_interface"));
    }

    @Test
    void valuesKeepalivedIgnoresAreListedAndItsDefaultsKept() throws Exception {
        KeepalivedConf c = read("lenient");
        assertEquals("""
                -A -u 10.0.0.1:80 -s wlc -p 360
                -a -u 10.0.0.1:80 -r 10.0.1.1:80 -m -w 1
                """, IpvsadmRules.save(c.lvs().services().values()));
        assertEquals(List.of(
                "keepalived.conf:2: lvs_sync_daemon: frobnicate (keepalived ignores an unknown option)",
                "keepalived.conf:2: lvs_sync_daemon: id 300 (keepalived ignores it: invalid syncid, the instance's"
                        + " virtual_router_id is used (0..255))",
                "keepalived.conf:2: lvs_sync_daemon: ttl 0 (keepalived ignores it: invalid ttl (1..255))",
                "keepalived.conf:4: include /nonexistent/keepalived.d/*.conf: no file matches (keepalived goes on without it)",
                "keepalived.conf:5: include optional/*.conf: no file matches (keepalived goes on without it)",
                "keepalived.conf:7: virtual_server 10.0.0.1 80 (no protocol: keepalived makes it UDP, as jlvs does;"
                        + " write protocol TCP for TCP)",
                "keepalived.conf:8: virtual_server 10.0.0.1 80: lb_algo nosuch (keepalived ignores it: invalid"
                        + " lvs_scheduler, the default wlc is used)",
                "keepalived.conf:12: virtual_server 10.0.0.1 80: real_server 10.0.1.1 80: weight abc (keepalived ignores"
                        + " it: the weight must be a number 0..2147483647, 1 is kept)"), c.notCarried());
        Map<String, Object> p = c.sync().properties();
        assertEquals(0, p.get("master.syncid"));
        assertEquals(1, p.get("master.ttl"));
        assertEquals("", p.get("master.instance")); // no instance: both daemons all the time
    }

    @Test
    void whatIsReallyInvalidIsRefusedWithFileAndLine() {
        assertEquals("other.conf:2: include keepalived.conf: keepalived.conf is already being read (an include loop)",
                refused("invalid-loop"));
        assertEquals("keepalived.conf:1: the '{' of virtual_server is never closed", refused("invalid-braces"));
        assertEquals("services/web.conf:4: weight 70000: jlvs weights are 0..65535 (as ipvsadm's)",
                refused("invalid-weight"));
        assertEquals("b.conf:2: TCP 10.0.0.1:80 is defined twice", refused("invalid-twice"));
    }

    /** keepalived's "(FILE: Line N) ..." complaints about a sample, as FILE's name and N. */
    private static List<String> keepalivedComplaints(String sample) throws Exception {
        Path conf = CORPUS.resolve(sample).resolve("keepalived.conf").toAbsolutePath();
        String exe = Files.isExecutable(Path.of("/usr/sbin/keepalived")) ? "/usr/sbin/keepalived" : "keepalived";
        ProcessBuilder pb = new ProcessBuilder(exe, "-t", "-n", "-l", "-D", "-f", conf.toString())
                .redirectErrorStream(true);
        Process p;
        try {
            p = pb.start();
        } catch (java.io.IOException e) {
            fail("keepalived is not installed (Debian package keepalived; lab/setup-host.sh installs it): " + e.getMessage());
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("keepalived -t did not end within 30 s");
        }
        List<String> found = new ArrayList<>();
        Matcher m = Pattern.compile("\\((?:(\\S+): )?Line (\\d+)\\)").matcher(out);
        while (m.find()) {
            String file = m.group(1) == null ? "keepalived.conf" : Path.of(m.group(1)).getFileName().toString();
            found.add(file + ":" + m.group(2));
        }
        // keepalived -t: 0 for a clean file, 5 when it logged what it ignores; anything else is not a test of the file
        assertTrue(p.exitValue() == 0 || p.exitValue() == 5, "keepalived -t " + conf + ": exit " + p.exitValue() + "\n" + out);
        assertTrue(!out.contains("open problem") && !out.contains("not found"), "keepalived could not read " + conf + ":\n" + out);
        return found;
    }

    @Test
    void everyLineKeepalivedComplainsAboutIsListed() throws Exception {
        int complaints = 0;
        for (String sample : List.of("site", "old-sync", "lenient")) {
            List<String> ours = new ArrayList<>();
            for (String w : read(sample).notCarried()) {
                String where = w.substring(0, w.indexOf(": "));
                ours.add(Path.of(where.substring(0, where.lastIndexOf(':'))).getFileName() + where.substring(where.lastIndexOf(':')));
            }
            for (String k : keepalivedComplaints(sample)) {
                complaints++;
                if (sample.equals("old-sync")) continue; // "lvs_sync_daemon_interface is deprecated": carried over
                String file = k.substring(0, k.indexOf(':'));
                int line = Integer.parseInt(k.substring(k.indexOf(':') + 1));
                // keepalived names a real server's line at the end of its block: up to 3 lines after ours
                boolean listed = ours.stream().anyMatch(o -> o.startsWith(file + ":")
                        && line - Integer.parseInt(o.substring(o.indexOf(':') + 1)) >= 0
                        && line - Integer.parseInt(o.substring(o.indexOf(':') + 1)) <= 3);
                assertTrue(listed, sample + ": keepalived complains about " + k + ", the import lists only " + ours);
            }
        }
        assertTrue(complaints >= 10, "keepalived complained " + complaints + " times");
    }

    @Test
    void theCorpusHoldsEachCase() throws Exception {
        try (var files = Files.walk(CORPUS)) {
            assertTrue(files.filter(Files::isRegularFile).count() >= 15);
        }
    }
}
