package org.jlvs.core.internal;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Protocol;
import org.jlvs.api.spi.Flow;
import org.jlvs.api.spi.Forwarder;
import org.jlvs.api.spi.Frame;
import org.jlvs.api.spi.PacketIo;
import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.packet.Checksums6;
import org.jlvs.packet.Ethernet;
import org.jlvs.packet.FrameCheck6;
import org.jlvs.packet.Icmpv6;
import org.jlvs.packet.Ipv6;
import org.jlvs.packet.Ipv6Headers;
import org.jlvs.packet.Ndp;
import org.jlvs.packet.Tcp;

/**
 * The IPv6 frames (EtherType 0x86DD) of one receive thread: Neighbour Discovery for the VIP6s and the real
 * servers, echo for the VIP6s, and IPv6 connections to virtual services, NAT both ways and direct routing.
 * One instance per {@link PacketPath}, with its own frame and views, reused for every frame: no allocation, no
 * logging per frame. Frames that fail {@link FrameCheck6} are counted as malformed and dropped; fragments to a
 * VIP6 are dropped and counted (no IPv6 reassembly yet); ICMPv6 errors about a connection are relayed as IPVS
 * relays them ({@link IcmpRelay6}); frames to the director's own addresses are the host's business.
 */
final class Ipv6Path {
    private static final int ETH = Ethernet.HEADER_LENGTH;
    private static final int TCP = Ipv6.NEXT_TCP, UDP = Ipv6.NEXT_UDP;
    private static final int SYN_FIN_RST_ACK = Tcp.SYN | Tcp.FIN | Tcp.RST | Tcp.ACK;
    private static final int IP = Frame.HEADROOM;

    private final DataPlane plane;
    private final Link link;
    private final DataPathCounters counters;
    private final Frame frame = new Frame(Frame.HEADROOM + 65536);
    private final byte[] scratch = new byte[Frame.HEADROOM + Ipv6.MIN_MTU];
    private final Conn6 conn = new Conn6();
    private final MutableFlow6 flow = new MutableFlow6();
    private final IcmpRateLimit icmpLimit = new IcmpRateLimit();
    private boolean checksumKnown, checksumPartial;

    Ipv6Path(DataPlane plane, Link link) {
        this.plane = plane;
        this.link = link;
        this.counters = plane.counters;
    }

    void handle(byte[] in, int length, boolean checksumKnown, boolean checksumPartial) {
        byte[] b = frame.data;
        if (length - ETH > b.length - IP) { // more than an IPv6 packet can be
            counters.droppedMalformed.increment();
            return;
        }
        this.checksumKnown = checksumKnown;
        this.checksumPartial = checksumPartial;
        System.arraycopy(in, 0, b, IP - ETH, length);
        long walk = FrameCheck6.inspectIpv6(b, IP, length - ETH);
        int reason = Ipv6Headers.reason(walk);
        if (reason == FrameCheck6.FRAGMENT) {
            if (plane.services.index().isVirtualAddress6(Ipv6.dstHi(b, IP), Ipv6.dstLo(b, IP))) {
                counters.droppedIpv6Fragment.increment();
            }
            return;
        }
        if (reason != FrameCheck6.OK) {
            counters.droppedMalformed.increment();
            return;
        }
        if ((Ipv6Headers.flags(walk) & Ipv6Headers.ROUTING_TRANSIT) != 0) return; // not its final destination
        frame.ipOffset = IP;
        frame.ipLength = Ipv6.HEADER_LENGTH + Ipv6.payloadLength(b, IP);
        int protocol = Ipv6Headers.protocol(walk);
        if (protocol == Ipv6.NEXT_ICMPV6) handleIcmp(b, walk);
        else if (protocol == TCP || protocol == UDP) handleTransport(b, walk, protocol);
    }

