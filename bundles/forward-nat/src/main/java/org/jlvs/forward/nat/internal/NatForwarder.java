package org.jlvs.forward.nat.internal;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.spi.Forwarder;
import org.jlvs.api.spi.Frame;
import org.jlvs.api.spi.RealServer;
import org.jlvs.packet.Ipv4;
import org.jlvs.packet.Nat;
import org.jlvs.packet.Tcp;
import org.osgi.service.component.annotations.Component;

/**
 * VS/NAT ("Masq"): requests get the real server's address and port as destination, replies get the virtual
 * address and port as source; IP and TCP/UDP checksums are updated incrementally (RFC 1624).
 */
@Component(service = Forwarder.class, property = Forwarder.PROPERTY + "=masq")
public class NatForwarder implements Forwarder {

    @Override
    public ForwardMethod method() {
        return ForwardMethod.MASQ;
    }

    @Override
    public int toRealServer(Frame frame, RealServer server, int localAddress) {
        byte[] b = frame.data;
        int ip = frame.ipOffset;
        // A server without a port (persistent port-0 services) keeps the packet's port.
        int port = server.port() != 0 ? server.port() : Tcp.dstPort(b, ip + Ipv4.headerLength(b, ip));
        return Nat.rewriteDestination(b, ip, server.address(), port) ? server.address() : 0;
    }

    @Override
    public boolean toClient(Frame frame, int virtualAddress, int virtualPort) {
        return Nat.rewriteSource(frame.data, frame.ipOffset, virtualAddress, virtualPort);
    }
}
