package org.jlvs.packet;

import static org.jlvs.packet.Captured6.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Ipv6Test {
    private static final int IP = Ethernet.HEADER_LENGTH;
    static final long A_HI = Reference6.hi("fd00:a::1"), A_LO = Reference6.lo("fd00:a::1");
    static final long R_HI = Reference6.hi("fd00:a::2"), R_LO = Reference6.lo("fd00:a::2");

    @Test
    void fixedHeaderOfACapturedEcho() {
        byte[] f = frame(ECHO_REQUEST);
        assertEquals(Ethernet.TYPE_IPV6, Ethernet.type(f, 0));
        assertEquals(6, Ipv6.version(f, IP));
        assertEquals(0, Ipv6.trafficClass(f, IP));
        assertEquals(0x4a5c7, Ipv6.flowLabel(f, IP));
        assertEquals(64, Ipv6.payloadLength(f, IP));
        assertEquals(f.length - IP - 40, Ipv6.payloadLength(f, IP));
        assertEquals(Ipv6.NEXT_ICMPV6, Ipv6.nextHeader(f, IP));
        assertEquals(64, Ipv6.hopLimit(f, IP));
        assertEquals(A_HI, Ipv6.srcHi(f, IP));
        assertEquals(A_LO, Ipv6.srcLo(f, IP));
        assertEquals(R_HI, Ipv6.dstHi(f, IP));
        assertEquals(R_LO, Ipv6.dstLo(f, IP));
        assertEquals(0xfd00000a00000000L, A_HI);
        assertEquals(1L, A_LO);
        assertTrue(Ipv6.addressEquals(f, IP + Ipv6.SRC_OFFSET, A_HI, A_LO));
        assertFalse(Ipv6.addressEquals(f, IP + Ipv6.DST_OFFSET, A_HI, A_LO));
    }

    @Test
    void writeHeaderReproducesTheKernelsHeaders() {
        for (int i = 0; i < FRAMES.length; i++) {
            byte[] f = frame(i);
            byte[] written = new byte[40];
            Ipv6.writeHeader(written, 0, Ipv6.trafficClass(f, IP), Ipv6.flowLabel(f, IP), Ipv6.payloadLength(f, IP),
                    Ipv6.nextHeader(f, IP), Ipv6.hopLimit(f, IP), Ipv6.srcHi(f, IP), Ipv6.srcLo(f, IP),
                    Ipv6.dstHi(f, IP), Ipv6.dstLo(f, IP));
            assertArrayEquals(Arrays.copyOfRange(f, IP, IP + 40), written, "frame " + i);
        }
    }

    @Test
    void settersChangeOnlyTheirField() {
        byte[] f = frame(TCP_SYN);
        byte[] before = f.clone();
        Ipv6.setTrafficClass(f, IP, 0xb8);
        assertEquals(0xb8, Ipv6.trafficClass(f, IP));
        assertEquals(6, Ipv6.version(f, IP));
        assertEquals(Ipv6.flowLabel(before, IP), Ipv6.flowLabel(f, IP));
        Ipv6.setFlowLabel(f, IP, 0xfffff);
        assertEquals(0xfffff, Ipv6.flowLabel(f, IP));
        assertEquals(0xb8, Ipv6.trafficClass(f, IP));
        Ipv6.setFlowLabel(f, IP, 0x12345);
        Ipv6.setTrafficClass(f, IP, Ipv6.trafficClass(before, IP));
        Ipv6.setFlowLabel(f, IP, Ipv6.flowLabel(before, IP));
        assertArrayEquals(before, f);
        Ipv6.setSrc(f, IP, R_HI, R_LO);
        Ipv6.setDst(f, IP, A_HI, A_LO);
        assertEquals(R_LO, Ipv6.srcLo(f, IP));
        assertEquals(A_HI, Ipv6.dstHi(f, IP));
        Ipv6.setPayloadLength(f, IP, 7);
        Ipv6.setNextHeader(f, IP, 59);
        assertEquals(7, Ipv6.payloadLength(f, IP));
        assertEquals(59, Ipv6.nextHeader(f, IP));
    }

    @Test
    void hopLimitDecrementsLikeARouter() {
        byte[] f = frame(TCP_SYN);
        assertEquals(63, Ipv6.decrementHopLimit(f, IP));
        assertEquals(63, Ipv6.hopLimit(f, IP));
        byte[] last = frame(ECHO_HOP_LIMIT_1);
        byte[] before = last.clone();
        assertEquals(0, Ipv6.decrementHopLimit(last, IP), "time exceeded");
        assertArrayEquals(before, last, "left unchanged");
        Ipv6.setHopLimit(last, IP, 0);
        assertEquals(0, Ipv6.decrementHopLimit(last, IP));
        assertEquals(0, Ipv6.hopLimit(last, IP));
    }

    @Test
    void addressClasses() {
        assertTrue(Ipv6.isMulticast(Reference6.hi("ff02::1")));
        assertTrue(Ipv6.isMulticast(Reference6.hi("ff05::2")));
        assertFalse(Ipv6.isMulticast(Reference6.hi("fe80::1")));
        assertTrue(Ipv6.isUnspecified(0, 0));
        assertFalse(Ipv6.isUnspecified(0, 1));
        assertTrue(Ipv6.isLoopback(Reference6.hi("::1"), Reference6.lo("::1")));
        assertFalse(Ipv6.isLoopback(A_HI, A_LO));
        assertTrue(Ipv6.isLinkLocal(Reference6.hi("fe80::ff:fe00:a01")));
        assertTrue(Ipv6.isLinkLocal(Reference6.hi("febf::1")));
        assertFalse(Ipv6.isLinkLocal(Reference6.hi("fec0::1")));
        assertFalse(Ipv6.isLinkLocal(A_HI));
        assertEquals(Reference6.hi("ff02::1"), Ipv6.ALL_NODES_HI);
        assertEquals(Reference6.lo("ff02::1"), Ipv6.ALL_NODES_LO);
        assertEquals(Reference6.lo("ff02::2"), Ipv6.ALL_ROUTERS_LO);
        assertEquals(Reference6.lo("ff02::1:ffab:cdef"), Ipv6.solicitedNodeLo(Reference6.lo("2001:db8::12ab:cdef")));
        assertTrue(Ipv6.isSolicitedNode(Reference6.hi("ff02::1:ff00:1"), Reference6.lo("ff02::1:ff00:1")));
        assertFalse(Ipv6.isSolicitedNode(Reference6.hi("ff02::1"), Reference6.lo("ff02::1")));
        assertFalse(Ipv6.isSolicitedNode(Reference6.hi("ff05::1:ff00:1"), Reference6.lo("ff05::1:ff00:1")));
    }

    @Test
    void solicitedNodeAddressAndMacAreTheKernels() {
        // The DAD solicitation for fd00:a::1 went to its solicited-node group, at that group's MAC.
        byte[] f = frame(DAD_NS);
        assertEquals(Ipv6.SOLICITED_NODE_HI, Ipv6.dstHi(f, IP));
        assertEquals(Ipv6.solicitedNodeLo(A_LO), Ipv6.dstLo(f, IP));
        assertEquals(Ipv6.multicastMac(Ipv6.dstLo(f, IP)), Ethernet.dst(f, 0));
        assertEquals(0x3333ff000001L, Ethernet.dst(f, 0));
        assertEquals(0x333300000001L, Ipv6.multicastMac(Ipv6.ALL_NODES_LO));
        assertEquals(Ipv6.multicastMac(Ipv6.ALL_NODES_LO), Ethernet.dst(frame(UNSOLICITED_NA), 0));
    }
}