    private void handleIcmp(byte[] b, long walk) {
        int icmp = Ipv6Headers.l4Offset(walk, IP);
        int type = Icmpv6.type(b, icmp);
        ServiceIndex index = plane.services.index();
        if (IcmpRelay6.relayed(type)) {
            long dstHi = Ipv6.dstHi(b, IP), dstLo = Ipv6.dstLo(b, IP);
            if ((dstHi != link.address6Hi || dstLo != link.address6Lo) && !Ipv6.isMulticast(dstHi)) {
                handleIcmpError(b, walk, icmp, index.isVirtualAddress6(dstHi, dstLo)); // else the kernel's
            }
        } else if (type == Icmpv6.NEIGHBOUR_SOLICITATION) {
            if (Ndp.checkSolicitation(b, IP, walk) != FrameCheck6.OK) {
                counters.droppedMalformed.increment();
                return;
            }
            int end = icmp + Checksums6.l4Length(b, IP, icmp);
            long sourceMac = Ndp.linkLayerAddress(b, icmp + Ndp.MESSAGE_LENGTH, end, Ndp.OPTION_SOURCE_LLA);
            if (sourceMac >= 0) link.neighbours6.learn(Ipv6.srcHi(b, IP), Ipv6.srcLo(b, IP), sourceMac);
            long targetHi = Ndp.targetHi(b, icmp), targetLo = Ndp.targetLo(b, icmp);
            if (!index.isVirtualAddress6(targetHi, targetLo)) return;
            if (!plane.role.mayServe6(targetHi, targetLo)) {
                counters.ignoredNotMaster.increment();
                return;
            }
            int eth = IP - ETH;
            int n = Ndp.toAdvertisementFrame(b, eth, walk, link.mac, false);
            if (n > 0) {
                send(link.channel, b, eth, n);
                counters.neighbourAdvertisements.increment();
            }
        } else if (type == Icmpv6.NEIGHBOUR_ADVERTISEMENT) {
            if (Ndp.checkAdvertisement(b, IP, walk) != FrameCheck6.OK) {
                counters.droppedMalformed.increment();
                return;
            }
            int end = icmp + Checksums6.l4Length(b, IP, icmp);
            long mac = Ndp.linkLayerAddress(b, icmp + Ndp.MESSAGE_LENGTH, end, Ndp.OPTION_TARGET_LLA);
            if (mac < 0) mac = Ethernet.src(b, IP - ETH);
            link.neighbours6.learn(Ndp.targetHi(b, icmp), Ndp.targetLo(b, icmp), mac);
        } else if (type == Icmpv6.ECHO_REQUEST && index.isVirtualAddress6(Ipv6.dstHi(b, IP), Ipv6.dstLo(b, IP))) {
            if (!Checksums6.l4ChecksumValid(b, IP, icmp, Ipv6.NEXT_ICMPV6)) {
                counters.droppedBadChecksum.increment();
                return;
            }
            if (!plane.role.mayServe6(Ipv6.dstHi(b, IP), Ipv6.dstLo(b, IP))) {
                counters.ignoredNotMaster.increment();
                return;
            }
            long srcMac = Ethernet.src(b, IP - ETH);
            int n = Icmpv6.toEchoReply(b, IP, walk);
            if (n > 0) {
                sendOn(link, b, IP, n, srcMac);
                counters.echoReplies.increment();
            }
        }
    }

