package org.jlvs.ipvsadm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.TunnelType;
import org.jlvs.ipvsadm.IpvsadmArgs.Cmd;
import org.jlvs.ipvsadm.IpvsadmArgs.Opt;
import org.junit.jupiter.api.Test;

/** ipvsadm 1.31's option parsing (popt) and checks, with its messages. */
class IpvsadmArgsTest {
    private static IpvsadmArgs parse(String line) {
        return IpvsadmArgs.parse(line.isEmpty() ? List.of() : Arrays.asList(line.split(" ")));
    }

    private static String refused(String line) {
        return assertThrows(IllegalArgumentException.class, () -> parse(line)).getMessage();
    }

    @Test
    void readsServicesWithIpvsadmsDefaults() {
        IpvsadmArgs a = parse("-A -t 10.0.0.1:80");
        assertEquals(Cmd.ADD, a.cmd());
        assertEquals(new ServiceConfig(Models.tcp("10.0.0.1", 80), "wlc", 0, 0, 0xffffffff), a.serviceConfig());
        assertEquals(new ServiceConfig(Models.udp("10.0.0.1", 0), "sh", 0x18, 360, Ip4.parse("255.255.255.0")),
                parse("--add-service --udp-service=10.0.0.1 --scheduler sh -p -M 24 -b sh-fallback,sh-port").serviceConfig());
        assertEquals(600, parse("-E -t 10.0.0.1:80 -s rr -p 600").serviceConfig().persistence());
        assertEquals(600, parse("-E -t 10.0.0.1:80 -s rr --persistent=600").serviceConfig().persistence());
        assertEquals(360, parse("-E -t 10.0.0.1:80 -p -s rr").serviceConfig().persistence(), "-p before an option");
    }

    @Test
    void readsRealServersWithIpvsadmsDefaults() {
        int rs = Ip4.parse("10.0.1.1");
        // direct routing and weight 1 by default; the port is the service's, whatever -r says, with -g and -i
        assertEquals(ServerConfig.of(rs, 80, ForwardMethod.ROUTE, 1), parse("-a -t 10.0.0.1:80 -r 10.0.1.1:8080").serverConfig());
        assertEquals(new ServerConfig(rs, 8080, ForwardMethod.MASQ, 2, 100, 50),
                parse("-a -t 10.0.0.1:80 -r 10.0.1.1:8080 -m -w2 -x 100 --l-threshold=50").serverConfig());
        assertEquals(ServerConfig.of(rs, 80, ForwardMethod.MASQ, 1), parse("-e -t 10.0.0.1:80 -r 10.0.1.1 -m").serverConfig());
        assertEquals(ServerConfig.tunnel(rs, 80, 1, TunnelType.GUE, 6080),
                parse("-a -t 10.0.0.1:80 -r 10.0.1.1 -i --tun-type gue --tun-port 6080 --tun-nocsum").serverConfig());
        assertEquals(ServerConfig.tunnel(rs, 80, 1, TunnelType.IPIP, 0),
                parse("-a -t 10.0.0.1:80 -r 10.0.1.1 -i --tun-type ipip").serverConfig());
        IpvsadmArgs d = parse("-d -t 10.0.0.1:80 -r 10.0.1.1");
        assertEquals(rs, d.serverAddress());
        assertEquals(80, d.serverPort());
    }

    @Test
    void groupsShortOptionsAsPoptDoes() {
        IpvsadmArgs a = parse("-Ln");
        assertEquals(Cmd.LIST, a.cmd());
        assertTrue(a.has(Opt.NUMERIC));
        a = parse("-lnc");
        assertTrue(a.has(Opt.CONNECTION) && a.has(Opt.NUMERIC));
        a = parse("-L -n --stats --exact");
        assertEquals(ListView.STATS, a.view());
        assertTrue(a.has(Opt.EXACT));
        assertEquals(ListView.TUN_INFO, parse("-Ln --tun-info").view());
        assertEquals(ListView.RATE, parse("-L --rate -X").view());
        assertTrue(parse("").bare());
        assertEquals(Cmd.LIST, parse("").cmd());
        assertArrayEquals(new int[] {900, 0, 300}, parse("--set 900 0 300").timeouts());
        assertEquals(Cmd.SAVE, parse("-Sn").cmd());
        assertEquals(Cmd.HELP, parse("-h -x nonsense").cmd(), "-h stops reading");
        assertFalse(parse("-R").json());
        assertEquals("/tmp/r", parse("-R --input /tmp/r").input());
        assertTrue(parse("-L -n --json").json());
    }

