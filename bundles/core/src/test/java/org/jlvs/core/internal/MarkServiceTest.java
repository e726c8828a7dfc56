package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.jlvs.api.ConnectionInfo;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.LvsException;
import org.jlvs.api.MarkRule;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.forward.nat.internal.NatForwarder;
import org.jlvs.packet.Arp;
import org.jlvs.packet.Ethernet;
import org.jlvs.packet.Ipv4;
import org.jlvs.packet.Tcp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Mark services (ipvsadm -f) over the mark classifier's rules, on the packet path. */
class MarkServiceTest {
    private static final long CLIENT_MAC = 0x020000000002L, DIR_C_MAC = 0x0200000000c1L, DIR_S_MAC = 0x0200000000c2L;
    private static final int VIP = Ip4.parse("10.99.1.100"), DIR_C = Ip4.parse("10.99.1.1"),
            DIR_S = Ip4.parse("10.99.2.1"), RS1 = Ip4.parse("10.99.2.11"), RS2 = Ip4.parse("10.99.2.12"),
            RS3 = Ip4.parse("10.99.2.13");
    private static final int CLIENT_A = Ip4.parse("10.99.1.2"), CLIENT_B = Ip4.parse("10.99.1.3");
    private static final ServiceKey FWM = ServiceKey.fwmark(1);

    private final AtomicLong clock = new AtomicLong(1_000_000_000_000L);
    private final DataPlaneTest.FakeChannel clientSide = new DataPlaneTest.FakeChannel("eth0");
    private final DataPlaneTest.FakeChannel serverSide = new DataPlaneTest.FakeChannel("eth1");
    private DataPlane plane;
    private PacketPath clientPath;
    private PacketPath serverPath;
    private int port = 40000;

    /** Round robin: without a template, consecutive connections change server. */
    private final Scheduler rr = service -> new Scheduler.Binding() {
        int next;

        @Override
        public RealServer schedule(org.jlvs.api.spi.Flow flow) {
            List<? extends RealServer> servers = service.realServers();
            return servers.isEmpty() ? null : servers.get(next++ % servers.size());
        }
    };

    @BeforeEach
    void setUp() {
        plane = new DataPlane(clock::get, Path.of("/nonexistent/route"), Path.of("/nonexistent/arp"), Runnable::run);
        clientPath = link(clientSide, DIR_C_MAC, DIR_C);
        serverPath = link(serverSide, DIR_S_MAC, DIR_S);
        plane.services.schedulerAdded("rr", rr);
        plane.services.forwarderAdded(ForwardMethod.MASQ, new NatForwarder());
        plane.services.setMarkRules(List.of(MarkRule.parse("1 tcp 10.99.1.100 80"),
                MarkRule.parse("1 tcp 10.99.1.100 443"), MarkRule.parse("2 any 10.99.1.200-210 5000-5100")));
        plane.services.addService(new ServiceConfig(FWM, "rr", 0, 300, 0xffffffff)); // -f 1 -s rr -p 300
        for (int rs : new int[] {RS1, RS2, RS3}) {
            plane.services.addServer(FWM, ServerConfig.of(rs, 0, ForwardMethod.MASQ, 1)); // -r RS (port 0) -m
            byte[] arpReply = new byte[42];
            long mac = 0x020000000000L | (rs & 0xff);
            Arp.writeFrame(arpReply, 0, DIR_S_MAC, mac, Arp.REPLY, mac, rs, DIR_S_MAC, DIR_S);
            serverPath.onFrame(arpReply, 42);
        }
        clientSide.sent.clear();
        serverSide.sent.clear();
    }

    private PacketPath link(DataPlaneTest.FakeChannel channel, long mac, int address) {
        Link link = new Link(channel.name, channel, mac, address, 24, plane.newNeighbours(channel.name));
        PacketPath path = new PacketPath(plane, link);
        plane.addLink(link);
        return path;
    }

    /** A SYN from a new port of {@code client} to vip:vport: the frame sent to a real server, or null. */
    private byte[] connect(int client, int vip, int vport) {
        byte[] syn = DataPlaneTest.tcp(CLIENT_MAC, DIR_C_MAC, client, port++, vip, vport, Tcp.SYN, 0, false);
        serverSide.sent.clear();
        clientPath.onFrame(syn, syn.length);
        return serverSide.sent.isEmpty() ? null : serverSide.sent.get(0);
    }

