package org.jlvs.packet;

/**
 * In-place address and port rewriting for NAT with incremental checksum updates (RFC 1624) of the IPv4
 * header checksum and of the TCP/UDP checksum, whose pseudo header covers the addresses. A UDP checksum of 0
 * (none) stays 0; an updated UDP checksum that comes out 0 is stored as 0xffff.
 *
 * <p>The packet must have passed {@link FrameCheck#checkIpv4} and carry a complete (not partial) transport
 * checksum: an incremental update keeps a wrong checksum wrong. Fragments are refused: their transport header is
 * only in the first one.
 */
public final class Nat {
    private Nat() {}

    /**
     * Rewrites the destination address and port of a TCP or UDP packet.
     *
     * @return false (packet untouched) when it is a fragment or neither TCP nor UDP
     */
    public static boolean rewriteDestination(byte[] buf, int ipOff, int newAddr, int newPort) {
        return rewrite(buf, ipOff, Ipv4.DST_OFFSET, newAddr, Tcp.DST_PORT_OFFSET, newPort);
    }

    /**
     * Rewrites the source address and port of a TCP or UDP packet.
     *
     * @return false (packet untouched) when it is a fragment or neither TCP nor UDP
     */
    public static boolean rewriteSource(byte[] buf, int ipOff, int newAddr, int newPort) {
        return rewrite(buf, ipOff, Ipv4.SRC_OFFSET, newAddr, Tcp.SRC_PORT_OFFSET, newPort);
    }

    /**
     * Rewrites only the destination address, of any protocol (TCP and UDP checksums follow the pseudo header).
     *
     * @return false (packet untouched) for a fragment
     */
    public static boolean rewriteDestinationAddress(byte[] buf, int ipOff, int newAddr) {
        return rewriteAddress(buf, ipOff, Ipv4.DST_OFFSET, newAddr);
    }

    /**
     * Rewrites only the source address, of any protocol (TCP and UDP checksums follow the pseudo header).
     *
     * @return false (packet untouched) for a fragment
     */
    public static boolean rewriteSourceAddress(byte[] buf, int ipOff, int newAddr) {
        return rewriteAddress(buf, ipOff, Ipv4.SRC_OFFSET, newAddr);
    }

    private static boolean rewrite(byte[] buf, int ipOff, int addrField, int newAddr, int portField, int newPort) {
        int protocol = Ipv4.protocol(buf, ipOff);
        if ((protocol != Ipv4.PROTO_TCP && protocol != Ipv4.PROTO_UDP) || Ipv4.isFragment(buf, ipOff)) return false;
        int l4 = Ipv4.payloadOffset(buf, ipOff);
        int oldAddr = Bytes.i32(buf, ipOff + addrField);
        int oldPort = Bytes.u16(buf, l4 + portField);
        long addrDelta = Checksums.delta32(oldAddr, newAddr);
        Bytes.put32(buf, ipOff + addrField, newAddr);
        Ipv4.setHeaderChecksum(buf, ipOff, Checksums.apply(Ipv4.headerChecksum(buf, ipOff), addrDelta));
        Bytes.put16(buf, l4 + portField, newPort);
        updateL4(buf, l4, protocol, addrDelta + Checksums.delta16(oldPort, newPort));
        return true;
    }

    private static boolean rewriteAddress(byte[] buf, int ipOff, int addrField, int newAddr) {
        if (Ipv4.isFragment(buf, ipOff)) return false;
        int oldAddr = Bytes.i32(buf, ipOff + addrField);
        long addrDelta = Checksums.delta32(oldAddr, newAddr);
        Bytes.put32(buf, ipOff + addrField, newAddr);
        Ipv4.setHeaderChecksum(buf, ipOff, Checksums.apply(Ipv4.headerChecksum(buf, ipOff), addrDelta));
        int protocol = Ipv4.protocol(buf, ipOff);
        if (protocol == Ipv4.PROTO_TCP || protocol == Ipv4.PROTO_UDP) {
            updateL4(buf, Ipv4.payloadOffset(buf, ipOff), protocol, addrDelta);
        }
        return true;
    }

    private static void updateL4(byte[] buf, int l4, int protocol, long delta) {
        if (protocol == Ipv4.PROTO_TCP) {
            Tcp.setChecksum(buf, l4, Checksums.apply(Tcp.checksum(buf, l4), delta));
            return;
        }
        int old = Udp.checksum(buf, l4);
        if (old == 0) return; // "no checksum" must stay so
        int checksum = Checksums.apply(old, delta);
        Udp.setChecksum(buf, l4, checksum == 0 ? 0xffff : checksum);
    }
}