    @Test
    void refusesWithIpvsadmsMessages() {
        assertEquals("illegal weight specified", refused("-a -t 10.0.0.1:80 -r 10.0.1.1 -w 65536"));
        assertEquals("illegal weight specified", refused("-a -t 10.0.0.1:80 -r 10.0.1.1 -w x"));
        assertEquals("illegal u_threshold specified", refused("-a -t 10.0.0.1:80 -r 10.0.1.1 -x -1"));
        assertEquals("illegal virtual server address[:port] specified", refused("-A -t 10.0.0.300:80"));
        assertEquals("illegal virtual server address[:port] specified", refused("-A -t 10.0.0.1:no-such-service"));
        assertEquals("illegal real server address[:port] specified", refused("-a -t 10.0.0.1:80 -r 10.0.1.300"));
        assertEquals("invalid timeout value `0' specified", refused("-A -t 10.0.0.1:80 -p 0"));
        assertEquals("illegal virtual server persistent mask specified", refused("-A -t 10.0.0.1:80 -p -M 255.0.255.0"));
        assertEquals("Illegal 'weight' option with the 'add-service' command", refused("-A -t 10.0.0.1:80 -w 2"));
        assertEquals("You need to supply the 'real-server' option for the 'add-server' command", refused("-a -t 10.0.0.1:80 -m"));
        assertEquals("You need to supply the 'service-address' option for the 'delete-service' command", refused("-D"));
        assertEquals("The option 'service-address' conflicts with the 'connection' option in the 'list' command",
                refused("-L -c -t 10.0.0.1:80"));
        assertEquals("options conflicts in the list command", refused("-L -c --stats"));
        assertEquals("multiple 'weight' options specified", refused("-a -t 10.0.0.1:80 -r 10.0.1.1 -w 1 -w 2"));
        assertEquals("multiple 'forwarding-method' options specified", refused("-a -t 10.0.0.1:80 -r 10.0.1.1 -m -g"));
        assertEquals("invalid option `-L'", refused("-A -L"));
        assertEquals(IpvsadmArgs.TRY_HELP, refused("-t 10.0.0.1:80 -A"));
        assertEquals("--bogus: unknown option", refused("-L --bogus"));
        assertEquals("-w: missing argument", refused("-a -t 10.0.0.1:80 -r 10.0.1.1 -w"));
        assertEquals("unexpected argument extra", refused("-L -n extra"));
        assertEquals("--set option requires 3 timeout values", refused("--set 900 120"));
        assertEquals("Zero port specified for non-persistent service", refused("-A -t 10.0.0.1"));
        assertEquals("Tunnel options conflict with forward method", refused("-a -t 10.0.0.1:80 -r 10.0.1.1 -m --tun-type gue"));
        assertEquals("You need to supply the 'tun-port' option for the 'gue' tunnel type",
                refused("-a -t 10.0.0.1:80 -r 10.0.1.1 -i --tun-type gue"));
        assertEquals("Illegal 'tun-port' option with the 'ipip' tunnel type",
                refused("-a -t 10.0.0.1:80 -r 10.0.1.1 -i --tun-port 6080"));
        assertEquals("incompatible scheduler flag 'sh-port': it is for the sh scheduler, not wlc",
                refused("-A -t 10.0.0.1:80 -b sh-port"));
        assertEquals("illegal start-daemon parameter specified", refused("--start-daemon primary"));
    }

    @Test
    void refusesWhatJlvsDoesNotDoByName() {
        assertEquals("invalid fwmark value `0' specified", refused("-A -f 0 -s wlc"));
        assertEquals("invalid fwmark value `4294967296' specified", refused("-A -f 4294967296 -s wlc"));
        assertEquals("One-Packet Scheduling is only for UDP virtual services", refused("-A -f 7 -o"));
        assertEquals("jlvs does not support one-packet scheduling (-o, --ops)", refused("-A -u 10.0.0.1:53 -o"));
        assertEquals("One-Packet Scheduling is only for UDP virtual services", refused("-A -t 10.0.0.1:53 -o"));
        assertEquals("jlvs does not support persistence engines (--pe)", refused("-A -u 10.0.0.1:5060 -p --pe sip"));
        assertEquals("jlvs does not support GRE tunnels (--tun-type gre): use ipip or gue",
                refused("-a -t 10.0.0.1:80 -r 10.0.1.1 -i --tun-type gre"));
        assertEquals("jlvs does not support GUE checksums (--tun-csum, --tun-remcsum): jlvs sends GUE without"
                + " (--tun-nocsum)", refused("-a -t 10.0.0.1:80 -r 10.0.1.1 -i --tun-type gue --tun-port 1 --tun-csum"));
        assertEquals("illegal syncid specified", refused("--start-daemon master --syncid 256"));
        assertEquals("--json applies to the list command (-L) only", refused("-S --json"));
    }
}