    /**
     * An ICMPv6 error (IPVS's ip_vs_in_icmp_v6 / ip_vs_out_icmp_v6): the quoted packet names the connection.
     * Addressed to a VIP6, it came from the client's side about a packet sent to the client; else from the
     * server's side about a packet the real server received. Relayed to the other side; any other is dropped.
     */
    private void handleIcmpError(byte[] b, long walk, int icmp, boolean toVirtual) {
        long inner = FrameCheck6.inspectIcmpv6Error(b, IP, walk);
        if (Ipv6Headers.reason(inner) != FrameCheck6.OK) {
            counters.droppedMalformed.increment();
            return;
        }
        if (!Checksums6.l4ChecksumValid(b, IP, icmp, Ipv6.NEXT_ICMPV6)) { // a corrupted error is not relayed
            counters.droppedBadChecksum.increment();
            return;
        }
        int q = Icmpv6.quotedOffset(icmp);
        int qProtocol = Ipv6Headers.protocol(inner);
        if ((qProtocol != TCP && qProtocol != UDP) || !Ipv6Headers.hasUpperLayerHeader(inner)) {
            counters.droppedIcmpUnrelated.increment();
            return;
        }
        int ports = Ipv6Headers.l4Offset(inner, q);
        // both directions look up (protocol, quoted destination and its port, quoted source and its port)
        long aHi = Ipv6.dstHi(b, q), aLo = Ipv6.dstLo(b, q), bHi = Ipv6.srcHi(b, q), bLo = Ipv6.srcLo(b, q);
        int aPort = Tcp.dstPort(b, ports), bPort = Tcp.srcPort(b, ports);
        Conn6 c = conn;
        if (toVirtual) {
            if (!plane.conns6.findByClient(qProtocol, aHi, aLo, aPort, bHi, bLo, bPort, c)) {
                counters.droppedIcmpUnrelated.increment();
                return;
            }
            if (c.noOutput()) {
                forwardIcmpError(c);
                return;
            }
            NextHop6 hop = c.dest.nextHop6;
            if (hop == null || hop.neighbour.mac == Neighbours6.UNKNOWN) {
                counters.droppedNoNeighbour.increment();
                return;
            }
            org.jlvs.api.Ip6Address rip = c.dest.address6();
            IcmpRelay6.toServer(b, IP, icmp, inner, rip.hi(), rip.lo(), c.destPort());
            int eth = IP - ETH;
            Ethernet.writeHeader(b, eth, hop.neighbour.mac, hop.link.mac, Ethernet.TYPE_IPV6);
            send(hop.link.channel, b, eth, frame.ipLength + ETH);
        } else {
            if (!plane.conns6.findByServer(qProtocol, aHi, aLo, aPort, bHi, bLo, bPort, c)) {
                counters.droppedIcmpUnrelated.increment();
                return;
            }
            IcmpRelay6.toClient(b, IP, icmp, inner, c.virtualHi, c.virtualLo, c.virtualPort);
            sendOn(c.clientLink, b, IP, frame.ipLength, c.clientMac);
        }
        counters.icmpErrorsRelayed.increment();
    }

    /**
     * An ICMPv6 error about a DR or TUN connection (a router's Packet Too Big for a reply the real server sent
     * from the VIP6): forwarded unchanged through the connection's method, as ip_vs_icmp_xmit_v6 hands it to
     * the connection's packet_xmit, so that the real server lowers its path MTU.
     */
    private void forwardIcmpError(Conn6 c) {
        Dest dest = c.dest;
        Forwarder forwarder = plane.services.forwarder(dest.forwardMethod());
        NextHop6 hop = dest.nextHop6;
        if (forwarder == null || hop == null || hop.neighbour.mac == Neighbours6.UNKNOWN) {
            counters.droppedNoNeighbour.increment();
            return;
        }
        frame.mtu = hop.mtu;
        frame.tooBigMtu = 0;
        frame.localHi = hop.link.address6Hi;
        frame.localLo = hop.link.address6Lo;
        if (forwarder.toRealServer(frame, dest, 0) == 0
                || (hop.mtu > 0 && frame.ipLength > hop.mtu)) { // an error quotes at most 1,232 bytes: rare
            counters.droppedForwarder.increment();
            return;
        }
        int eth = frame.ipOffset - ETH;
        Ethernet.writeHeader(frame.data, eth, hop.neighbour.mac, hop.link.mac, Ethernet.TYPE_IPV6);
        send(hop.link.channel, frame.data, eth, frame.ipLength + ETH);
        counters.icmpErrorsForwarded.increment();
    }