    private static int server(byte[] frame) {
        return Ipv4.dst(frame, 14);
    }

    @Test
    void aPersistentClientKeepsOneServerAcrossEveryPortOfTheMark() {
        int first = server(connect(CLIENT_A, VIP, 80));
        for (int i = 0; i < 5; i++) {
            assertEquals(first, server(connect(CLIENT_A, VIP, 443)), "443, connection " + i);
            assertEquals(first, server(connect(CLIENT_A, VIP, 80)), "80, connection " + i);
        }
        assertNotEquals(first, server(connect(CLIENT_B, VIP, 443)), "another client is scheduled (rr moves on)");
        assertEquals(2, plane.conns.templates(), "one template per client for the whole mark, not per port");
    }

    @Test
    void natKeepsTheDestinationPortOfAPortZeroServerAndRewritesToAGivenOne() {
        byte[] to443 = connect(CLIENT_A, VIP, 443);
        assertEquals(443, Tcp.dstPort(to443, 34), "a real server without a port gets the packet's port");
        plane.services.deleteServer(FWM, RS1, 0);
        plane.services.deleteServer(FWM, RS2, 0);
        plane.services.deleteServer(FWM, RS3, 0);
        plane.services.addServer(FWM, ServerConfig.of(RS1, 8080, ForwardMethod.MASQ, 1));
        byte[] rewritten = connect(CLIENT_B, VIP, 80);
        assertEquals(RS1, server(rewritten));
        assertEquals(8080, Tcp.dstPort(rewritten, 34), "a real server's port replaces the packet's");
    }

    @Test
    void onlyWhatTheRulesCoverIsBalanced() {
        assertEquals(null, connect(CLIENT_A, VIP, 8443), "no rule for port 8443 and no address service");
        assertTrue(connect(CLIENT_A, Ip4.parse("10.99.1.205"), 5050) == null,
                "mark 2 has no service: its flows are not balanced");
        plane.services.addService(new ServiceConfig(ServiceKey.fwmark(2), "rr", 0, 0, 0xffffffff));
        plane.services.addServer(ServiceKey.fwmark(2), ServerConfig.of(RS2, 0, ForwardMethod.MASQ, 1));
        assertEquals(RS2, server(connect(CLIENT_A, Ip4.parse("10.99.1.205"), 5050)), "inside the range");
        assertEquals(null, connect(CLIENT_A, Ip4.parse("10.99.1.211"), 5050), "past the range's end");
        assertEquals(null, connect(CLIENT_A, Ip4.parse("10.99.1.205"), 5101), "past the port range's end");
    }

    @Test
    void aMarkedFlowGoesToItsMarkServiceBeforeAnAddressServiceAsInIpvs() {
        ServiceKey web = new ServiceKey(Protocol.TCP, VIP, 80);
        plane.services.addService(ServiceConfig.of(web, "rr"));
        plane.services.addServer(web, ServerConfig.of(Ip4.parse("10.99.2.99"), 80, ForwardMethod.MASQ, 1));
        int to = server(connect(CLIENT_A, VIP, 80));
        assertTrue(to == RS1 || to == RS2 || to == RS3, "the mark service took it: " + Ip4.toString(to));
        byte[] arpReply = new byte[42];
        Arp.writeFrame(arpReply, 0, DIR_S_MAC, 0x020000000099L, Arp.REPLY, 0x020000000099L, Ip4.parse("10.99.2.99"),
                DIR_S_MAC, DIR_S);
        serverPath.onFrame(arpReply, 42);
        plane.services.deleteService(FWM);
        assertEquals(Ip4.parse("10.99.2.99"), server(connect(CLIENT_A, VIP, 80)), "then the address service");
    }

    @Test
    void theDirectorAnswersArpForEveryAddressOfAMarkServicesRules() {
        assertTrue(arpAnswered(VIP));
        assertEquals(false, arpAnswered(Ip4.parse("10.99.1.205")), "mark 2 has no service yet");
        plane.services.addService(new ServiceConfig(ServiceKey.fwmark(2), "rr", 0, 0, 0xffffffff));
        assertTrue(arpAnswered(Ip4.parse("10.99.1.205")));
        assertTrue(arpAnswered(Ip4.parse("10.99.1.210")));
        assertEquals(false, arpAnswered(Ip4.parse("10.99.1.211")));
    }

