package org.jlvs.packetio.afpacket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * While a channel is open its interface passes every multicast group up (IFF_ALLMULTI), so that Neighbour
 * Solicitations for a VIP6 (sent to a solicited-node group nobody joined) reach the director; closing the
 * channel gives the flag back. On the loopback interface, as root (as the appliance and the suite run).
 */
class AllMulticastTest {
    private static final int IFF_ALLMULTI = 0x200;

    private static int flags() throws Exception {
        return Integer.decode(Files.readString(Path.of("/sys/class/net/lo/flags")).trim());
    }

    @Test
    void anOpenChannelReceivesEveryMulticastGroup() throws Exception {
        int before = flags() & IFF_ALLMULTI;
        AfPacketChannel channel = AfPacketChannel.open("lo", null, (frame, length) -> { },
                AfPacketSettings.DEFAULTS, c -> { });
        try {
            assertEquals(IFF_ALLMULTI, flags() & IFF_ALLMULTI, "allmulti while the channel is open");
        } finally {
            channel.close();
        }
        assertEquals(before, flags() & IFF_ALLMULTI, "the flag is given back on close");
    }
}
