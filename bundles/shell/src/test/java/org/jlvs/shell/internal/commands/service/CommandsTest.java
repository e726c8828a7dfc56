package org.jlvs.shell.internal.commands.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.karaf.shell.support.CommandException;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.SchedulerFlags;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.fake.FakeVirtualServerTable;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.shell.internal.commands.LvsAction;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Constants;

class CommandsTest {
    /** A director with the rr and wlc schedulers and the NAT forwarder installed. */
    private final FakeVirtualServerTable table = new FakeVirtualServerTable().installOnly(Set.of("rr", "wlc"), ForwardMethod.MASQ);
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private static final ServiceKey WEB = new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.1"), 80);

    private <T extends LvsAction> T command(T action) {
        action.table = table;
        action.out = new PrintStream(output, true, StandardCharsets.UTF_8);
        action.err = action.out;
        return action;
    }

    private String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    /** Runs a command that must be refused with {@code message} and leave the table unchanged. */
    private void refused(String message, LvsAction action) {
        int before = table.changeCount();
        CommandException e = assertThrows(CommandException.class, action::execute);
        assertEquals(message, e.getMessage());
        assertEquals(before, table.changeCount(), "a refused command changed the table");
    }

    private AddServiceCommand addService(String tcp) {
        AddServiceCommand c = command(new AddServiceCommand());
        c.tcp = tcp;
        return c;
    }

    private AddServerCommand addServer(String rip) {
        AddServerCommand c = command(new AddServerCommand());
        c.tcp = "10.0.0.1:80";
        c.realServer = rip;
        return c;
    }

    private void webService() {
        table.addService(ServiceConfig.of(WEB, "wlc"));
    }

    @Test
    void addServiceWithDefaults() throws Exception {
        assertNull(addService("10.0.0.1:80").execute());
        ServiceConfig stored = table.services.get(WEB);
        assertEquals("wlc", stored.scheduler());
        assertEquals(0, stored.persistence());
        assertEquals(0xffffffff, stored.persistenceMask());
        assertEquals(0, stored.schedulerFlags());
    }

    @Test
    void addServiceWithEveryOption() throws Exception {
        table.schedulers.add("sh");
        AddServiceCommand c = command(new AddServiceCommand());
        c.udp = "10.0.0.1:53";
        c.scheduler = "sh";
        c.flags = "sh-fallback,sh-port";
        c.persistent = true;
        c.trailing = List.of("600");
        c.netmask = "255.255.255.0";
        c.execute();
        ServiceConfig stored = table.services.get(new ServiceKey(Protocol.UDP, Ip4.parse("10.0.0.1"), 53));
        assertEquals(new ServiceConfig(stored.key(), "sh", SchedulerFlags.SH_FALLBACK | SchedulerFlags.SH_PORT, 600,
                0xffffff00), stored);
    }

