package org.jlvs.shell.internal.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
import org.jlvs.ipvsadm.SchedulerBundle;
import org.junit.jupiter.api.Test;

class LvsFormatTest {
    /** A table as --no-format prints it. */
    private static String printed(Listing table) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        table.print(new PrintStream(out, true, StandardCharsets.UTF_8), true);
        return out.toString(StandardCharsets.UTF_8);
    }

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
        List<SchedulerBundle> two = List.of(new SchedulerBundle("wlc", 66, "0.1.0.SNAPSHOT", 12),
                new SchedulerBundle("rr", 57, "0.1.0.SNAPSHOT", 11));
        assertEquals("rr\t57\t0.1.0.SNAPSHOT\t-\n"
                + "wlc\t66\t0.1.0.SNAPSHOT\tTCP 10.0.0.1:80\n", printed(LvsFormat.schedulerTable(two, List.of(bound, unbound))));
        assertEquals("Installed forwarding methods: Masq (-m)\n"
                + "Services whose scheduler is not installed (new connections are refused):\n"
                + "UDP  10.0.0.1:53 sh\n"
                + "Real servers whose forwarding method is not installed:\n"
                + "TCP  10.0.0.1:80 -> 192.168.1.11:80 Route\n",
                LvsFormat.schedulerNotes(Set.of(ForwardMethod.MASQ), List.of(bound, unbound)));
        assertEquals("Installed forwarding methods: none\n", LvsFormat.schedulerNotes(Set.of(), List.of()));
    }

    @Test
    void aSecondBundleOfOneNameIsShownAsStandbyAndServicesStayOnTheFirst() {
        ServiceKey web = new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.1"), 80);
        ServiceInfo bound = new ServiceInfo(ServiceConfig.of(web, "rr"), true, List.of(), Stats.ZERO);
        String text = printed(LvsFormat.schedulerTable(List.of(new SchedulerBundle("rr", 90, "0.2.0", 31),
                new SchedulerBundle("rr", 57, "0.1.0", 11)), List.of(bound)));
        assertEquals("rr\t57\t0.1.0\tTCP 10.0.0.1:80\n"
                + "rr\t90\t0.2.0\t- (standby)\n", text);
    }

    @Test
    void schedulerRowsSplitIntoFourTabSeparatedFieldsEvenWithLongValues() {
        ServiceInfo a = new ServiceInfo(ServiceConfig.of(new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.1"), 80), "lblcr"),
                true, List.of(), Stats.ZERO);
        ServiceInfo b = new ServiceInfo(ServiceConfig.of(new ServiceKey(Protocol.UDP, Ip4.parse("10.0.0.2"), 53), "lblcr"),
                true, List.of(), Stats.ZERO);
        String text = printed(LvsFormat.schedulerTable(List.of(new SchedulerBundle("lblcr", 1234567, "10.20.30.qualifier-2024", 5)),
                List.of(a, b)));
        String row = text.split("\n")[0];
        assertEquals(List.of("lblcr", "1234567", "10.20.30.qualifier-2024", "TCP 10.0.0.1:80, UDP 10.0.0.2:53"),
                List.of(row.split("\t", 4)));
    }
}
