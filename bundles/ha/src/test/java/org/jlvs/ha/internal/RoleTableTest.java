package org.jlvs.ha.internal;

import static org.jlvs.ha.internal.Fakes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.management.ManagementFactory;

import org.jlvs.api.Ip4;
import org.jlvs.api.ha.DirectorRole.State;
import org.jlvs.packet.Vrrp;
import org.junit.jupiter.api.Test;

/** mayServe's rules, and the allocation-free steady state of the lookup and of the advert path. */
class RoleTableTest {
    @Test
    void anAddressIsServedOnlyWhileItsInstanceIsMaster() {
        Lab lab = new Lab();
        lab.add(config("priority", "100", "virtual_ipaddress", "10.214.1.100 10.214.1.101"));
        lab.add(config("name", "VI_2", "virtual_router_id", "52", "virtual_ipaddress", "10.214.1.101", "state", "master"));
        int unmanaged = Ip4.parse("10.214.1.50");
        assertTrue(lab.engine.mayServe(unmanaged));
        assertFalse(lab.engine.mayServe(VIP)); // VI_1 is BACKUP
        assertTrue(lab.engine.mayServe(Ip4.parse("10.214.1.101"))); // VI_2 is MASTER
        lab.runTo(4 * S);
        assertEquals(State.MASTER, lab.state("VI_1"));
        assertTrue(lab.engine.mayServe(VIP));
        lab.advert("VI_1", C, 200, 100);
        assertFalse(lab.engine.mayServe(VIP));
        lab.engine.removeNow("VI_1");
        assertTrue(lab.engine.mayServe(VIP)); // no longer managed
        for (int i = 0; i < 1000; i++) assertTrue(new RoleTable(java.util.List.of()).mayServe(i * 7919));
    }

    @Test
    void mayServeAndTheAdvertPathAllocateNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        Lab lab = new Lab();
        lab.add(config("priority", "100"));
        lab.wire("VI_1").recordGarps = false;
        AdvertFrames peer = new AdvertFrames(config("priority", "200"), C, MAC_B);
        peer.nextId();
        peer.prepare(200, Vrrp.GROUP, Vrrp.GROUP_MAC);
        byte[] frame = peer.advert();
        int length = peer.advertLength();
        AdvertFilter filter = lab.wire("VI_1").filter;
        boolean served = false;
        for (int round = 0; round < 3; round++) { // the last round is measured, after the JIT had two
            long before = mx.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 20_000; i++) {
                lab.clock.advance(10 * MS);
                filter.check(frame, length);
                lab.engine.runOnce();
                served |= lab.engine.mayServe(VIP + (i & 3));
            }
            long allocated = mx.getThreadAllocatedBytes(thread) - before;
            if (round == 2) assertTrue(allocated < 20_000, "allocated " + allocated + " bytes for 20,000 adverts");
        }
        assertTrue(served); // the unmanaged neighbours of the VIP
        assertEquals(State.BACKUP, lab.state("VI_1"));
        assertEquals(60_000, lab.engine.instance("VI_1").counters.get(Counter.ADVERTISEMENTS_RECEIVED));
    }

    @Test
    void theMastersSendingAllocatesNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        Lab lab = new Lab();
        lab.add(config("state", "master", "garp_master_delay", "0"));
        HostNetwork.ChannelWire wire = new HostNetwork.ChannelWire(new NullChannel(), null,
                new AdvertFrames(lab.engine.instance("VI_1").config, A, MAC_A), new int[0], null, A);
        lab.engine.instance("VI_1").attach(wire, A);
        for (int round = 0; round < 3; round++) {
            long before = mx.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 20_000; i++) {
                lab.clock.advance(S);
                lab.engine.runOnce();
            }
            long allocated = mx.getThreadAllocatedBytes(thread) - before;
            // (the link check runs in every pass here; in production it reads sysfs once a second, which allocates)
            if (round == 2) assertTrue(allocated < 20_000, "allocated " + allocated + " bytes for 20,000 adverts");
        }
    }

    /** A channel that takes every frame. */
    static final class NullChannel implements org.jlvs.api.spi.PacketIo.Channel {
        long sent;

        @Override public String name() { return "null"; }
        @Override public byte[] mac() { return new byte[6]; }
        @Override public int mtu() { return 1500; }
        @Override public boolean send(byte[] frame, int offset, int length) { sent++; return true; }
        @Override public long receivedFrames() { return 0; }
        @Override public long sentFrames() { return sent; }
        @Override public long droppedFrames() { return 0; }
        @Override public void close() { }
    }
}
