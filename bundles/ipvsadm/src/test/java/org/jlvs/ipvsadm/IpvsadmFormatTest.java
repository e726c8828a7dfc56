package org.jlvs.ipvsadm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.SchedulerFlags;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.Stats;
import org.junit.jupiter.api.Test;

/**
 * Expected texts are written out from ipvsadm 1.31's printf formats (print_title, print_service_entry,
 * print_largenum, print_conn), trailing spaces included: "%-10u" pads the last column too.
 */
class IpvsadmFormatTest {
    private static String sp(int n) {
        return " ".repeat(n);
    }

    private static ServiceKey tcp(String vip, int port) {
        return new ServiceKey(Protocol.TCP, Ip4.parse(vip), port);
    }

    private static ServerInfo server(String rip, int port, ForwardMethod m, int weight, int active, int inactive,
                                     Stats stats) {
        return new ServerInfo(new ServerConfig(Ip4.parse(rip), port, m, weight, 0, 0), active, inactive, 0, false, stats);
    }

    /** The table of ipvs.md's example: a persistent service with mask and two dests (given unsorted), an mh one, a UDP one. */
    private static List<ServiceInfo> table() {
        ServiceInfo web = new ServiceInfo(new ServiceConfig(tcp("10.0.0.100", 80), "wlc", 0, 360, Ip4.parse("255.255.255.0")),
                true, List.of(server("192.168.1.12", 80, ForwardMethod.ROUTE, 0, 0, 5, Stats.ZERO),
                              server("192.168.1.11", 80, ForwardMethod.MASQ, 1, 3, 12, Stats.ZERO)), Stats.ZERO);
        ServiceInfo mh = new ServiceInfo(new ServiceConfig(tcp("10.0.0.101", 443), "mh",
                SchedulerFlags.MH_FALLBACK | SchedulerFlags.MH_PORT, 0, 0xffffffff), true, List.of(), Stats.ZERO);
        ServiceInfo dns = new ServiceInfo(ServiceConfig.of(new ServiceKey(Protocol.UDP, Ip4.parse("10.0.0.100"), 53), "rr"),
                false, List.of(), Stats.ZERO);
        return List.of(web, mh, dns);
    }

    @Test
    void defaultListingMatchesIpvsadm() {
        String expected = "IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                + "TCP  10.0.0.100:80 wlc persistent 360 mask 255.255.255.0\n"
                + "  -> 192.168.1.11:80" + sp(14) + "Masq" + sp(4) + "1" + sp(6) + "3" + sp(10) + "12" + sp(8) + "\n"
                + "  -> 192.168.1.12:80" + sp(14) + "Route" + sp(3) + "0" + sp(6) + "0" + sp(10) + "5" + sp(9) + "\n"
                + "TCP  10.0.0.101:443 mh (mh-fallback,mh-port)\n"
                // the unbound scheduler of this service is not shown: ipvsadm has no notion of it
                + "UDP  10.0.0.100:53 rr\n";
        assertEquals(expected, IpvsadmFormat.list(table(), ListView.DEFAULT, false));
    }

    @Test
    void oneServiceHasNoVersionLine() {
        String expected = "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                + "TCP  10.0.0.101:443 mh (mh-fallback,mh-port)\n";
        assertEquals(expected, IpvsadmFormat.listOne(table().get(1), ListView.DEFAULT, false));
    }

    @Test
    void schedulerFlagsAreNamedPerScheduler() {
        int both = SchedulerFlags.SCHED1 | SchedulerFlags.SCHED2;
        assertEquals("sh-fallback,sh-port", IpvsadmFormat.schedulerFlags("sh", both));
        assertEquals("mh-port", IpvsadmFormat.schedulerFlags("mh", SchedulerFlags.SCHED2));
        assertEquals("flag-1,flag-2", IpvsadmFormat.schedulerFlags("wlc", both));
        assertEquals("flag-3", IpvsadmFormat.schedulerFlags("rr", SchedulerFlags.SCHED3));
        // ipvsadm names only sh-/mh- flags for sh and mh, so SCHED3 disappears there
        assertEquals("", IpvsadmFormat.schedulerFlags("sh", SchedulerFlags.SCHED3));
    }

