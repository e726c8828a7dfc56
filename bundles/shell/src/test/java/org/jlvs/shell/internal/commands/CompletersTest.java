package org.jlvs.shell.internal.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.fake.FakeVirtualServerTable;
import org.junit.jupiter.api.Test;

/** The completers offer what the table (or the monitor) has, filtered by what is typed. */
class CompletersTest {
    private final FakeVirtualServerTable table = new FakeVirtualServerTable().installOnly(Set.of("rr", "wlc"), ForwardMethod.MASQ);

    CompletersTest() {
        ServiceKey web = new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.1"), 80);
        ServiceKey dns = new ServiceKey(Protocol.UDP, Ip4.parse("10.0.0.1"), 53);
        table.services.put(web, ServiceConfig.of(web, "rr"));
        table.services.put(dns, ServiceConfig.of(dns, "rr"));
        table.servers.put(web, new ArrayList<>(List.of(ServerConfig.of(Ip4.parse("10.0.1.1"), 8080, ForwardMethod.MASQ, 1))));
        table.servers.put(dns, new ArrayList<>(List.of(ServerConfig.of(Ip4.parse("192.168.1.2"), 53, ForwardMethod.MASQ, 1))));
    }

    /** What the completer offers for {@code typed}, the word under the cursor. */
    private static Set<String> offered(Completer completer, String typed) {
        List<String> candidates = new ArrayList<>();
        completer.complete(null, new CommandLine() {
            @Override public int getCursorArgumentIndex() { return 1; }
            @Override public String getCursorArgument() { return typed; }
            @Override public int getArgumentPosition() { return typed.length(); }
            @Override public String[] getArguments() { return new String[] {"-t", typed}; }
            @Override public int getBufferPosition() { return typed.length(); }
            @Override public String getBuffer() { return typed; }
        }, candidates);
        Set<String> words = new TreeSet<>();
        for (String c : candidates) words.add(c.strip());
        return words;
    }

    @Test
    void servicesOfTheOptionsProtocol() {
        TcpServiceCompleter tcp = new TcpServiceCompleter();
        tcp.table = table;
        assertEquals(Set.of("10.0.0.1:80"), offered(tcp, "10."));
        UdpServiceCompleter udp = new UdpServiceCompleter();
        udp.table = table;
        assertEquals(Set.of("10.0.0.1:53"), offered(udp, ""));
    }

    @Test
    void realServersAndSchedulers() {
        RealServerCompleter servers = new RealServerCompleter();
        servers.table = table;
        assertEquals(Set.of("10.0.1.1:8080", "192.168.1.2:53"), offered(servers, ""));
        assertEquals(Set.of("192.168.1.2:53"), offered(servers, "192"));
        SchedulerCompleter schedulers = new SchedulerCompleter();
        schedulers.table = table;
        assertEquals(Set.of("wlc"), offered(schedulers, "w"));
    }

    @Test
    void checkerTypesOnlyWithAMonitor() {
        CheckerCompleter checkers = new CheckerCompleter();
        assertEquals(Set.of(), offered(checkers, ""));
    }
}
