package org.jlvs.forward.nat.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.spi.Frame;
import org.jlvs.api.Ip4;
import org.jlvs.api.spi.RealServer;
import org.jlvs.packet.Checksums;
import org.jlvs.packet.Ipv4;
import org.jlvs.packet.Tcp;
import org.junit.jupiter.api.Test;

class NatForwarderTest {
    private static final int CLIENT = Ip4.parse("10.99.1.2");
    private static final int VIP = Ip4.parse("10.99.1.100");
    private static final int RS = Ip4.parse("10.99.2.11");

    private final NatForwarder nat = new NatForwarder();

    @Test
    void requestGoesToTheRealServerAndTheReplyComesFromTheVip() {
        Random random = new Random(7);
        for (int protocol : new int[] {6, 17}) {
            for (int i = 0; i < 200; i++) {
                int payload = random.nextInt(1400);
                Frame f = packet(protocol, CLIENT, 40000 + i, VIP, 80, payload, random);
                assertEquals(RS, nat.toRealServer(f, server(RS, 8080), Ip4.parse("10.99.2.1")));
                assertEquals(RS, Ipv4.dst(f.data, f.ipOffset));
                assertEquals(8080, Tcp.dstPort(f.data, f.ipOffset + 20));
                assertEquals(40000 + i, Tcp.srcPort(f.data, f.ipOffset + 20));
                assertValid(f);

                Frame reply = packet(protocol, RS, 8080, CLIENT, 40000 + i, payload, random);
                assertTrue(nat.toClient(reply, VIP, 80));
                assertEquals(VIP, Ipv4.src(reply.data, reply.ipOffset));
                assertEquals(80, Tcp.srcPort(reply.data, reply.ipOffset + 20));
                assertValid(reply);
            }
        }
    }

    @Test
    void aPortlessServerKeepsThePacketsPort() {
        Frame f = packet(6, CLIENT, 40000, VIP, 443, 10, new Random(1));
        nat.toRealServer(f, server(RS, 0), 0);
        assertEquals(443, Tcp.dstPort(f.data, f.ipOffset + 20));
        assertValid(f);
    }

    private static void assertValid(Frame f) {
        assertEquals(Ipv4.computeHeaderChecksum(f.data, f.ipOffset), Ipv4.headerChecksum(f.data, f.ipOffset),
                "IP header checksum");
        assertTrue(Checksums.l4ChecksumValid(f.data, f.ipOffset), "TCP/UDP checksum");
    }

    /** A valid IPv4 packet with a 20-byte TCP header or an 8-byte UDP header and random payload. */
    private static Frame packet(int protocol, int src, int sport, int dst, int dport, int payload, Random random) {
        Frame f = new Frame(Frame.HEADROOM + 1600);
        int ip = Frame.HEADROOM;
        int l4Length = (protocol == 6 ? 20 : 8) + payload;
        Ipv4.writeHeader(f.data, ip, 0, 20 + l4Length, random.nextInt(65536), true, 64, protocol, src, dst);
        int l4 = ip + 20;
        f.data[l4] = (byte) (sport >> 8);
        f.data[l4 + 1] = (byte) sport;
        f.data[l4 + 2] = (byte) (dport >> 8);
        f.data[l4 + 3] = (byte) dport;
        if (protocol == 6) {
            f.data[l4 + 12] = 0x50; // data offset 5
            f.data[l4 + 13] = 0x18; // PSH ACK
        } else {
            f.data[l4 + 4] = (byte) (l4Length >> 8);
            f.data[l4 + 5] = (byte) l4Length;
        }
        for (int i = 0; i < payload; i++) f.data[l4 + (protocol == 6 ? 20 : 8) + i] = (byte) random.nextInt();
        int sum = Checksums.l4Checksum(f.data, ip);
        int at = l4 + (protocol == 6 ? 16 : 6);
        f.data[at] = (byte) (sum >> 8);
        f.data[at + 1] = (byte) sum;
        f.ipOffset = ip;
        f.ipLength = 20 + l4Length;
        return f;
    }

    private static RealServer server(int address, int port) {
        return new RealServer() {
            @Override public int address() { return address; }
            @Override public int port() { return port; }
            @Override public ForwardMethod forwardMethod() { return ForwardMethod.MASQ; }
            @Override public int weight() { return 1; }
            @Override public int lastWeight() { return 1; }
            @Override public int activeConns() { return 0; }
            @Override public int inactiveConns() { return 0; }
            @Override public int persistentConns() { return 0; }
            @Override public boolean overloaded() { return false; }
        };
    }
}
