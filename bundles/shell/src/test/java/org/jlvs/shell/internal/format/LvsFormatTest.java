package org.jlvs.shell.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServerInfo;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceInfo;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.Stats;
import org.junit.jupiter.api.Test;

class LvsFormatTest {
    @Test
    void countersOneNameValueLineEachInOrder() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("rx.frames", 12345L);
        counters.put("drop.no-server", 0L);
        counters.put("a.counter.name.longer.than.the.column", 7L);
        String expected = "rx.frames" + " ".repeat(23) + " 12345\n"
                + "drop.no-server" + " ".repeat(18) + " 0\n"
                + "a.counter.name.longer.than.the.column 7\n";
        assertEquals(expected, LvsFormat.counters(counters));
        for (String line : expected.split("\n")) assertEquals(2, line.trim().split(" +").length);
    }

    @Test
    void schedulersShowWhatIsInstalledAndWhatWaits() {
        ServiceKey web = new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.1"), 80);
        ServiceInfo bound = new ServiceInfo(ServiceConfig.of(web, "wlc"), true, List.of(
                new ServerInfo(ServerConfig.of(Ip4.parse("192.168.1.11"), 80, ForwardMethod.ROUTE, 1), 0, 0, 0, false, Stats.ZERO)),
                Stats.ZERO);
        ServiceInfo unbound = new ServiceInfo(ServiceConfig.of(new ServiceKey(Protocol.UDP, Ip4.parse("10.0.0.1"), 53), "sh"),
                false, List.of(), Stats.ZERO);
        String expected = "Scheduler Bundle Version          Services\n"
                + "rr        57     0.1.0.SNAPSHOT   -\n"
                + "wlc       66     0.1.0.SNAPSHOT   TCP 10.0.0.1:80\n"
                + "Installed forwarding methods: Masq (-m)\n"
                + "Services whose scheduler is not installed (new connections are refused):\n"
                + "UDP  10.0.0.1:53 sh\n"
                + "Real servers whose forwarding method is not installed:\n"
                + "TCP  10.0.0.1:80 -> 192.168.1.11:80 Route\n";
        assertEquals(expected, LvsFormat.schedulers(List.of(new SchedulerBundle("wlc", 66, "0.1.0.SNAPSHOT", 12),
                new SchedulerBundle("rr", 57, "0.1.0.SNAPSHOT", 11)), Set.of(ForwardMethod.MASQ), List.of(bound, unbound)));
        assertEquals("Installed schedulers: none\nInstalled forwarding methods: none\n",
                LvsFormat.schedulers(List.of(), Set.of(), List.of()));
    }

    @Test
    void aSecondBundleOfOneNameIsShownAsStandbyAndServicesStayOnTheFirst() {
        ServiceKey web = new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.1"), 80);
        ServiceInfo bound = new ServiceInfo(ServiceConfig.of(web, "rr"), true, List.of(), Stats.ZERO);
        String text = LvsFormat.schedulers(List.of(new SchedulerBundle("rr", 90, "0.2.0", 31),
                new SchedulerBundle("rr", 57, "0.1.0", 11)), Set.of(), List.of(bound));
        assertEquals("Scheduler Bundle Version          Services\n"
                + "rr        57     0.1.0            TCP 10.0.0.1:80\n"
                + "rr        90     0.2.0            - (standby)\n"
                + "Installed forwarding methods: none\n", text);
    }

    @Test
    void schedulerRowsSplitIntoFourFieldsEvenWithLongValues() {
        ServiceInfo a = new ServiceInfo(ServiceConfig.of(new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.1"), 80), "lblcr"),
                true, List.of(), Stats.ZERO);
        ServiceInfo b = new ServiceInfo(ServiceConfig.of(new ServiceKey(Protocol.UDP, Ip4.parse("10.0.0.2"), 53), "lblcr"),
                true, List.of(), Stats.ZERO);
        String text = LvsFormat.schedulers(List.of(new SchedulerBundle("lblcr", 1234567, "10.20.30.qualifier-2024", 5)),
                Set.of(), List.of(a, b));
        String row = text.split("\n")[1];
        assertEquals(List.of("lblcr", "1234567", "10.20.30.qualifier-2024", "TCP 10.0.0.1:80, UDP 10.0.0.2:53"),
                List.of(row.split(" +", 4)));
    }
}
