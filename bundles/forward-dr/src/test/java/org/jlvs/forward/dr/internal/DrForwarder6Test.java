package org.jlvs.forward.dr.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.spi.Frame;
import org.jlvs.api.spi.RealServer;
import org.jlvs.packet.Checksums6;
import org.jlvs.packet.Ipv6;
import org.junit.jupiter.api.Test;

class DrForwarder6Test {
    private static final Ip6Address RS = Ip6Address.parse("2001:db8:99:2::12");
    /**
     * TCP SYN [2001:db8:99:1::2]:40000 -> [2001:db8:99:1::100]:80, traffic class 0x28, flow label 0x12345, hop
     * limit 63, behind a Destination Options header (PadN), checksum 0xb1a4 (computed by hand, outside this code).
     */
    private static final String SYN = "62812345001c3c3f" + "20010db8009900010000000000000002"
            + "20010db8009900010000000000000100" + "0600010400000000"
            + "9c40005001020304000000005002ffffb1a40000";

    private final DrForwarder dr = new DrForwarder();

    @Test
    void anIpv6PacketPassesUnchanged() {
        Frame f = frame(1500);
        byte[] before = f.data.clone();
        assertEquals(RS.fold(), dr.toRealServer(f, server(RS), 0));
        assertArrayEquals(before, f.data, "direct routing changes no byte of the packet");
        assertEquals(Frame.HEADROOM, f.ipOffset);
        assertEquals(68, f.ipLength);
        assertEquals(0, f.tooBigMtu);
        assertTrue(Checksums6.l4ChecksumValid(f.data, f.ipOffset, f.ipOffset + 48, Ipv6.NEXT_TCP), "still valid");

        Frame unknownMtu = frame(0);
        assertNotEquals(0, dr.toRealServer(unknownMtu, server(RS), 0), "no MTU known: no limit");
    }

    @Test
    void aServerWhoseAddressFoldsToZeroStillGetsTheFrame() {
        Ip6Address foldsToZero = new Ip6Address(0x2001_0db8_0000_0000L, 0x2001_0db8_0000_0000L);
        assertNotEquals(0, dr.toRealServer(frame(1500), server(foldsToZero), 0));
    }

    @Test
    void aPacketAboveTheMtuIsTooBigWhateverItsFlagsForRoutersNeverFragmentIpv6() {
        Frame f = frame(67);
        byte[] before = f.data.clone();
        assertEquals(0, dr.toRealServer(f, server(RS), 0));
        assertEquals(67, f.tooBigMtu);
        assertArrayEquals(before, f.data, "a refused packet is left as it was, for the ICMPv6 quote");

        Frame justFits = frame(68);
        assertNotEquals(0, dr.toRealServer(justFits, server(RS), 0));
        assertEquals(0, justFits.tooBigMtu);
    }

    @Test
    void noTranslationBetweenFamilies() {
        Frame f = frame(1500);
        assertEquals(0, dr.toRealServer(f, v4Server(), 0), "an IPv6 packet for an IPv4 server");
        assertEquals(0, f.tooBigMtu);
    }

    private static Frame frame(int mtu) {
        byte[] packet = HexFormat.of().parseHex(SYN);
        Frame f = new Frame(Frame.HEADROOM + packet.length);
        System.arraycopy(packet, 0, f.data, Frame.HEADROOM, packet.length);
        f.ipOffset = Frame.HEADROOM;
        f.ipLength = packet.length;
        f.mtu = mtu;
        return f;
    }

    private static RealServer server(Ip6Address address) {
        return new TestServer(address.fold(), address);
    }

    private static RealServer v4Server() {
        return new TestServer(Ip4.parse("10.99.2.12"), null);
    }

    private record TestServer(int address, Ip6Address address6) implements RealServer {
        @Override public int port() { return 80; }
        @Override public ForwardMethod forwardMethod() { return ForwardMethod.ROUTE; }
        @Override public int weight() { return 1; }
        @Override public int lastWeight() { return 1; }
        @Override public int activeConns() { return 0; }
        @Override public int inactiveConns() { return 0; }
        @Override public int persistentConns() { return 0; }
        @Override public boolean overloaded() { return false; }
    }
}