    private static List<ServiceInfo> statsTable() {
        Stats svc = new Stats(1234, 56789, 45678, 345_678_901L, 1_234_567_890L,
                123_456_789L, 340, 300, 45000, 400000);
        Stats dest = new Stats(617, 28394, 22839, 1728394, 61728394,
                123_456_789L, 170, 150, 22500, 200_000_000_000L);
        ServiceInfo web = new ServiceInfo(ServiceConfig.of(tcp("10.0.0.100", 80), "wlc"), true,
                List.of(server("192.168.1.11", 80, ForwardMethod.MASQ, 1, 0, 0, dest)), svc);
        return List.of(web);
    }

    @Test
    void statsShowKAndMSuffixesFrom1e8() {
        String expected = "IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port" + sp(15) + "Conns   InPkts  OutPkts  InBytes OutBytes\n"
                + "  -> RemoteAddress:Port\n"
                + "TCP  10.0.0.100:80" + sp(15) + "     1234    56789    45678  345678K    1234M\n"
                + "  -> 192.168.1.11:80" + sp(13) + "      617    28394    22839  1728394 61728394\n";
        assertEquals(expected, IpvsadmFormat.list(statsTable(), ListView.STATS, false));
    }

    @Test
    void exactStatsPrintEveryDigitAndWidenTheColumn() {
        String expected = "TCP  10.0.0.100:80" + sp(15) + "     1234    56789    45678 345678901 1234567890\n"
                + "  -> 192.168.1.11:80" + sp(13) + "      617    28394    22839  1728394 61728394\n";
        assertEquals(expected, IpvsadmFormat.service(statsTable().get(0), ListView.STATS, true));
    }

    @Test
    void rateSuffixesServiceColumnsButNotTheDestPerSecondColumns() {
        String expected = "Prot LocalAddress:Port" + sp(17) + "CPS    InPPS   OutPPS    InBPS   OutBPS\n"
                + "  -> RemoteAddress:Port\n"
                + "TCP  10.0.0.100:80" + sp(15) + "  123456K      340      300    45000   400000\n"
                // dest CPS, InPPS, OutPPS use plain %8llu; InBPS/OutBPS go through print_largenum (200G)
                + "  -> 192.168.1.11:80" + sp(13) + " 123456789      170      150    22500     200G\n";
        assertEquals(expected, IpvsadmFormat.listOne(statsTable().get(0), ListView.RATE, false));
    }

    @Test
    void largeNumberBoundaries() {
        assertEquals(" 99999999", IpvsadmFormat.largeNumber(99_999_999L, false));
        assertEquals("  100000K", IpvsadmFormat.largeNumber(100_000_000L, false));
        assertEquals("  999999K", IpvsadmFormat.largeNumber(999_999_999L, false));
        assertEquals("    1000M", IpvsadmFormat.largeNumber(1_000_000_000L, false));
        assertEquals("   99999M", IpvsadmFormat.largeNumber(99_999_999_999L, false));
        assertEquals("     100G", IpvsadmFormat.largeNumber(100_000_000_000L, false));
        assertEquals("     100T", IpvsadmFormat.largeNumber(100_000_000_000_000L, false));
        assertEquals("        0", IpvsadmFormat.largeNumber(0, true));
        assertEquals(" 12345678", IpvsadmFormat.largeNumber(12_345_678L, true));
        assertEquals(" 123456789", IpvsadmFormat.largeNumber(123_456_789L, true));
    }