    private void handleTransport(byte[] b, long walk, int protocol) {
        int l4 = Ipv6Headers.l4Offset(walk, IP);
        long srcHi = Ipv6.srcHi(b, IP), srcLo = Ipv6.srcLo(b, IP);
        long dstHi = Ipv6.dstHi(b, IP), dstLo = Ipv6.dstLo(b, IP);
        if (Ipv6.isMulticast(dstHi)) return; // the link's multicast (mDNS, ...) is the host's: no VIP6 is multicast
        int sport = Tcp.srcPort(b, l4); // UDP has its ports at the same offsets
        int dport = Tcp.dstPort(b, l4);
        int flags = protocol == TCP ? Tcp.flags(b, l4) : 0;
        long srcMac = Ethernet.src(b, IP - ETH);
        RoleGate role = plane.role;
        Conn6Table conns = plane.conns6;
        Conn6 c = conn;
        if (conns.findByClient(protocol, srcHi, srcLo, sport, dstHi, dstLo, dport, c)) {
            if (!role.mayServe6(dstHi, dstLo)) {
                counters.droppedNotMaster.increment();
                return;
            }
            Sysctls sysctls = plane.sysctls;
            if (protocol == TCP && (flags & SYN_FIN_RST_ACK) == Tcp.SYN
                    && PacketPath.rescheduled(c.state, c.dest, c.controlled, sysctls)) {
                conns.remove(c); // a new connection on a closing entry's ports: scheduled again below
            } else if (c.dest.deleted) {
                counters.droppedDestUnavailable.increment();
                if (!sysctls.expireNodestConn) return;
                conns.remove(c);
            } else {
                toServer(c, flags, walk);
                return;
            }
        } else if (conns.findByServer(protocol, srcHi, srcLo, sport, dstHi, dstLo, dport, c)) {
            // a NAT reply that reached a backup (the server's stale neighbour entry for its gateway)
            if (role.mayServe6(c.virtualHi, c.virtualLo)) toClient(c, flags, walk);
            else counters.droppedNotMaster.increment();
            return;
        }
        Service service = plane.services.index().find6(protocol, dstHi, dstLo, dport);
        if (service == null) return;
        if (!role.mayServe6(dstHi, dstLo)) {
            counters.droppedNotMaster.increment();
            return;
        }
        newFlow(service, protocol, srcHi, srcLo, sport, dstHi, dstLo, dport, flags, srcMac, walk);
    }

    private void newFlow(Service service, int protocol, long srcHi, long srcLo, int sport, long dstHi, long dstLo,
                         int dport, int flags, long srcMac, long walk) {
        if (protocol == TCP && (flags & SYN_FIN_RST_ACK) != Tcp.SYN) {
            counters.droppedNoConnection.increment(); // only a SYN creates a TCP connection (sloppy_tcp = 0)
            return;
        }
        Scheduler.Binding binding = service.binding;
        if (binding == null) {
            counters.droppedNoScheduler.increment();
            sendPortUnreachable(walk, dstHi, dstLo, srcMac);
            return;
        }
        Conn6Table conns = plane.conns6;
        boolean persistent = service.config().persistence() > 0;
        // A persistent client's live template decides (even for a weight-0 server); else the scheduler does.
        Dest dest = persistent ? conns.useTemplate(service, srcHi, srcLo, plane.sysctls.expireQuiescentTemplate) : null;
        if (dest == null) {
            flow.set(protocol, srcHi, srcLo, sport, dstHi, dstLo, dport);
            RealServer picked = PacketPath.pick(binding, flow, counters);
            if (!(picked instanceof Dest) || ((Dest) picked).address6() == null) {
                counters.droppedNoServer.increment();
                sendPortUnreachable(walk, dstHi, dstLo, srcMac);
                return;
            }
            dest = (Dest) picked;
            // ip_vs_sched_persist: the template first (it counts this connection), then the connection
            if (persistent && (dest = conns.addTemplate(service, srcHi, srcLo, dest)) == null) return; // full
        }
        Conn6 c = conn;
        c.set(protocol, srcHi, srcLo, sport, dstHi, dstLo, dport, dest, service, link, srcMac);
        c.controlled = persistent;
        boolean added = conns.add(c); // false: the table is full (counted there)
        if (!added || !c.created) {
            if (persistent) conns.releaseControl(service, dest, srcHi, srcLo);
            if (!added) return;
        } else {
            service.stats.conns.increment();
            c.dest.stats.conns.increment();
        }
        toServer(c, flags, walk);
    }

