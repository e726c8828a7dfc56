package org.jlvs.forward.dr.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.spi.Frame;
import org.jlvs.api.Ip4;
import org.jlvs.api.spi.RealServer;
import org.jlvs.packet.Checksums;
import org.jlvs.packet.Ipv4;
import org.junit.jupiter.api.Test;

class DrForwarderTest {
    private static final int CLIENT = Ip4.parse("10.99.1.2");
    private static final int VIP = Ip4.parse("10.99.2.100");
    private static final int RS = Ip4.parse("10.99.2.12");
    private static final int DIRECTOR = Ip4.parse("10.99.2.1");

    private final DrForwarder dr = new DrForwarder();

    @Test
    void thePacketIsDeliveredUnchangedToTheRealServer() {
        assertEquals(ForwardMethod.ROUTE, dr.method());
        for (int payload : new int[] {0, 1, 100, 1460}) {
            Frame f = tcp(payload, true, 1500);
            byte[] before = f.data.clone();
            assertEquals(RS, dr.toRealServer(f, server(), DIRECTOR));
            assertArrayEquals(before, f.data, "direct routing changes no byte of the packet");
            assertEquals(Frame.HEADROOM, f.ipOffset);
            assertEquals(40 + payload, f.ipLength);
            assertEquals(0, f.tooBigMtu);
        }
    }

    @Test
    void aPacketAboveTheMtuWithDfAsksForFragmentationNeeded() {
        Frame f = tcp(1460, true, 1400);
        byte[] before = f.data.clone();
        assertEquals(0, dr.toRealServer(f, server(), DIRECTOR));
        assertEquals(1400, f.tooBigMtu);
        assertArrayEquals(before, f.data, "a refused packet is left as it was, for the ICMP quote");

        Frame noDf = tcp(1460, false, 1400);
        assertEquals(RS, dr.toRealServer(noDf, server(), DIRECTOR), "without DF the core fragments it");
        assertEquals(0, noDf.tooBigMtu);

        Frame unknownMtu = tcp(1460, true, 0);
        assertEquals(RS, dr.toRealServer(unknownMtu, server(), DIRECTOR), "no MTU known: no limit");
    }

    private static RealServer server() {
        return new RealServer() {
            @Override public int address() { return RS; }
            @Override public int port() { return 80; }
            @Override public ForwardMethod forwardMethod() { return ForwardMethod.ROUTE; }
            @Override public int weight() { return 1; }
            @Override public int lastWeight() { return 1; }
            @Override public int activeConns() { return 0; }
            @Override public int inactiveConns() { return 0; }
            @Override public int persistentConns() { return 0; }
            @Override public boolean overloaded() { return false; }
        };
    }

    /** A client's TCP segment to VIP:80 at HEADROOM, with a complete checksum, as the core hands it over. */
    private static Frame tcp(int payload, boolean df, int mtu) {
        Frame f = new Frame(Frame.HEADROOM + 40 + payload);
        int ip = Frame.HEADROOM;
        byte[] b = f.data;
        Ipv4.writeHeader(b, ip, 0x10, 40 + payload, 0x1234, df, 63, 6, CLIENT, VIP);
        int l4 = ip + 20;
        b[l4] = (byte) 0x9c;
        b[l4 + 1] = 0x40;
        b[l4 + 3] = 80;
        b[l4 + 12] = 0x50;
        b[l4 + 13] = 0x18;
        Arrays.fill(b, l4 + 20, l4 + 20 + payload, (byte) 'x');
        int sum = Checksums.l4Checksum(b, ip);
        b[l4 + 16] = (byte) (sum >> 8);
        b[l4 + 17] = (byte) sum;
        f.ipOffset = ip;
        f.ipLength = 40 + payload;
        f.mtu = mtu;
        return f;
    }
}
