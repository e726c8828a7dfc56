package org.jlvs.ipvsadm;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.Protocol;
import org.jlvs.api.SchedulerFlags;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.TunnelType;

/** Configurations for the tests. */
public final class Models {
    private Models() {}

    public static ServiceKey tcp(String vip, int port) {
        return new ServiceKey(Protocol.TCP, Ip4.parse(vip), port);
    }

    public static ServiceKey udp(String vip, int port) {
        return new ServiceKey(Protocol.UDP, Ip4.parse(vip), port);
    }

    public static ServerConfig masq(String rip, int port, int weight) {
        return ServerConfig.of(Ip4.parse(rip), port, ForwardMethod.MASQ, weight);
    }

    public static ServiceDef def(ServiceConfig config, ServerConfig... servers) {
        return new ServiceDef(config, List.of(servers));
    }

    public static Map<ServiceKey, ServiceDef> model(ServiceDef... defs) {
        Map<ServiceKey, ServiceDef> m = new TreeMap<>();
        for (ServiceDef d : defs) m.put(d.key(), d);
        return m;
    }

    /**
     * Every setting a service and a real server can have: TCP and UDP, the port-0 persistent service,
     * persistence with and without a mask, a mask without persistence, every scheduler flag by its names, the
     * three forwarding methods, IPIP and GUE tunnels, tunnel settings kept on a NAT server, weight 0 and 65535,
     * both thresholds.
     */
    public static Map<ServiceKey, ServiceDef> everything() {
        int rs1 = Ip4.parse("192.168.1.11");
        return model(
                def(ServiceConfig.of(tcp("10.0.0.1", 80), "wlc"),
                        masq("192.168.1.11", 80, 1),
                        ServerConfig.of(Ip4.parse("192.168.1.12"), 80, ForwardMethod.ROUTE, 0),
                        ServerConfig.tunnel(Ip4.parse("192.168.1.13"), 80, 3, TunnelType.IPIP, 0),
                        ServerConfig.tunnel(Ip4.parse("192.168.1.14"), 80, 65535, TunnelType.GUE, 6080),
                        new ServerConfig(rs1, 8080, ForwardMethod.MASQ, 2, 100, 50),
                        new ServerConfig(Ip4.parse("192.168.1.15"), 80, ForwardMethod.MASQ, 1, 0, 0, TunnelType.GUE, 7000)),
                def(new ServiceConfig(tcp("10.0.0.1", 0), "rr", 0, 360, Ip4.parse("255.255.255.0")),
                        masq("192.168.1.21", 0, 1)),
                def(new ServiceConfig(udp("10.0.0.2", 53), "sh", SchedulerFlags.SH_FALLBACK | SchedulerFlags.SH_PORT,
                        600, 0xffffffff), masq("192.168.2.1", 5353, 4)),
                def(new ServiceConfig(tcp("10.0.0.3", 443), "mh", SchedulerFlags.MH_FALLBACK | SchedulerFlags.MH_PORT,
                        0, 0xffffffff)),
                def(new ServiceConfig(tcp("10.0.0.4", 80), "rr",
                        SchedulerFlags.SCHED1 | SchedulerFlags.SCHED2 | SchedulerFlags.SCHED3, 0, Ip4.parse("255.255.0.0"))),
                def(new ServiceConfig(udp("10.0.0.5", 0), "lc", 0, 86400 * 31, 0)));
    }

    /**
     * IPv6 services: a NAT one with servers on other ports, a persistent UDP one with a /64 prefix, a port-0
     * persistent one with direct routing and an IPIP tunnel (IPv6 in IPv6).
     */
    public static Map<ServiceKey, ServiceDef> ipv6() {
        return model(
                def(ServiceConfig.of(ServiceKey.parse(Protocol.TCP, "[2001:db8::1]:80"), "rr"),
                        ServerConfig.of(Ip6Address.parse("2001:db8:1::11"), 8080, ForwardMethod.MASQ, 1),
                        new ServerConfig(0, 80, ForwardMethod.MASQ, 2, 100, 50, TunnelType.IPIP, 0,
                                Ip6Address.parse("2001:db8:1::12"))),
                def(new ServiceConfig(ServiceKey.parse(Protocol.UDP, "[2001:db8::1]:53"), "sh", 0, 600, 64),
                        ServerConfig.of(Ip6Address.parse("2001:db8:1::11"), 5353, ForwardMethod.MASQ, 4)),
                def(new ServiceConfig(ServiceKey.parse(Protocol.TCP, "[2001:db8::2]:0"), "wlc", 0, 360, 128),
                        ServerConfig.of(Ip6Address.parse("2001:db8:1::21"), 0, ForwardMethod.ROUTE, 1),
                        new ServerConfig(0, 0, ForwardMethod.TUNNEL, 3, 0, 0, TunnelType.IPIP, 0,
                                Ip6Address.parse("2001:db8:2::1"))));
    }
}