    /** A packet of the client's side: rewritten by the server's method, sent to the server's MAC. */
    private void toServer(Conn6 c, int flags, long walk) {
        plane.conns6.update(c, TcpStates.DIR_INPUT, flags);
        Dest dest = c.dest;
        Forwarder forwarder = plane.services.forwarder(dest.forwardMethod());
        if (forwarder == null) {
            counters.droppedNoForwarder.increment();
            return;
        }
        NextHop6 hop = dest.nextHop6;
        if (hop == null) {
            counters.droppedNoRoute.increment();
            return;
        }
        long mac = hop.neighbour.mac;
        if (mac == Neighbours6.UNKNOWN) {
            counters.droppedNoNeighbour.increment();
            return;
        }
        completePartialChecksum(walk);
        int inLength = frame.ipLength;
        frame.mtu = hop.mtu;
        frame.tooBigMtu = 0;
        frame.localHi = hop.link.address6Hi;
        frame.localLo = hop.link.address6Lo;
        if (forwarder.toRealServer(frame, dest, 0) == 0) {
            if (frame.tooBigMtu > 0) sendPacketTooBig(c, walk, frame.tooBigMtu);
            else counters.droppedForwarder.increment();
            return;
        }
        c.service.stats.countIn(inLength);
        dest.stats.countIn(inLength);
        if (hop.mtu > 0 && frame.ipLength > hop.mtu) { // IPv6 routers never fragment
            counters.droppedTooBig.increment();
            return;
        }
        int eth = frame.ipOffset - ETH;
        Ethernet.writeHeader(frame.data, eth, mac, hop.link.mac, Ethernet.TYPE_IPV6);
        send(hop.link.channel, frame.data, eth, frame.ipLength + ETH);
    }

    /** A real server's NAT reply: rewritten to come from the VIP6 and port, sent back the client's way. */
    private void toClient(Conn6 c, int flags, long walk) {
        plane.conns6.update(c, TcpStates.DIR_OUTPUT, flags);
        Forwarder forwarder = plane.services.forwarder(ForwardMethod.MASQ);
        if (forwarder == null) {
            counters.droppedNoForwarder.increment();
            return;
        }
        completePartialChecksum(walk);
        frame.virtualHi = c.virtualHi;
        frame.virtualLo = c.virtualLo;
        if (!forwarder.toClient(frame, 0, c.virtualPort)) {
            counters.droppedForwarder.increment();
            return;
        }
        c.service.stats.countOut(frame.ipLength);
        c.dest.stats.countOut(frame.ipLength);
        Link out = c.clientLink;
        int mtu = out.channel.mtu();
        if (mtu > 0 && frame.ipLength > mtu) {
            counters.droppedTooBig.increment();
            return;
        }
        sendOn(out, frame.data, frame.ipOffset, frame.ipLength, c.clientMac);
    }

    /** As PacketPath's: a partial TCP/UDP checksum (veth offload) is completed before incremental updates. */
    private void completePartialChecksum(long walk) {
        byte[] b = frame.data;
        int ip = frame.ipOffset;
        int l4 = Ipv6Headers.l4Offset(walk, ip);
        int protocol = Ipv6Headers.protocol(walk);
        boolean partial = checksumKnown ? checksumPartial : Checksums6.l4ChecksumPartial(b, ip, l4, protocol);
        if (partial) Checksums6.completeL4Checksum(b, ip, l4, protocol);
    }

    /**
     * The appliance's answer to a client packet that does not fit once encapsulated (IPv6 routers never
     * fragment): ICMPv6 Packet Too Big with the usable MTU, from the VIP6, back the way the client's frames came.
     * Not rate limited, as icmpv6_xrlim_allow and icmpv6_global_allow never limit it (nor IPv4's "fragmentation
     * needed"): a dropped one would stall path MTU discovery. It answers one client packet with at most 1,280 bytes.
     */
    private void sendPacketTooBig(Conn6 c, long walk, int mtu) {
        counters.droppedTooBig.increment();
        if (!errorAllowed(walk, Icmpv6.PACKET_TOO_BIG, 0)) return;
        int n = Icmpv6.writePacketTooBig(frame.data, frame.ipOffset, frame.ipLength, scratch, IP, mtu, c.virtualHi,
                c.virtualLo);
        sendOn(c.clientLink, scratch, IP, n, c.clientMac);
        counters.fragNeededSent.increment();
    }

