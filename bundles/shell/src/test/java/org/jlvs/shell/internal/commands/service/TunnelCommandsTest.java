package org.jlvs.shell.internal.commands.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.apache.karaf.shell.support.CommandException;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.TunnelType;
import org.jlvs.ipvsadm.IpvsadmFormat;
import org.jlvs.shell.internal.commands.LvsAction;
import org.jlvs.api.fake.FakeVirtualServerTable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** -g, -i, --tun-type and --tun-port of lvs:add-server / lvs:edit-server, and lvs:list --tun-info. */
class TunnelCommandsTest {
    private static final ServiceKey WEB = new ServiceKey(Protocol.TCP, Ip4.parse("10.0.0.1"), 80);
    private static final int RIP = Ip4.parse("192.168.1.13");

    private final FakeVirtualServerTable table = new FakeVirtualServerTable().installOnly(Set.of("rr", "wlc"), ForwardMethod.MASQ);
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();

    @BeforeEach
    void setUp() {
        table.methods.add(ForwardMethod.ROUTE);
        table.methods.add(ForwardMethod.TUNNEL);
        table.addService(ServiceConfig.of(WEB, "rr"));
    }

    private <T extends LvsAction> T command(T action) {
        action.table = table;
        action.out = new PrintStream(output, true, StandardCharsets.UTF_8);
        action.err = action.out;
        return action;
    }

    private AddServerCommand add(String rip, String method, String type, String port) {
        AddServerCommand c = command(new AddServerCommand());
        c.tcp = "10.0.0.1:80";
        c.realServer = rip;
        c.masquerading = "-m".equals(method);
        c.gatewaying = "-g".equals(method);
        c.ipip = "-i".equals(method);
        c.tunnelType = type;
        c.tunnelPort = port;
        return c;
    }

    private EditServerCommand edit(String type, String port) {
        EditServerCommand c = command(new EditServerCommand());
        c.tcp = "10.0.0.1:80";
        c.realServer = "192.168.1.13";
        c.tunnelType = type;
        c.tunnelPort = port;
        return c;
    }

    private void refused(String message, LvsAction action) {
        int before = table.changeCount();
        CommandException e = assertThrows(CommandException.class, action::execute);
        assertEquals(message, e.getMessage());
        assertEquals(before, table.changeCount(), "a refused command changed the table");
    }

    @Test
    void tunnelServersTakeTheServicePortAndTheirEncapsulation() throws Exception {
        add("192.168.1.11:8080", "-g", null, null).execute();
        add("192.168.1.12", "-i", null, null).execute();
        add("192.168.1.13:9999", "-i", "gue", "6080").execute();
        add("192.168.1.14", "-i", "ipip", null).execute();
        assertEquals(ServerConfig.of(Ip4.parse("192.168.1.11"), 80, ForwardMethod.ROUTE, 1), table.server(WEB, 0));
        assertEquals(ServerConfig.tunnel(Ip4.parse("192.168.1.12"), 80, 1, TunnelType.IPIP, 0), table.server(WEB, 1));
        assertEquals(ServerConfig.tunnel(RIP, 80, 1, TunnelType.GUE, 6080), table.server(WEB, 2));
        assertEquals(ServerConfig.tunnel(Ip4.parse("192.168.1.14"), 80, 1, TunnelType.IPIP, 0), table.server(WEB, 3));
    }

    @Test
    void tunnelOptionsAreCheckedAsIpvsadmChecksThem() {
        refused("--tun-type and --tun-port apply to tunnelled servers (-i) only", add("192.168.1.13", "-g", "gue", "6080"));
        refused("--tun-type and --tun-port apply to tunnelled servers (-i) only", add("192.168.1.13", "-m", null, "6080"));
        refused("--tun-type gue needs --tun-port PORT", add("192.168.1.13", "-i", "gue", null));
        refused("--tun-port applies to --tun-type gue only", add("192.168.1.13", "-i", "ipip", "6080"));
        refused("--tun-port applies to --tun-type gue only", add("192.168.1.13", "-i", null, "6080"));
        refused("bad tunnel type 'gre': must be ipip or gue", add("192.168.1.13", "-i", "gre", null));
        refused("bad tunnel port '0': must be 1..65535", add("192.168.1.13", "-i", "gue", "0"));
        refused("bad tunnel port '70000': must be 1..65535", add("192.168.1.13", "-i", "gue", "70000"));
        assertEquals(0, table.servers.get(WEB).size());
    }

