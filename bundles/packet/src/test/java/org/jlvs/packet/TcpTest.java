package org.jlvs.packet;

import static org.jlvs.packet.Captured.*;
import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class TcpTest {
    @Test
    void settersAndGetters() {
        byte[] t = new byte[20];
        Tcp.setSrcPort(t, 0, 65535);
        Tcp.setDstPort(t, 0, 80);
        Tcp.setSeq(t, 0, 0xfedcba98);
        Tcp.setAck(t, 0, 0x01234567);
        t[12] = 0x0f; // reserved bits survive setDataOffset
        Tcp.setDataOffset(t, 0, 5);
        Tcp.setFlags(t, 0, Tcp.SYN | Tcp.ACK | Tcp.CWR);
        Tcp.setWindow(t, 0, 0xabcd);
        Tcp.setChecksum(t, 0, 0x1234);
        Tcp.setUrgentPointer(t, 0, 7);
        assertEquals(65535, Tcp.srcPort(t, 0));
        assertEquals(80, Tcp.dstPort(t, 0));
        assertEquals(0xfedcba98, Tcp.seq(t, 0));
        assertEquals(0x01234567, Tcp.ack(t, 0));
        assertEquals(5, Tcp.dataOffset(t, 0));
        assertEquals(0x5f, t[12]);
        assertEquals(20, Tcp.headerLength(t, 0));
        assertEquals(Tcp.SYN | Tcp.ACK | Tcp.CWR, Tcp.flags(t, 0));
        assertTrue(Tcp.hasFlags(t, 0, Tcp.SYN));
        assertFalse(Tcp.hasFlags(t, 0, Tcp.SYN | Tcp.FIN));
        assertEquals(0xabcd, Tcp.window(t, 0));
        assertEquals(0x1234, Tcp.checksum(t, 0));
        assertEquals(7, Tcp.urgentPointer(t, 0));
        assertEquals(-1, Tcp.mss(t, 0));
    }

    @Test
    void clampMssOfTheCapturedSyn() {
        byte[] syn = frame(OFFLOAD_OFF, TCP_SYN);
        int tcp = 34;
        assertEquals(1460, Tcp.mss(syn, tcp));
        byte[] copy = syn.clone();
        assertFalse(Tcp.clampMss(syn, tcp, 1460));
        assertArrayEquals(copy, syn);
        assertTrue(Tcp.clampMss(syn, tcp, 1440));
        assertEquals(1440, Tcp.mss(syn, tcp));
        assertEquals(Reference.l4Checksum(syn, 14), Tcp.checksum(syn, tcp));
    }

    @Test
    void clampMssAtAnOddOffset() {
        // NOP, MSS 9000, NOP, NOP, NOP: the MSS value starts 23 bytes into the header.
        byte[] f = new byte[14 + 20 + 28 + 5];
        Ipv4.writeHeader(f, 14, 0, 20 + 28 + 5, 1, true, 64, Ipv4.PROTO_TCP, 0x0a000001, 0x0a000002);
        int tcp = 34;
        Tcp.setDataOffset(f, tcp, 7);
        Tcp.setFlags(f, tcp, Tcp.SYN);
        byte[] options = {1, 2, 4, 0x23, 0x28, 1, 1, 1};
        System.arraycopy(options, 0, f, tcp + 20, options.length);
        f[f.length - 1] = 'x';
        Checksums.completeL4Checksum(f, 14);
        assertEquals(9000, Tcp.mss(f, tcp));
        assertTrue(Tcp.clampMss(f, tcp, 1400));
        assertEquals(1400, Tcp.mss(f, tcp));
        assertEquals(Reference.l4Checksum(f, 14), Tcp.checksum(f, tcp));
        assertEquals(1, f[tcp + 20]);
        assertEquals(1, f[tcp + 25]);
    }

    @Test
    void malformedOptionsEndTheSearch() {
        byte[] t = new byte[32];
        Tcp.setDataOffset(t, 0, 8);
        t[20] = 3; // window scale with length 0: malformed
        t[21] = 0;
        t[22] = 2;
        t[23] = 4;
        assertEquals(-1, Tcp.mss(t, 0));
        t[20] = 0; // end of list before an MSS
        assertEquals(-1, Tcp.mss(t, 0));
        t[20] = 1;
        t[21] = 1;
        t[28] = 2;
        t[29] = 4;
        t[22] = 8; // an option running past the header hides the MSS behind it
        t[23] = 12;
        assertEquals(-1, Tcp.mss(t, 0));
        t[23] = 2; // an empty 2-byte option, then the MSS that ends exactly at the header's end
        t[24] = 1;
        t[25] = 1;
        t[26] = 1;
        t[27] = 1;
        t[30] = 0x05;
        t[31] = (byte) 0xb4;
        assertEquals(1460, Tcp.mss(t, 0));
        t[29] = 3; // wrong MSS length
        assertEquals(-1, Tcp.mss(t, 0));
        assertFalse(Tcp.clampMss(t, 0, 100));
    }
}