    /** ICMPv6 port unreachable from the VIP6 when no server takes the flow, as RFC 4443 and the rate limit allow. */
    private void sendPortUnreachable(long walk, long vipHi, long vipLo, long clientMac) {
        if (!errorAllowed(walk, Icmpv6.DEST_UNREACH, Icmpv6.CODE_PORT_UNREACH) || !rateAllows()) return;
        byte[] b = frame.data;
        int ip = frame.ipOffset;
        int n = Icmpv6.writeDestUnreachable(b, ip, frame.ipLength, scratch, IP, Icmpv6.CODE_PORT_UNREACH, vipHi,
                vipLo);
        sendOn(link, scratch, IP, n, clientMac);
        counters.unreachableSent.increment();
    }

    /** Whether RFC 4443 §2.4 (e) lets an error about the frame's packet go; a refusal is counted. */
    private boolean errorAllowed(long walk, int type, int code) {
        byte[] b = frame.data;
        int ip = frame.ipOffset;
        if ((Ethernet.dst(b, ip - ETH) & 0x0100_0000_0000L) != 0 || !Icmpv6.errorAllowed(b, ip, walk, type, code)) {
            counters.icmpSuppressedRfc1122.increment();
            return false;
        }
        return true;
    }

    /** Whether the rate limit ({@link IcmpRateLimit}) lets one more error go to the frame's source; counted. */
    private boolean rateAllows() {
        byte[] b = frame.data;
        int ip = frame.ipOffset;
        int peer = (int) (Ipv6.srcHi(b, ip) >>> 32) ^ (int) Ipv6.srcHi(b, ip) ^ (int) (Ipv6.srcLo(b, ip) >>> 32)
                ^ (int) Ipv6.srcLo(b, ip);
        if (icmpLimit.allow(peer, plane.clock.getAsLong())) return true;
        counters.icmpRateLimited.increment();
        return false;
    }

    private void sendOn(Link out, byte[] b, int ip, int ipLength, long dstMac) {
        int eth = ip - ETH;
        Ethernet.writeHeader(b, eth, dstMac, out.mac, Ethernet.TYPE_IPV6);
        send(out.channel, b, eth, ipLength + ETH);
    }

    private void send(PacketIo.Channel channel, byte[] b, int off, int len) {
        if (channel.send(b, off, len)) counters.framesOut.increment();
        else counters.droppedSendFailed.increment();
    }

    /**
     * The IPv6 flow handed to schedulers, reused for every new connection of this thread: the int addresses are
     * the folds ({@link org.jlvs.api.Ip6Address#fold}), so that hashing schedulers hash as the kernel does.
     */
    private static final class MutableFlow6 implements Flow {
        private int protocol, clientPort, virtualPort;
        private long clientHi, clientLo, virtualHi, virtualLo;

        void set(int protocol, long clientHi, long clientLo, int clientPort, long virtualHi, long virtualLo,
                 int virtualPort) {
            this.protocol = protocol;
            this.clientHi = clientHi;
            this.clientLo = clientLo;
            this.clientPort = clientPort;
            this.virtualHi = virtualHi;
            this.virtualLo = virtualLo;
            this.virtualPort = virtualPort;
        }

        private static int fold(long hi, long lo) {
            return (int) (hi >>> 32) ^ (int) hi ^ (int) (lo >>> 32) ^ (int) lo;
        }

        @Override public Protocol protocol() { return Protocol.of(protocol); }
        @Override public int clientAddress() { return fold(clientHi, clientLo); }
        @Override public int clientPort() { return clientPort; }
        @Override public int virtualAddress() { return fold(virtualHi, virtualLo); }
        @Override public int virtualPort() { return virtualPort; }
        @Override public boolean ipv6() { return true; }
        @Override public long clientAddressHi() { return clientHi; }
        @Override public long clientAddressLo() { return clientLo; }
        @Override public long virtualAddressHi() { return virtualHi; }
        @Override public long virtualAddressLo() { return virtualLo; }
    }
}