    @Test
    void editServerKeepsOrChangesTheTunnel() throws Exception {
        add("192.168.1.13", "-i", "gue", "6080").execute();
        EditServerCommand weight = edit(null, null);
        weight.weight = "3";
        weight.execute();
        assertEquals(new ServerConfig(RIP, 80, ForwardMethod.TUNNEL, 3, 0, 0, TunnelType.GUE, 6080), table.server(WEB, 0));

        edit(null, "7000").execute();
        assertEquals(7000, table.server(WEB, 0).tunnelPort());
        edit("gue", null).execute();
        assertEquals(7000, table.server(WEB, 0).tunnelPort(), "gue again keeps its port");
        edit("ipip", null).execute();
        assertEquals(ServerConfig.tunnel(RIP, 80, 3, TunnelType.IPIP, 0), table.server(WEB, 0));
        refused("--tun-type gue needs --tun-port PORT", edit("gue", null));

        EditServerCommand toRoute = edit(null, null);
        toRoute.gatewaying = true;
        toRoute.execute();
        assertEquals(ForwardMethod.ROUTE, table.server(WEB, 0).method());
        refused("--tun-type and --tun-port apply to tunnelled servers (-i) only", edit("gue", "6080"));
    }

    @Test
    void listTunInfoAsIpvsadm() throws Exception {
        add("192.168.1.11", "-m", null, null).execute();
        add("192.168.1.12", "-g", null, null).execute();
        add("192.168.1.13", "-i", "gue", "6080").execute();
        add("192.168.1.14", "-i", null, null).execute();
        ListCommand list = command(new ListCommand());
        list.numeric = true;
        list.tunInfo = true;
        list.execute();
        assertEquals("IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward TunnelInfo    Weight ActiveConn InActConn\n"
                + "TCP  10.0.0.1:80 rr\n"
                + "  -> 192.168.1.11:80              Masq    n/a           1      0          0         \n"
                + "  -> 192.168.1.12:80              Route   n/a           1      0          0         \n"
                + "  -> 192.168.1.13:80              Tunnel  gue:6080:-c   1      0          0         \n"
                + "  -> 192.168.1.14:80              Tunnel  ipip          1      0          0         \n",
                output.toString(StandardCharsets.UTF_8));

        output.reset();
        command(new ListCommand()).execute();
        assertEquals("IP Virtual Server version 1.2.1 (size=4096)\n"
                + "Prot LocalAddress:Port Scheduler Flags\n"
                + "  -> RemoteAddress:Port           Forward Weight ActiveConn InActConn\n"
                + "TCP  10.0.0.1:80 rr\n"
                + "  -> 192.168.1.11:80              Masq    1      0          0         \n"
                + "  -> 192.168.1.12:80              Route   1      0          0         \n"
                + "  -> 192.168.1.13:80              Tunnel  1      0          0         \n"
                + "  -> 192.168.1.14:80              Tunnel  1      0          0         \n",
                output.toString(StandardCharsets.UTF_8));

        assertEquals("-A -t 10.0.0.1:80 -s rr\n"
                + "-a -t 10.0.0.1:80 -r 192.168.1.11:80 -m -w 1\n"
                + "-a -t 10.0.0.1:80 -r 192.168.1.12:80 -g -w 1\n"
                + "-a -t 10.0.0.1:80 -r 192.168.1.13:80 -i -w 1 --tun-type gue --tun-port 6080 --tun-nocsum\n"
                + "-a -t 10.0.0.1:80 -r 192.168.1.14:80 -i -w 1 --tun-type ipip\n", IpvsadmFormat.rules(table.list()));
    }
}