    @Test
    void thresholdsKeepTheServiceLineAndPadEveryColumn() {
        ServiceInfo svc = new ServiceInfo(new ServiceConfig(tcp("10.0.0.100", 80), "wlc", 0, 360, 0xffffffff), true,
                List.of(new ServerInfo(new ServerConfig(Ip4.parse("192.168.1.11"), 80, ForwardMethod.MASQ, 1, 100, 50),
                        3, 12, 0, false, Stats.ZERO)), Stats.ZERO);
        String expected = "Prot LocalAddress:Port" + sp(12) + "Uthreshold Lthreshold ActiveConn InActConn \n"
                + "  -> RemoteAddress:Port\n"
                + "TCP  10.0.0.100:80 wlc persistent 360\n"
                + "  -> 192.168.1.11:80" + sp(14) + "100" + sp(8) + "50" + sp(9) + "3" + sp(10) + "12" + sp(8) + "\n";
        assertEquals(expected, IpvsadmFormat.listOne(svc, ListView.THRESHOLDS, false));
    }

    @Test
    void persistentConnView() {
        ServiceInfo svc = new ServiceInfo(ServiceConfig.of(tcp("10.0.0.100", 80), "rr"), true,
                List.of(new ServerInfo(ServerConfig.of(Ip4.parse("192.168.1.11"), 80, ForwardMethod.MASQ, 2),
                        3, 12, 7, false, Stats.ZERO)), Stats.ZERO);
        String expected = "Prot LocalAddress:Port" + sp(12) + "Weight" + sp(4) + "PersistConn ActiveConn InActConn \n"
                + "  -> RemoteAddress:Port\n"
                + "TCP  10.0.0.100:80 rr\n"
                + "  -> 192.168.1.11:80" + sp(14) + "2" + sp(9) + "7" + sp(11) + "3" + sp(10) + "12" + sp(8) + "\n";
        assertEquals(expected, IpvsadmFormat.listOne(svc, ListView.PERSISTENT_CONN, false));
    }

    @Test
    void viewPrecedenceIsIpvsadms() {
        assertEquals(ListView.STATS, ListView.of(true, true, true, true));
        assertEquals(ListView.RATE, ListView.of(false, true, true, false));
        assertEquals(ListView.THRESHOLDS, ListView.of(false, false, true, true));
        assertEquals(ListView.PERSISTENT_CONN, ListView.of(false, false, false, true));
        assertEquals(ListView.DEFAULT, ListView.of(false, false, false, false));
    }

    @Test
    void connectionRows() {
        assertEquals("IPVS connection entries\n"
                + "pro expire state       source             virtual            destination\n",
                IpvsadmFormat.connectionsTitle());
        ConnectionInfo tcp = new ConnectionInfo(Protocol.TCP, "ESTABLISHED", 899_999, Ip4.parse("203.0.113.5"), 51234,
                Ip4.parse("10.0.0.100"), 80, Ip4.parse("192.168.1.11"), 80);
        assertEquals("TCP 14:59  ESTABLISHED 203.0.113.5:51234  10.0.0.100:80      192.168.1.11:80",
                IpvsadmFormat.connection(tcp));
        ConnectionInfo udp = new ConnectionInfo(Protocol.UDP, "UDP", 298_500, Ip4.parse("203.0.113.5"), 40000,
                Ip4.parse("10.0.0.100"), 53, Ip4.parse("192.168.1.21"), 53);
        assertEquals("UDP 04:58  UDP         203.0.113.5:40000  10.0.0.100:53      192.168.1.21:53",
                IpvsadmFormat.connection(udp));
    }

    @Test
    void expireIsMinutesAndSecondsRoundedDown() {
        assertEquals("00:00", IpvsadmFormat.expire(-5));
        assertEquals("00:00", IpvsadmFormat.expire(999));
        assertEquals("01:00", IpvsadmFormat.expire(60_000));
        assertEquals("120:00", IpvsadmFormat.expire(7_200_000));
    }

    @Test
    void saveRulesAsIpvsadmSave() {
        String expected = "-A -t 10.0.0.100:80 -s wlc -p 360 -M 255.255.255.0\n"
                + "-a -t 10.0.0.100:80 -r 192.168.1.11:80 -m -w 1\n"
                + "-a -t 10.0.0.100:80 -r 192.168.1.12:80 -g -w 0\n"
                + "-A -t 10.0.0.101:443 -s mh -b mh-fallback,mh-port\n"
                + "-A -u 10.0.0.100:53 -s rr\n";
        assertEquals(expected, IpvsadmFormat.rules(table()));
    }
}
