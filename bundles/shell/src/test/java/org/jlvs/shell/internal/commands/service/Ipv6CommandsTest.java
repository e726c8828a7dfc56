package org.jlvs.shell.internal.commands.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.karaf.shell.support.CommandException;
import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.fake.FakeConnectionTable;
import org.jlvs.api.fake.FakeVirtualServerTable;
import org.jlvs.shell.internal.commands.LvsAction;
import org.junit.jupiter.api.Test;

/** The lvs:* commands with IPv6 services and real servers: "[v6]:port" wherever an address is taken. */
class Ipv6CommandsTest {
    private static final ServiceKey WEB = ServiceKey.parse(Protocol.TCP, "[2001:db8::1]:80");
    private static final Ip6Address RIP1 = Ip6Address.parse("2001:db8::11");
    private final FakeVirtualServerTable table = new FakeVirtualServerTable().installOnly(Set.of("rr", "wlc"),
            ForwardMethod.MASQ, ForwardMethod.ROUTE);
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private <T extends LvsAction> T command(T action) {
        action.table = table;
        action.out = new PrintStream(output, true, StandardCharsets.UTF_8);
        action.err = action.out;
        return action;
    }

    private String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    private void refused(String message, LvsAction action) {
        int before = table.changeCount();
        CommandException e = assertThrows(CommandException.class, action::execute);
        assertEquals(message, e.getMessage());
        assertEquals(before, table.changeCount(), "a refused command changed the table");
    }

    private AddServerCommand addServer(String rip) {
        AddServerCommand c = command(new AddServerCommand());
        c.tcp = "[2001:db8::1]:80";
        c.realServer = rip;
        return c;
    }

    private void webService() throws Exception {
        AddServiceCommand add = command(new AddServiceCommand());
        add.tcp = "[2001:db8::1]:80";
        add.scheduler = "rr";
        assertNull(add.execute());
    }

    @Test
    void addsEditsAndDeletesIpv6ServicesAndServers() throws Exception {
        webService();
        assertEquals(128, table.services.get(WEB).persistenceMask());
        addServer("[2001:db8::11]:8080").execute();
        addServer("2001:db8::12").execute(); // a bare IPv6 address: the service's port
        assertEquals(8080, table.server(WEB, RIP1, 8080).port());
        assertEquals(80, table.server(WEB, Ip6Address.parse("2001:db8::12"), 80).port());

        EditServerCommand edit = command(new EditServerCommand());
        edit.tcp = "[2001:db8::1]:80";
        edit.realServer = "[2001:db8::11]:8080";
        edit.weight = "0";
        edit.execute();
        assertEquals(0, table.server(WEB, RIP1, 8080).weight());
        assertEquals(ForwardMethod.MASQ, table.server(WEB, RIP1, 8080).method());

        EditServerCommand missing = command(new EditServerCommand());
        missing.tcp = "[2001:db8::1]:80";
        missing.realServer = "[2001:db8::99]:80";
        missing.weight = "1";
        refused("No such real server: [2001:db8::99]:80 in TCP [2001:db8::1]:80", missing);

        DeleteServerCommand delete = command(new DeleteServerCommand());
        delete.tcp = "[2001:db8::1]:80";
        delete.realServer = "[2001:db8::11]:8080";
        delete.execute();
        assertNull(table.server(WEB, RIP1, 8080));

        ZeroCommand zero = command(new ZeroCommand());
        zero.tcp = "[2001:db8::1]:80";
        zero.execute();
        assertEquals(WEB, table.zeroed);

        DeleteServiceCommand deleteService = command(new DeleteServiceCommand());
        deleteService.tcp = "[2001:db8::1]:80";
        deleteService.execute();
        assertNull(table.get(WEB));
    }

    @Test
    void netmaskOfAnIpv6ServiceIsAPrefixLength() throws Exception {
        AddServiceCommand add = command(new AddServiceCommand());
        add.udp = "[2001:db8::1]:53";
        add.persistent = true;
        add.netmask = "64";
        add.execute();
        assertEquals(64, table.services.get(ServiceKey.parse(Protocol.UDP, "[2001:db8::1]:53")).persistenceMask());

        AddServiceCommand bad = command(new AddServiceCommand());
        bad.tcp = "[2001:db8::2]:80";
        bad.persistent = true;
        bad.netmask = "255.255.255.0";
        refused("bad IPv6 netmask: 255.255.255.0 (a prefix length 1..128)", bad);
    }

    @Test
    void badIpv6TextAndMixedFamiliesAreRefused() throws Exception {
        AddServiceCommand bad = command(new AddServiceCommand());
        bad.tcp = "[2001:db8::g]:80";
        refused("bad IPv6 address: 2001:db8::g", bad);
        AddServiceCommand port = command(new AddServiceCommand());
        port.tcp = "[2001:db8::1]:http";
        refused("bad port in address: [2001:db8::1]:http", port);
        AddServiceCommand open = command(new AddServiceCommand());
        open.tcp = "[2001:db8::1:80";
        refused("bad service address '[2001:db8::1:80': no ']' after the IPv6 address", open);

        webService();
        refused("an IPv6 service takes IPv6 real servers", addServer("10.0.1.1:80"));
    }

    @Test
    void listsIpv6ServicesAsIpvsadmAndAsJson() throws Exception {
        webService();
        addServer("[2001:db8::11]:80").execute();
        ListCommand list = command(new ListCommand());
        list.numeric = true;
        list.execute();
        assertEquals("IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                + "TCP  [2001:db8::1]:80 rr\n"
                + "  -> [2001:db8::11]:80            Masq    1      0          0         \n", output());

        output.reset();
        ListCommand json = command(new ListCommand());
        json.json = true;
        json.execute();
        JsonNode service = new ObjectMapper().readTree(output()).get("services").get(0);
        assertEquals("2001:db8::1", service.get("address").asText());
        assertEquals("128", service.get("netmask").asText());
        assertEquals("2001:db8::11", service.get("servers").get(0).get("address").asText());
    }

    @Test
    void connectionsOfAnIpv6ServiceOnly() throws Exception {
        FakeConnectionTable connections = new FakeConnectionTable(List.of(
                new ConnectionInfo(Protocol.TCP, "ESTABLISHED", 899_000, 0, 51234, 0, 80, 0, 80, false,
                        Ip6Address.parse("2001:db8:99:1::2"), Ip6Address.parse("2001:db8::1"), RIP1),
                new ConnectionInfo(Protocol.TCP, "ESTABLISHED", 899_000, Ip4.parse("203.0.113.5"), 51235,
                        Ip4.parse("10.0.0.1"), 80, Ip4.parse("10.0.1.1"), 80)));
        ConnectionsCommand c = command(new ConnectionsCommand());
        c.connections = connections;
        c.tcp = "[2001:db8::1]:80";
        c.execute();
        assertEquals("IPVS connection entries\n"
                + "pro expire state       source             virtual            destination\n"
                + "TCP 14:59  ESTABLISHED [2001:db8:99:1::2]:51234 [2001:db8::1]:80   [2001:db8::11]:80\n", output());

        output.reset();
        ConnectionsCommand v4 = command(new ConnectionsCommand());
        v4.connections = connections;
        v4.tcp = "10.0.0.1:80";
        v4.execute();
        assertEquals(3, output().split("\n").length); // the title and the IPv4 row only
    }
}