    private boolean arpAnswered(int target) {
        byte[] request = new byte[42];
        Arp.writeFrame(request, 0, Ethernet.BROADCAST, CLIENT_MAC, Arp.REQUEST, CLIENT_MAC, CLIENT_A, 0, target);
        clientSide.sent.clear();
        clientPath.onFrame(request, 42);
        return !clientSide.sent.isEmpty();
    }

    @Test
    void theTemplateIsListedAsIpvsListsAMarkServicesTemplate() {
        int to = server(connect(CLIENT_A, VIP, 443));
        List<ConnectionInfo> all = new ArrayList<>();
        plane.conns.forEach(c -> true, 100, all::add);
        ConnectionInfo template = all.stream().filter(c -> c.clientPort() == 0).findFirst().orElseThrow();
        // <IPPROTO_IP, client, 0, fwmark, 0>: "IP  NONE  10.99.1.2:0  0.0.0.1:0  RS:0"
        assertEquals(new ConnectionInfo(null, "NONE", 300_000, CLIENT_A, 0, 1, 0, to, 0), template);
        assertEquals("IP", template.protocolLabel());
    }

    @Test
    void overlappingRulesOfDifferentMarksAreRefusedAndTheRulesInForceStay() {
        List<MarkRule> before = plane.services.markRules();
        LvsException e = assertThrows(LvsException.class, () -> plane.services.setMarkRules(List.of(
                MarkRule.parse("1 tcp 10.99.1.0/24 80"), MarkRule.parse("3 any 10.99.1.100 1-100"))));
        assertTrue(e.getMessage().contains("overlaps"), e.getMessage());
        assertEquals(before, plane.services.markRules());
        assertNotEquals(null, connect(CLIENT_A, VIP, 80), "still balanced by the old rules");
        plane.services.setMarkRules(List.of(MarkRule.parse("1 tcp 10.99.1.0/24 80"),
                MarkRule.parse("1 tcp 10.99.1.100 80"), MarkRule.parse("3 udp 10.99.1.100 1-100")));
        assertEquals(3, plane.services.markRules().size(), "same mark, or another protocol: no conflict");
        List<MarkRule> tooMany = new ArrayList<>();
        for (int i = 0; i <= org.jlvs.api.VirtualServerTable.MAX_MARK_RULES; i++) {
            tooMany.add(new MarkRule(1, Protocol.TCP, VIP, VIP, i, i));
        }
        assertThrows(LvsException.class, () -> plane.services.setMarkRules(tooMany));
    }

    /** The classification on the packet path allocates nothing (ThreadMXBean's per-thread counter). */
    @Test
    void classifyingAllocatesNothing() {
        List<MarkRule> rules = new ArrayList<>();
        for (int i = 0; i < 200; i++) rules.add(new MarkRule(10 + i, Protocol.UDP, VIP + 1000 + i, VIP + 1000 + i, 1, 9));
        rules.add(MarkRule.parse("1 tcp 10.99.1.100 80"));
        plane.services.setMarkRules(rules);
        ServiceIndex index = plane.services.index();
        int found = 0;
        for (int i = 0; i < 20_000; i++) found += index.find(6, VIP, 80 + (i & 1)) != null ? 1 : 0;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        threads.getThreadAllocatedBytes(id);
        long overhead = -threads.getThreadAllocatedBytes(id) + threads.getThreadAllocatedBytes(id);
        long before = threads.getThreadAllocatedBytes(id);
        final int measured = 100_000;
        for (int i = 0; i < measured; i++) found += index.find(6, VIP, 80 + (i & 1)) != null ? 1 : 0;
        long allocated = threads.getThreadAllocatedBytes(id) - before - overhead;
        assertEquals(10_000 + measured / 2, found, "port 80 is marked, port 81 is not");
        System.out.printf("mark classification: %d bytes allocated over %d lookups of %d rules%n", allocated,
                measured, rules.size());
        assertEquals(0L, allocated / measured, "bytes allocated per lookup (" + allocated + ")");
    }
}
