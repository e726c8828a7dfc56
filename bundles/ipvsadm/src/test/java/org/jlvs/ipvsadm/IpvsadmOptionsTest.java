package org.jlvs.ipvsadm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Set;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.Protocol;
import org.jlvs.api.SchedulerFlags;
import org.jlvs.api.ServiceKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class IpvsadmOptionsTest {
    private static void refused(String message, Executable call) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void serviceFromTcpOrUdp() {
        assertEquals(new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.1"), 80), IpvsadmOptions.service("10.0.0.1:80", null, true));
        assertEquals(new ServiceKey(Protocol.UDP, Ip4.parse("10.0.0.1"), 53), IpvsadmOptions.service(null, "10.0.0.1:53", true));
        // like ipvsadm, an address without a port names the port-0 service
        assertEquals(new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.1"), 0), IpvsadmOptions.service("10.0.0.1", null, true));
        assertNull(IpvsadmOptions.service(null, null, false));
    }

    @Test
    void ipv6ServicesServersAndPrefixLengths() {
        Ip6Address vip = Ip6Address.parse("2001:db8::1");
        assertEquals(new ServiceKey(Protocol.TCP, vip, 80), IpvsadmOptions.service("[2001:db8::1]:80", null, true));
        assertEquals(new ServiceKey(Protocol.UDP, vip, 0), IpvsadmOptions.service(null, "[2001:db8::1]", true));
        assertEquals(new ServiceKey(Protocol.TCP, vip, 0), IpvsadmOptions.service("2001:db8::1", null, true));
        assertEquals(new Endpoint(0, 8080, Ip6Address.parse("::1")), IpvsadmOptions.server("[::1]:8080", 80));
        assertEquals(new Endpoint(0, 80, Ip6Address.parse("2001:db8::11")), IpvsadmOptions.server("2001:db8::11", 80));
        assertEquals("[2001:db8::11]:80", IpvsadmOptions.server("[2001:db8::11]", 80).toString());
        refused("bad port in address: [2001:db8::1]:65536", () -> IpvsadmOptions.service("[2001:db8::1]:65536", null, true));
        refused("bad port in address: [2001:db8::1]x", () -> IpvsadmOptions.service("[2001:db8::1]x", null, true));
        refused("bad IPv6 address: 2001:db8:::1", () -> IpvsadmOptions.server("[2001:db8:::1]:80", 80));
        assertEquals(64, IpvsadmOptions.netmask(new ServiceKey(Protocol.TCP, vip, 80), "64"));
        assertEquals(128, IpvsadmOptions.prefixLength("/128"));
        refused("bad IPv6 netmask: 0 (a prefix length 1..128)", () -> IpvsadmOptions.prefixLength("0"));
        refused("bad IPv6 netmask: 129 (a prefix length 1..128)", () -> IpvsadmOptions.prefixLength("129"));
        // an IPv4 service keeps its netmask rules
        assertEquals(0xffffff00, IpvsadmOptions.netmask(new ServiceKey(Protocol.TCP, 1, 80), "24"));
    }

    @Test
    void serviceRefusals() {
        refused("give either -t or -u, not both", () -> IpvsadmOptions.service("10.0.0.1:80", "10.0.0.1:80", false));
        refused("missing service: give -t VIP:PORT or -u VIP:PORT", () -> IpvsadmOptions.service(null, null, true));
        refused("bad IPv4 address: 10.0.0.300", () -> IpvsadmOptions.service("10.0.0.300:80", null, true));
        refused("bad port in address: 10.0.0.1:http", () -> IpvsadmOptions.service("10.0.0.1:http", null, true));
        refused("bad port in address: 10.0.0.1:65536", () -> IpvsadmOptions.service("10.0.0.1:65536", null, true));
        refused("bad port in address: 10.0.0.1:", () -> IpvsadmOptions.service("10.0.0.1:", null, true));
        refused("bad IPv4 address: www.example.com", () -> IpvsadmOptions.service("www.example.com:80", null, true));
    }

    @Test
    void realServerPortDefaultsToTheServicePort() {
        assertEquals(new Endpoint(Ip4.parse("192.168.1.11"), 8080), IpvsadmOptions.server("192.168.1.11", 8080));
        assertEquals(new Endpoint(Ip4.parse("192.168.1.11"), 81), IpvsadmOptions.server("192.168.1.11:81", 8080));
        assertEquals("192.168.1.11:81", IpvsadmOptions.server("192.168.1.11:81", 0).toString());
        refused("bad IPv4 address: 192.168.1", () -> IpvsadmOptions.server("192.168.1:80", 80));
        refused("missing real server address", () -> IpvsadmOptions.server("", 80));
    }

    @Test
    void netmaskDottedOrPrefixLength() {
        assertEquals(0xffffff00, IpvsadmOptions.netmask("255.255.255.0"));
        assertEquals(0xffffff00, IpvsadmOptions.netmask("24"));
        assertEquals(0xffff0000, IpvsadmOptions.netmask("/16"));
        assertEquals(0xffffffff, IpvsadmOptions.netmask("32"));
        assertEquals(0, IpvsadmOptions.netmask("0"));
        refused("bad netmask: 255.0.255.0 (not contiguous)", () -> IpvsadmOptions.netmask("255.0.255.0"));
        refused("bad netmask: 33", () -> IpvsadmOptions.netmask("33"));
        refused("bad netmask: 255.255.255.256", () -> IpvsadmOptions.netmask("255.255.255.256"));
    }

    @Test
    void schedulerFlagsCheckedAgainstTheScheduler() {
        assertEquals(SchedulerFlags.SH_FALLBACK | SchedulerFlags.SH_PORT,
                IpvsadmOptions.schedulerFlags("sh", "sh-fallback,sh-port"));
        assertEquals(SchedulerFlags.MH_PORT, IpvsadmOptions.schedulerFlags("mh", "mh-port"));
        assertEquals(SchedulerFlags.SCHED1 | SchedulerFlags.SCHED3, IpvsadmOptions.schedulerFlags("wlc", "flag-1,,flag-3"));
        assertEquals(0, IpvsadmOptions.schedulerFlags("wlc", null));
        refused("incompatible scheduler flag 'sh-port': it is for the sh scheduler, not wlc",
                () -> IpvsadmOptions.schedulerFlags("wlc", "sh-port"));
        refused("incompatible scheduler flag 'mh-fallback': it is for the mh scheduler, not sh",
                () -> IpvsadmOptions.schedulerFlags("sh", "sh-port,mh-fallback"));
        refused("invalid scheduler flag 'fast': known are flag-1, flag-2, flag-3, sh-fallback, sh-port, mh-fallback, mh-port",
                () -> IpvsadmOptions.schedulerFlags("rr", "fast"));
    }

    @Test
    void persistenceTimeoutIsTheTrailingWord() {
        assertEquals(0, IpvsadmOptions.persistence(false, null));
        assertEquals(360, IpvsadmOptions.persistence(true, List.of()));
        assertEquals(600, IpvsadmOptions.persistence(true, List.of("600")));
        refused("unexpected argument '600': a persistence timeout must follow -p",
                () -> IpvsadmOptions.persistence(false, List.of("600")));
        refused("unexpected argument '-s': options after the persistence timeout are not read, write -p TIMEOUT last",
                () -> IpvsadmOptions.persistence(true, List.of("600", "-s", "rr")));
        refused("bad persistence timeout '0': must be 1..2678400", () -> IpvsadmOptions.persistence(true, List.of("0")));
        refused("bad persistence timeout 'ten': must be 1..2678400", () -> IpvsadmOptions.persistence(true, List.of("ten")));
    }

    @Test
    void forwardMethodSelection() {
        assertNull(IpvsadmOptions.forwardMethod(false, false, false));
        assertEquals(ForwardMethod.MASQ, IpvsadmOptions.forwardMethod(true, false, false));
        assertEquals(ForwardMethod.ROUTE, IpvsadmOptions.forwardMethod(false, true, false));
        assertEquals(ForwardMethod.TUNNEL, IpvsadmOptions.forwardMethod(false, false, true));
        refused("-m, -g and -i exclude each other: give one", () -> IpvsadmOptions.forwardMethod(true, true, false));
    }

    @Test
    void numbers() {
        assertEquals(0, IpvsadmOptions.weight("0"));
        assertEquals(65535, IpvsadmOptions.weight("65535"));
        refused("bad weight '65536': must be 0..65535", () -> IpvsadmOptions.weight("65536"));
        refused("bad weight '-1': must be 0..65535", () -> IpvsadmOptions.weight("-1"));
        refused("bad weight 'heavy': must be 0..65535", () -> IpvsadmOptions.weight("heavy"));
        assertEquals(Integer.MAX_VALUE, IpvsadmOptions.threshold("2147483647", "upper threshold"));
        refused("bad upper threshold '2147483648': must be 0..2147483647",
                () -> IpvsadmOptions.threshold("2147483648", "upper threshold"));
        refused("bad limit '99999999999999999999': must be 0..9223372036854775807",
                () -> IpvsadmOptions.number("99999999999999999999", 0, Long.MAX_VALUE, "limit"));
    }

    @Test
    void installedSchedulersAndForwarders() {
        IpvsadmOptions.requireScheduler(Set.of("rr", "wlc"), "rr");
        refused("unknown scheduler 'foo': installed are rr, wlc", () -> IpvsadmOptions.requireScheduler(Set.of("wlc", "rr"), "foo"));
        refused("scheduler 'sh' is not installed (installed are rr, wlc): install the jlvs-scheduler-sh feature",
                () -> IpvsadmOptions.requireScheduler(Set.of("wlc", "rr"), "sh"));
        refused("unknown scheduler 'foo': installed are none", () -> IpvsadmOptions.requireScheduler(Set.of(), "foo"));

        IpvsadmOptions.requireForwarder(Set.of(ForwardMethod.MASQ), ForwardMethod.MASQ);
        refused("forwarding method Route (-g) is not installed: install the jlvs-forward-dr feature",
                () -> IpvsadmOptions.requireForwarder(Set.of(ForwardMethod.MASQ), ForwardMethod.ROUTE));
        refused("forwarding method Tunnel (-i) is not installed: install the jlvs-forward-tun feature",
                () -> IpvsadmOptions.requireForwarder(Set.of(ForwardMethod.MASQ), ForwardMethod.TUNNEL));
        refused("forwarding method Masq (-m) is not installed: install the jlvs-forward-nat feature",
                () -> IpvsadmOptions.requireForwarder(Set.of(), ForwardMethod.MASQ));
    }
}
