package org.jlvs.packetio.afpacket.internal;

import java.nio.charset.StandardCharsets;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Whether an interface merges received frames (GRO, LRO): merged super-frames are larger than a ring slot and
 * are dropped, so a director wants both off. Read with the ethtool ioctl ({@code SIOCETHTOOL}, ETHTOOL_GGRO and
 * ETHTOOL_GFLAGS), which needs no privilege. Once per open, never per frame.
 *
 * @param gro generic receive offload is on
 * @param lro large receive offload is on
 */
record ReceiveOffloads(boolean gro, boolean lro) {
    private static final int IFNAMSIZ = 16, IFREQ = 40, IFR_DATA = 16;

    /** The interface's offloads, or null when the kernel does not say (no such interface, no ethtool support). */
    static ReceiveOffloads of(String name) {
        byte[] ifname = name.getBytes(StandardCharsets.US_ASCII);
        if (ifname.length >= IFNAMSIZ) return null;
        int fd = LibC.socket(LibC.AF_INET, LibC.SOCK_DGRAM, 0);
        if (fd < 0) return null;
        try {
            Memory value = new Memory(8); // struct ethtool_value { u32 cmd; u32 data; }
            Memory ifreq = new Memory(IFREQ); // struct ifreq { char ifr_name[16]; union { void *ifr_data; ... } }
            ifreq.clear();
            ifreq.write(0, ifname, 0, ifname.length);
            ifreq.setPointer(IFR_DATA, value);
            Integer gro = ethtool(fd, ifreq, value, LibC.ETHTOOL_GGRO);
            Integer flags = ethtool(fd, ifreq, value, LibC.ETHTOOL_GFLAGS);
            if (gro == null && flags == null) return null;
            return new ReceiveOffloads(gro != null && gro != 0, flags != null && (flags & LibC.ETH_FLAG_LRO) != 0);
        } finally {
            LibC.close(fd);
        }
    }

    private static Integer ethtool(int fd, Memory ifreq, Memory value, int command) {
        value.setInt(0, command);
        value.setInt(4, 0);
        return LibC.ioctl(fd, LibC.SIOCETHTOOL, Pointer.nativeValue(ifreq)) == 0 ? value.getInt(4) : null;
    }

    /** The log line for an interface with merging on, naming it and the command that turns it off; null if off. */
    String warning(String name) {
        if (!gro && !lro) return null;
        String on = gro && lro ? "GRO and LRO are" : gro ? "GRO is" : "LRO is";
        return "interface " + name + ": " + on + " on; merged frames larger than a ring slot are dropped"
                + " (droppedFrames). Turn it off: ethtool -K " + name + (gro ? " gro off" : "") + (lro ? " lro off" : "");
    }
}
