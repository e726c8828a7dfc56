package org.jlvs.api.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Pins the numbers to the kernel's include/uapi/linux/ip_vs.h and ip_vs.h: they are on the wire. */
class IpvsConnTest {
    @Test
    void connectionFlagsAreTheKernels() {
        assertEquals(0x0007, IpvsConn.F_FWD_MASK);
        assertEquals(0x0000, IpvsConn.F_MASQ);
        assertEquals(0x0001, IpvsConn.F_LOCALNODE);
        assertEquals(0x0002, IpvsConn.F_TUNNEL);
        assertEquals(0x0003, IpvsConn.F_DROUTE);
        assertEquals(0x0004, IpvsConn.F_BYPASS);
        assertEquals(0x0020, IpvsConn.F_SYNC);
        assertEquals(0x0040, IpvsConn.F_HASHED);
        assertEquals(0x0080, IpvsConn.F_NOOUTPUT);
        assertEquals(0x0100, IpvsConn.F_INACTIVE);
        assertEquals(0x0200, IpvsConn.F_OUT_SEQ);
        assertEquals(0x0400, IpvsConn.F_IN_SEQ);
        assertEquals(0x0600, IpvsConn.F_SEQ_MASK);
        assertEquals(0x0800, IpvsConn.F_NO_CPORT);
        assertEquals(0x1000, IpvsConn.F_TEMPLATE);
        assertEquals(0x2000, IpvsConn.F_ONE_PACKET);
        // IP_VS_CONN_F_BACKUP_MASK: FWD_MASK | NOOUTPUT | INACTIVE | SEQ_MASK | NO_CPORT | TEMPLATE
        assertEquals(0x1F87, IpvsConn.F_BACKUP_MASK);
        // IP_VS_CONN_F_BACKUP_UPD_MASK: INACTIVE | SEQ_MASK
        assertEquals(0x0700, IpvsConn.F_BACKUP_UPD_MASK);
    }

    @Test
    void statesAreTheKernels() {
        int[] tcp = {IpvsConn.TCP_NONE, IpvsConn.TCP_ESTABLISHED, IpvsConn.TCP_SYN_SENT, IpvsConn.TCP_SYN_RECV,
            IpvsConn.TCP_FIN_WAIT, IpvsConn.TCP_TIME_WAIT, IpvsConn.TCP_CLOSE, IpvsConn.TCP_CLOSE_WAIT,
            IpvsConn.TCP_LAST_ACK, IpvsConn.TCP_LISTEN, IpvsConn.TCP_SYNACK};
        for (int i = 0; i < tcp.length; i++) assertEquals(i, tcp[i], "IP_VS_TCP_S_* in enum order");
        assertEquals(11, IpvsConn.TCP_STATES);
        assertEquals(11, IpvsConn.states(6));
        assertEquals(1, IpvsConn.states(17));
        assertEquals(0, IpvsConn.states(132), "SCTP is not balanced by jlvs: its entries are skipped");
        assertEquals(0, IpvsConn.TEMPLATE_NONE);
        assertEquals(1, IpvsConn.TEMPLATE_ASSURED);
        assertEquals(2, IpvsConn.TEMPLATE_STATES);
        assertEquals(180, IpvsConn.TEMPLATE_DEFAULT_TIMEOUT);
    }
}
