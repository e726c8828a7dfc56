package org.jlvs.core.internal;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.spi.Forwarder;
import org.jlvs.api.spi.Frame;
import org.jlvs.api.spi.RealServer;
import org.jlvs.packet.Bytes;
import org.jlvs.packet.Checksums;
import org.jlvs.packet.Checksums6;
import org.jlvs.packet.FrameCheck6;
import org.jlvs.packet.Ipv6;
import org.jlvs.packet.Ipv6Headers;

/**
 * Test-only IPv6 forwarders, so that the core's tests do not wait for the forwarder bundles' IPv6 rewrites:
 * NAT rewrites the destination (to the server) or the source (to the VIP6) and the port, checksums updated
 * incrementally; DR leaves the packet as it is; TUN puts an outer IPv6 header (next header 41) from the
 * director's address on the server's link in front, refusing what would not fit with the MTU left.
 */
final class TestForwarders6 {
    private TestForwarders6() {}

    static final class Nat implements Forwarder {
        int toServer, toClient;

        @Override public ForwardMethod method() { return ForwardMethod.MASQ; }

        @Override
        public int toRealServer(Frame frame, RealServer server, int localAddress) {
            Ip6Address to = server.address6();
            if (to == null || Ipv6.version(frame.data, frame.ipOffset) != 6) return 0;
            rewrite(frame, Ipv6.DST_OFFSET, to.hi(), to.lo(), 2, server.port());
            toServer++;
            return 1;
        }

        @Override
        public boolean toClient(Frame frame, int virtualAddress, int virtualPort) {
            if (virtualAddress != 0) return false;
            rewrite(frame, Ipv6.SRC_OFFSET, frame.virtualHi, frame.virtualLo, 0, virtualPort);
            toClient++;
            return true;
        }

        private static void rewrite(Frame frame, int field, long hi, long lo, int portOffset, int port) {
            byte[] b = frame.data;
            int ip = frame.ipOffset;
            long walk = FrameCheck6.inspectIpv6(b, ip, frame.ipLength);
            Checksums6.rewriteAddress(b, ip, walk, field, hi, lo);
            if (port == 0) return;
            int l4 = Ipv6Headers.l4Offset(walk, ip);
            int at = l4 + Checksums6.l4ChecksumOffset(Ipv6Headers.protocol(walk));
            int old = Bytes.u16(b, l4 + portOffset);
            Bytes.put16(b, l4 + portOffset, port);
            Bytes.put16(b, at, Checksums.update16(Bytes.u16(b, at), old, port));
        }
    }

    static final class Dr implements Forwarder {
        @Override public ForwardMethod method() { return ForwardMethod.ROUTE; }

        @Override
        public int toRealServer(Frame frame, RealServer server, int localAddress) {
            return server.address6() == null ? 0 : 1;
        }
    }

    static final class Tun implements Forwarder {
        int tunnelled;

        @Override public ForwardMethod method() { return ForwardMethod.TUNNEL; }

        @Override
        public int toRealServer(Frame frame, RealServer server, int localAddress) {
            Ip6Address to = server.address6();
            if (to == null) return 0;
            if (frame.mtu > 0 && frame.ipLength + Ipv6.HEADER_LENGTH > frame.mtu) {
                frame.tooBigMtu = frame.mtu - Ipv6.HEADER_LENGTH;
                return 0;
            }
            int inner = frame.ipLength;
            frame.ipOffset -= Ipv6.HEADER_LENGTH;
            frame.ipLength += Ipv6.HEADER_LENGTH;
            Ipv6.writeHeader(frame.data, frame.ipOffset, 0, 0, inner, 41, 64, frame.localHi, frame.localLo,
                    to.hi(), to.lo());
            tunnelled++;
            return 1;
        }
    }
}
