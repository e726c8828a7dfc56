package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.spi.PacketIo;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.core.internal.DataPlaneTest.FakeChannel;
import org.jlvs.packet.Tcp;
import org.junit.jupiter.api.Test;

/** IPv6 through the Director's services: interfaces with IPv6 addresses, listings, deletes by IPv6 address. */
class DirectorIpv6Test {
    private static final Ip6Address CLIENT = Ip6Address.parse("2001:db8:99:1::2"),
            VIP6 = Ip6Address.parse("2001:db8:99:1::100"), RS = Ip6Address.parse("2001:db8:99:2::11");
    private static final long CLIENT_MAC = 0x020000000002L, RS_MAC = 0x020000000011L;
    private static final ServiceKey WEB6 = new ServiceKey(Protocol.TCP, VIP6, 80);

    /** Opens fake channels and keeps their receivers and filters, to feed frames as the PacketIo would. */
    private static final class FeedingIo implements PacketIo {
        final Map<String, FrameReceiver> receivers = new HashMap<>();
        final Map<String, FakeChannel> channels = new HashMap<>();
        final Map<String, String> filters = new HashMap<>();

        @Override
        public Channel open(String name, String filter, FrameReceiver receiver) {
            receivers.put(name, receiver);
            filters.put(name, filter);
            FakeChannel c = new FakeChannel(name);
            channels.put(name, c);
            return c;
        }
    }

    private static Nic nic(String name, int n, String address6) {
        Ip6Address a = Ip6Address.parse(address6);
        return new Nic(name, 0x0200000000c0L + n, 0, 0, a.hi(), a.lo(), 64, 0xfe80_0000_0000_0000L, n);
    }

    @Test
    void anIpv6ConnectionIsListedCountedAndItsServerDeletedByAddress() {
        FeedingIo io = new FeedingIo();
        Nic.Selection nics = new Nic.Selection(List.of(nic("eth0", 1, "2001:db8:99:1::1"),
                nic("eth1", 2, "2001:db8:99:2::1")), Map.of());
        Director director = new Director(new CoreSettings("eth0,eth1", 1000), io, nics);
        try {
            assertTrue(io.filters.get("eth0").contains("(ip6 and ether multicast)"),
                    "IPv6 multicast (a VIP6's solicited-node group) passes the capture filter: " + io.filters.get("eth0"));
            Scheduler first = service -> flow -> service.realServers().get(0);
            director.addScheduler(first, Map.of(Scheduler.PROPERTY, "first"));
            director.addForwarder(new TestForwarders6.Nat());
            director.addService(ServiceConfig.of(WEB6, "first"));
            director.addServer(WEB6, ServerConfig.of(RS, 8080, ForwardMethod.MASQ, 1));
            byte[] na = Frames6.advertisement(RS_MAC, 0x0200000000c2L, RS, Ip6Address.parse("2001:db8:99:2::1"));
            io.receivers.get("eth1").onFrame(na, na.length);
            byte[] syn = Frames6.tcp(CLIENT_MAC, 0x0200000000c1L, CLIENT, 40000, VIP6, 80, Tcp.SYN, 0, false);
            io.receivers.get("eth0").onFrame(syn, syn.length);

            assertEquals(1, director.size());
            List<ConnectionInfo> listed = new ArrayList<>();
            assertEquals(1, director.forEach(null, 10, listed::add));
            assertEquals(CLIENT, listed.get(0).client6());
            assertEquals(RS, listed.get(0).server6());
            assertEquals(0, director.forEach(null, 0, listed::add), "the limit holds across both tables");
            assertEquals(1L, director.dataPathCounters().get("connections6"));

            director.deleteServer(WEB6, RS, 8080);
            assertEquals(0, director.get(WEB6).servers().size());
        } finally {
            director.close();
        }
    }
}
