package org.jlvs.forward.dr.internal;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.spi.Forwarder;
import org.jlvs.api.spi.Frame;
import org.jlvs.api.spi.RealServer;
import org.jlvs.packet.Ipv4;
import org.jlvs.packet.Ipv6;
import org.osgi.service.component.annotations.Component;

/**
 * VS/DR ("Route", ipvsadm -g): the IP packet is not touched at all; the core sends it on the server LAN to the
 * real server's MAC address. The real server holds the virtual address on an interface that does not answer
 * ARP (lo, with arp_ignore=1 / arp_announce=2) and replies to the client directly, so the director sees only
 * the client's half of the connection. The real server's port therefore equals the service port.
 *
 * <p>IPv6 (version nibble 6) passes unchanged too, to an IPv6 server only (there is no translation between
 * families). Routers never fragment IPv6 (RFC 8200 §5): a packet larger than the server LAN's MTU is refused
 * with {@link Frame#tooBigMtu}, for the core to answer ICMPv6 Packet Too Big, as IPVS's ip_vs_dr_xmit_v6 does.
 */
@Component(service = Forwarder.class, property = Forwarder.PROPERTY + "=route")
public class DrForwarder implements Forwarder {

    @Override
    public ForwardMethod method() {
        return ForwardMethod.ROUTE;
    }

    @Override
    public int toRealServer(Frame frame, RealServer server, int localAddress) {
        boolean v6 = Ipv6.version(frame.data, frame.ipOffset) == Ipv6.VERSION;
        if (v6 != (server.address6() != null)) return 0;
        if (v6) {
            if (frame.mtu > 0 && frame.ipLength > frame.mtu) {
                frame.tooBigMtu = frame.mtu;
                return 0;
            }
            // Any value but 0 delivers to the server's own IPv6 address: its fold, unless that is 0.
            return server.address() != 0 ? server.address() : 1;
        }
        // A packet larger than the server LAN's MTU (a client LAN with a larger MTU) cannot pass unchanged:
        // with DF the client learns the MTU, as from IPVS; without DF the core fragments it.
        if (frame.mtu > 0 && frame.ipLength > frame.mtu && Ipv4.dontFragment(frame.data, frame.ipOffset)) {
            frame.tooBigMtu = frame.mtu;
            return 0;
        }
        return server.address();
    }
}
