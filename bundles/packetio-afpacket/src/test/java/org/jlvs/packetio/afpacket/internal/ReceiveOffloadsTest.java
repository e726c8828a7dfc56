package org.jlvs.packetio.afpacket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The warning at open for an interface that merges received frames: one line, the interface and the fix. */
class ReceiveOffloadsTest {
    @Test
    void offloadsOffGiveNoWarning() {
        assertNull(new ReceiveOffloads(false, false).warning("eth1"));
    }

    @Test
    void groOnNamesTheInterfaceAndTheEthtoolCommand() {
        assertEquals("interface eth1: GRO is on; merged frames larger than a ring slot are dropped (droppedFrames)."
                + " Turn it off: ethtool -K eth1 gro off", new ReceiveOffloads(true, false).warning("eth1"));
    }

    @Test
    void lroAloneAndBoth() {
        assertEquals("interface eth0: LRO is on; merged frames larger than a ring slot are dropped (droppedFrames)."
                + " Turn it off: ethtool -K eth0 lro off", new ReceiveOffloads(false, true).warning("eth0"));
        assertEquals("interface eth0: GRO and LRO are on; merged frames larger than a ring slot are dropped"
                + " (droppedFrames). Turn it off: ethtool -K eth0 gro off lro off",
                new ReceiveOffloads(true, true).warning("eth0"));
    }
}