    @Test
    void persistentWithoutTimeoutTakes360AndAllowsPortZero() throws Exception {
        AddServiceCommand c = addService("10.0.0.1");
        c.persistent = true;
        c.execute();
        assertEquals(360, table.services.get(new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.1"), 0)).persistence());
    }

    @Test
    void addServiceRefusals() {
        AddServiceCommand foo = addService("10.0.0.1:80");
        foo.scheduler = "foo";
        refused("unknown scheduler 'foo': installed are rr, wlc", foo);

        AddServiceCommand sh = addService("10.0.0.1:80");
        sh.scheduler = "sh";
        refused("scheduler 'sh' is not installed (installed are rr, wlc): install the jlvs-scheduler-sh feature", sh);

        refused("bad IPv4 address: 10.0.0.300", addService("10.0.0.300:80"));

        AddServiceCommand both = addService("10.0.0.1:80");
        both.udp = "10.0.0.1:80";
        refused("give either -t or -u, not both", both);

        refused("missing service: give -t VIP:PORT or -u VIP:PORT", addService(null));

        AddServiceCommand flags = addService("10.0.0.1:80");
        flags.flags = "sh-port";
        refused("incompatible scheduler flag 'sh-port': it is for the sh scheduler, not wlc", flags);

        refused("Zero port specified for non-persistent service", addService("10.0.0.1"));

        AddServiceCommand mask = addService("10.0.0.1:80");
        mask.netmask = "255.0.255.0";
        refused("bad netmask: 255.0.255.0 (not contiguous)", mask);

        AddServiceCommand timeout = addService("10.0.0.1:80");
        timeout.trailing = List.of("600");
        refused("unexpected argument '600': a persistence timeout must follow -p", timeout);

        // "lvs:add-service -p 600 -t 10.0.0.1:80": Karaf hands "600 -t 10.0.0.1:80" over as arguments
        AddServiceCommand early = addService(null);
        early.persistent = true;
        early.trailing = List.of("600", "-t", "10.0.0.1:80");
        refused("unexpected argument '-t': options after the persistence timeout are not read, write -p TIMEOUT last", early);

        assertTrue(table.services.isEmpty());
    }

    @Test
    void tableRefusalsReachTheUserAsOneLine() throws Exception {
        webService();
        refused("Service already exists: TCP 10.0.0.1:80", addService("10.0.0.1:80"));
        DeleteServiceCommand delete = command(new DeleteServiceCommand());
        delete.tcp = "10.0.0.2:80";
        refused("No such service: TCP 10.0.0.2:80", delete);
    }

    @Test
    void editServiceReplacesTheSettingsAsIpvsadmE() throws Exception {
        table.addService(new ServiceConfig(WEB, "wlc", 0, 300, 0xffffff00));
        EditServiceCommand c = command(new EditServiceCommand());
        c.tcp = "10.0.0.1:80";
        c.scheduler = "rr";
        c.execute();
        assertEquals(ServiceConfig.of(WEB, "rr"), table.services.get(WEB));

        EditServiceCommand bad = command(new EditServiceCommand());
        bad.tcp = "10.0.0.1:80";
        bad.scheduler = "lc";
        refused("scheduler 'lc' is not installed (installed are rr, wlc): install the jlvs-scheduler-lc feature", bad);
        assertEquals("rr", table.services.get(WEB).scheduler());
    }

    @Test
    void deleteServiceAndClear() throws Exception {
        webService();
        DeleteServiceCommand delete = command(new DeleteServiceCommand());
        delete.tcp = "10.0.0.1:80";
        delete.execute();
        assertTrue(table.services.isEmpty());
        webService();
        command(new ClearCommand()).execute();
        assertTrue(table.services.isEmpty());
    }

    @Test
    void addServerDefaultsToNatWeightOneAndTheServicePort() throws Exception {
        webService();
        addServer("192.168.1.11").execute();
        assertEquals(new ServerConfig(Ip4.parse("192.168.1.11"), 80, ForwardMethod.MASQ, 1, 0, 0), table.server(WEB, 0));

        AddServerCommand c = addServer("192.168.1.12:8080");
        c.weight = "5";
        c.upperThreshold = "100";
        c.lowerThreshold = "50";
        c.execute();
        assertEquals(new ServerConfig(Ip4.parse("192.168.1.12"), 8080, ForwardMethod.MASQ, 5, 100, 50), table.server(WEB, 1));
    }

    @Test
    void addServerRefusesAMethodThatIsNotInstalled() {
        webService();
        AddServerCommand dr = addServer("192.168.1.11");
        dr.gatewaying = true;
        refused("forwarding method Route (-g) is not installed: install the jlvs-forward-dr feature", dr);
        AddServerCommand tun = addServer("192.168.1.11");
        tun.ipip = true;
        refused("forwarding method Tunnel (-i) is not installed: install the jlvs-forward-tun feature", tun);
        assertTrue(table.servers.get(WEB).isEmpty());
    }

    @Test
    void directRoutingUsesTheServicePortAsIpvsadm() throws Exception {
        webService();
        table.methods.add(ForwardMethod.ROUTE);
        AddServerCommand dr = addServer("192.168.1.11:8080");
        dr.gatewaying = true;
        dr.execute();
        assertEquals(new ServerConfig(Ip4.parse("192.168.1.11"), 80, ForwardMethod.ROUTE, 1, 0, 0), table.server(WEB, 0));
    }

    @Test
    void addServerRefusals() throws Exception {
        webService();
        AddServerCommand heavy = addServer("192.168.1.11");
        heavy.weight = "70000";
        refused("bad weight '70000': must be 0..65535", heavy);

        AddServerCommand two = addServer("192.168.1.11");
        two.masquerading = true;
        two.gatewaying = true;
        refused("-m, -g and -i exclude each other: give one", two);

        refused("bad IPv4 address: 192.168.1.256", addServer("192.168.1.256"));
        refused("missing real server: give -r RIP[:PORT]", addServer(null));

        AddServerCommand noService = addServer("192.168.1.11");
        noService.tcp = "10.0.0.9:80";
        refused("No such service: TCP 10.0.0.9:80", noService);

        addServer("192.168.1.11").execute();
        refused("Destination already exists: 192.168.1.11:80 in TCP 10.0.0.1:80", addServer("192.168.1.11:80"));
        assertEquals(1, table.servers.get(WEB).size());
    }

    @Test
    void editServerChangesOnlyWhatIsGiven() throws Exception {
        webService();
        table.methods.add(ForwardMethod.ROUTE);
        table.addServer(WEB, new ServerConfig(Ip4.parse("192.168.1.11"), 80, ForwardMethod.ROUTE, 3, 100, 10));
        // the Route forwarder goes away: quiescing must still work, the method is kept
        table.methods.remove(ForwardMethod.ROUTE);
        EditServerCommand quiesce = command(new EditServerCommand());
        quiesce.tcp = "10.0.0.1:80";
        quiesce.realServer = "192.168.1.11";
        quiesce.weight = "0";
        quiesce.execute();
        assertEquals(new ServerConfig(Ip4.parse("192.168.1.11"), 80, ForwardMethod.ROUTE, 0, 100, 10), table.server(WEB, 0));

        EditServerCommand tun = command(new EditServerCommand());
        tun.tcp = "10.0.0.1:80";
        tun.realServer = "192.168.1.11";
        tun.ipip = true;
        refused("forwarding method Tunnel (-i) is not installed: install the jlvs-forward-tun feature", tun);

        EditServerCommand nat = command(new EditServerCommand());
        nat.tcp = "10.0.0.1:80";
        nat.realServer = "192.168.1.11";
        nat.masquerading = true;
        nat.lowerThreshold = "0";
        nat.execute();
        assertEquals(new ServerConfig(Ip4.parse("192.168.1.11"), 80, ForwardMethod.MASQ, 0, 100, 0), table.server(WEB, 0));
    }

    @Test
    void editServerRefusals() {
        webService();
        EditServerCommand missing = command(new EditServerCommand());
        missing.tcp = "10.0.0.1:80";
        missing.realServer = "192.168.1.99:80";
        missing.weight = "2";
        refused("No such real server: 192.168.1.99:80 in TCP 10.0.0.1:80", missing);

        EditServerCommand noService = command(new EditServerCommand());
        noService.tcp = "10.0.0.2:80";
        noService.realServer = "192.168.1.11";
        refused("No such service: TCP 10.0.0.2:80", noService);
    }

    @Test
    void deleteServer() throws Exception {
        webService();
        table.addServer(WEB, ServerConfig.of(Ip4.parse("192.168.1.11"), 80, ForwardMethod.MASQ, 1));
        DeleteServerCommand wrongPort = command(new DeleteServerCommand());
        wrongPort.tcp = "10.0.0.1:80";
        wrongPort.realServer = "192.168.1.11:81";
        refused("No such destination: 192.168.1.11:81 in TCP 10.0.0.1:80", wrongPort);
        DeleteServerCommand delete = command(new DeleteServerCommand());
        delete.tcp = "10.0.0.1:80";
        delete.realServer = "192.168.1.11";
        delete.execute();
        assertTrue(table.servers.get(WEB).isEmpty());
    }

    @Test
    void listPrintsIpvsadmLayout() throws Exception {
        webService();
        table.addServer(WEB, ServerConfig.of(Ip4.parse("192.168.1.11"), 80, ForwardMethod.MASQ, 1));
        command(new ListCommand()).execute();
        assertEquals("IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                + "TCP  10.0.0.1:80 wlc\n"
                + "  -> 192.168.1.11:80              Masq    1      0          0         \n", output());
    }

    @Test
    void listOneServiceWithStats() throws Exception {
        webService();
        ListCommand list = command(new ListCommand());
        list.tcp = "10.0.0.1:80";
        list.stats = true;
        list.execute();
        assertEquals("Prot LocalAddress:Port               Conns   InPkts  OutPkts  InBytes OutBytes\n"
                + "  -> RemoteAddress:Port\n"
                + "TCP  10.0.0.1:80                         0        0        0        0        0\n", output());
    }

    @Test
    void listRefusals() {
        ListCommand missing = command(new ListCommand());
        missing.tcp = "10.0.0.1:80";
        refused("No such service: TCP 10.0.0.1:80", missing);

        ListCommand limit = command(new ListCommand());
        limit.limit = "10";
        refused("--limit applies to the connection listing (-c) only", limit);

        ListCommand conflict = command(new ListCommand());
        conflict.connection = true;
        conflict.stats = true;
        refused("-c cannot be combined with --stats, --rate or --thresholds", conflict);

        ListCommand noTable = command(new ListCommand());
        noTable.connection = true;
        refused("the connection table is not available (is the jlvs-core feature running?)", noTable);
        assertEquals("", output());
    }

    @Test
    void zero() throws Exception {
        webService();
        ZeroCommand one = command(new ZeroCommand());
        one.tcp = "10.0.0.1:80";
        one.execute();
        assertEquals(WEB, table.zeroed);

        ZeroCommand missing = command(new ZeroCommand());
        missing.udp = "10.0.0.1:80";
        refused("No such service: UDP 10.0.0.1:80", missing);

        table.zeroed = WEB;
        command(new ZeroCommand()).execute();
        assertNull(table.zeroed);
    }

    @Test
    void counters() throws Exception {
        table.counters.put("rx.frames", 10L);
        table.counters.put("drop.not-vip", 2L);
        command(new CountersCommand()).execute();
        assertEquals("rx.frames" + " ".repeat(23) + " 10\n" + "drop.not-vip" + " ".repeat(20) + " 2\n", output());
    }

    @Test
    void listAndCountersSayWhichInterfacesAreDownAndWhy() throws Exception {
        String why = "libpcap cannot be loaded: Unable to load library 'pcap' - install it: apt-get install -y libpcap0.8";
        table.down.put("eth0", why);
        table.down.put("eth9", "no such interface");
        table.counters.put("rx.frames", 0L);
        command(new ListCommand()).execute();
        // the listing stays ipvsadm's; the reasons follow it, one line per interface
        String lines = "data path down on eth0: " + why + "\ndata path down on eth9: no such interface\n";
        assertEquals("IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n" + lines, output());

        output.reset();
        command(new CountersCommand()).execute();
        assertEquals("rx.frames" + " ".repeat(23) + " 0\n" + lines, output());

        output.reset();
        CountersCommand counters = command(new CountersCommand());
        counters.json = true;
        counters.execute();
        String downJson = "\"dataPathDown\":[{\"interface\":\"eth0\",\"reason\":\"libpcap cannot be loaded: Unable to"
                + " load library 'pcap' - install it: apt-get install -y libpcap0.8\"},{\"interface\":\"eth9\","
                + "\"reason\":\"no such interface\"}]";
        assertEquals("{\"rx.frames\":0," + downJson + "}\n", output());

        output.reset();
        ListCommand list = command(new ListCommand());
        list.json = true;
        list.execute();
        assertEquals("{\"format\":\"jlvs-list\",\"version\":1,\"services\":[]," + downJson + "}\n", output());
    }

    @Test
    void schedulersListBundleIdVersionAndTheServicesUsingEach() throws Exception {
        ServiceKey dns = new ServiceKey(Protocol.UDP, Ip4.parse("10.0.0.1"), 53);
        ServiceKey mail = new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.2"), 25);
        table.addService(ServiceConfig.of(WEB, "rr"));
        table.addService(ServiceConfig.of(dns, "rr"));
        table.schedulers.add("sh");
        table.addService(ServiceConfig.of(mail, "sh"));
        table.schedulers.remove("sh"); // sh went away: the core has no scheduler bound to the service
        FakeRegistry registry = new FakeRegistry()
                .scheduler("wlc", 41, 66, "0.1.0.SNAPSHOT")
                .scheduler("rr", 40, 57, "0.1.0.SNAPSHOT");
        SchedulersCommand c = command(new SchedulersCommand());
        c.bundleContext = registry.context();
        c.execute();
        String notes = "Installed forwarding methods: Masq (-m)\n"
                + "Services whose scheduler is not installed (new connections are refused):\n"
                + "TCP  10.0.0.2:25 sh\n";
        assertEquals("Scheduler | Bundle | Version        | Services\n"
                + "----------+--------+----------------+---------------------------------\n"
                + "rr        |     57 | 0.1.0.SNAPSHOT | TCP 10.0.0.1:80, UDP 10.0.0.1:53\n"
                + "wlc       |     66 | 0.1.0.SNAPSHOT | -\n" + notes, output());

        output.reset();
        SchedulersCommand script = command(new SchedulersCommand());
        script.bundleContext = registry.context();
        script.noFormat = true;
        script.execute();
        assertEquals("rr\t57\t0.1.0.SNAPSHOT\tTCP 10.0.0.1:80, UDP 10.0.0.1:53\n"
                + "wlc\t66\t0.1.0.SNAPSHOT\t-\n" + notes, output());

        output.reset();
        SchedulersCommand json = command(new SchedulersCommand());
        json.bundleContext = registry.context();
        json.json = true;
        json.execute();
        JsonNode doc = new ObjectMapper().readTree(output());
        assertEquals("jlvs-schedulers", doc.get("format").asText());
        assertEquals("rr", doc.get("schedulers").get(0).get("name").asText());
        assertEquals(57, doc.get("schedulers").get(0).get("bundle").asLong());
        assertEquals("UDP 10.0.0.1:53", doc.get("schedulers").get(0).get("services").get(1).asText());
        assertEquals(0, doc.get("schedulers").get(1).get("services").size());
        assertEquals("masq", doc.get("forwardingMethods").get(0).asText());
        assertEquals("TCP 10.0.0.2:25", doc.get("unbound").get(0).get("service").asText());
        assertEquals("sh", doc.get("unbound").get(0).get("scheduler").asText());
    }

    @Test
    void schedulersSkipReferencesThatWentAwayOrHaveNoName() throws Exception {
        SchedulersCommand c = command(new SchedulersCommand());
        c.bundleContext = new FakeRegistry()
                .reference(Map.of(Constants.SERVICE_ID, 7L), FakeRegistry.bundle(9, "1.0.0"))
                .reference(Map.of(Scheduler.PROPERTY, "rr", Constants.SERVICE_ID, 8L), null)
                .context();
        c.execute();
        assertEquals("Installed schedulers: none\nInstalled forwarding methods: Masq (-m)\n", output());
    }
}
