package org.jlvs.core.internal;

import org.jlvs.api.spi.Flow;
import org.jlvs.api.ForwardMethod;
import org.jlvs.api.spi.Forwarder;
import org.jlvs.api.spi.Frame;
import org.jlvs.api.spi.PacketIo;
import org.jlvs.api.Protocol;
import org.jlvs.api.spi.RealServer;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.packet.Arp;
import org.jlvs.packet.Bytes;
import org.jlvs.packet.Checksums;
import org.jlvs.packet.Ethernet;
import org.jlvs.packet.FrameCheck;
import org.jlvs.packet.Icmp;
import org.jlvs.packet.Ipv4;
import org.jlvs.packet.Tcp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline of one receive thread: classify a frame (ARP, ICMP to a VIP, a known connection in either
 * direction, a new flow to a virtual service), schedule new flows, let the forwarder rewrite, write the
 * Ethernet header and send. Each receive thread has its own instance, so its buffers and probe key are
 * reused for every frame without locks or allocation.
 */
final class PacketPath implements PacketIo.FrameReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(PacketPath.class);
    private static final int ETH = Ethernet.HEADER_LENGTH;
    private static final int TCP = 6, UDP = 17, ICMP = 1;
    private static final int SYN_FIN_RST_ACK = Tcp.SYN | Tcp.FIN | Tcp.RST | Tcp.ACK;
    private static final int IP_MF = 0x2000, IP_OFFSET_MASK = 0x1fff;
    /** RFC 791: every link carries 68 bytes unfragmented; below that the 8-byte fragment units do not fit. */
    private static final int MIN_FRAGMENTING_MTU = 68;

    /** The link this path receives for; its channel may still be a placeholder while the real one opens. */
    private final Link link;
    private final DataPlane plane;
    /** linkToward's answer, reused. */
    private final long[] routedMac = new long[1];
    private final DataPathCounters counters;
    private final Frame frame = new Frame(Frame.HEADROOM + 65536);
    private final byte[] scratch = new byte[Frame.HEADROOM + 1600];
    private final ConnKey.Probe probe = new ConnKey.Probe();
    /** The connection entry at hand, filled by the table (entries are not objects). */
    private final Conn conn = new Conn();
    private final MutableFlow flow = new MutableFlow();
    private final byte[] fragmentHeader = new byte[Ipv4.MIN_HEADER_LENGTH];
    private final IcmpRateLimit icmpLimit = new IcmpRateLimit();
    private final Reassembly reassembly;
    /** The IPv6 frames' path, with buffers of its own. */
    private final Ipv6Path ipv6;
    /** Whether the frame at hand came with the kernel's checksum status, and that status. */
    private boolean checksumKnown;
    private boolean checksumPartial;

    PacketPath(DataPlane plane, Link link) {
        this.plane = plane;
        this.link = link;
        this.counters = plane.counters;
        this.reassembly = new Reassembly(counters);
        this.ipv6 = new Ipv6Path(plane, link);
    }

    @Override
    public void onFrame(byte[] in, int length) {
        checksumKnown = false;
        receive(in, length);
    }

    /** From a PacketIo that reads the kernel's checksum status: complete exactly the partial checksums. */
    @Override
    public void onFrame(byte[] in, int length, boolean checksumPartial) {
        checksumKnown = true;
        this.checksumPartial = checksumPartial;
        receive(in, length);
    }

    /**
     * Another receive thread of the same link (PACKET_FANOUT) gets a path of its own: the buffers, probe key,
     * reassembly and ICMP rate limit here are one thread's; the tables, neighbours and counters behind them are
     * shared by every receive thread already (one per interface).
     */
    @Override
    public PacketIo.FrameReceiver forAnotherThread() {
        return new PacketPath(plane, link);
    }

    private void receive(byte[] in, int length) {
        counters.framesIn.increment();
        try {
            handle(link, in, length);
        } catch (RuntimeException e) {
            // A frame must never end the receive thread. Malformed frames are caught by the checks before
            // any accessor reads them, so this is a bug: counted apart, logged once with its stack.
            counters.exceptions.increment();
            if (!counters.exceptionLogged) {
                counters.exceptionLogged = true;
                LOG.error("frame of {} bytes on {} dropped by an exception (logged once; see the exceptions"
                        + " counter)", length, link.name, e);
            }
        }
    }

    private void handle(Link link, byte[] in, int length) {
        if (length < ETH) {
            counters.droppedMalformed.increment();
            return;
        }
        int type = Ethernet.type(in, 0);
        if (type == Ethernet.TYPE_ARP) {
            handleArp(link, in, length);
            return;
        }
        if (type == Ethernet.TYPE_IPV6) {
            ipv6.handle(in, length, checksumKnown, checksumPartial);
            return;
        }
        if (type != Ethernet.TYPE_IPV4) return; // not ours: other protocols are the host's business
        int check = FrameCheck.checkIpv4(in, ETH, length - ETH);
        byte[] b = frame.data;
        int ip = Frame.HEADROOM;
        int ipLength;
        if (check == FrameCheck.FRAGMENT) {
            // IPVS schedules whole datagrams (the kernel defragments first); the director's own are its kernel's
            if (Ipv4.dst(in, ETH) == link.address) return;
            ipLength = reassembly.add(in, ETH, plane.clock.getAsLong(), b, ip);
            if (ipLength == 0) return;
            checksumPartial = false; // the sender's kernel completes a checksum before it fragments
            if (FrameCheck.checkIpv4(b, ip, ipLength) != FrameCheck.OK) {
                counters.droppedMalformed.increment();
                return;
            }
        } else if (check != FrameCheck.OK) {
            counters.droppedMalformed.increment();
            return;
        } else {
            ipLength = Ipv4.totalLength(in, ETH);
            System.arraycopy(in, ETH, b, ip, ipLength);
        }
        frame.ipOffset = ip;
        frame.ipLength = ipLength;
        long srcMac = Ethernet.src(in, 0);

        int protocol = Ipv4.protocol(b, ip);
        int src = Ipv4.src(b, ip);
        int dst = Ipv4.dst(b, ip);
        if (martian(src)) {
            counters.droppedMartian.increment(); // the kernel's ip_route_input drops them before IPVS sees them
            return;
        }
        RoleGate role = plane.role;
        if (!role.mayServe(dst)) { // a VRRP backup: the master serves this address (a stale neighbour sent it here)
            if (protocol == ICMP) counters.ignoredNotMaster.increment();
            else counters.droppedNotMaster.increment();
            return;
        }
        if (protocol == TCP || protocol == UDP) {
            int l4 = ip + Ipv4.headerLength(b, ip);
            int sport = Tcp.srcPort(b, l4); // UDP has its ports at the same offsets
            int dport = Tcp.dstPort(b, l4);
            int flags = protocol == TCP ? Tcp.flags(b, l4) : 0;
            ConnTable conns = plane.conns;
            probe.set(protocol, src, sport, dst, dport);
            Conn c = conn;
            if (conns.findByClient(probe, c)) {
                Sysctls sysctls = plane.sysctls;
                if (protocol == TCP && (flags & SYN_FIN_RST_ACK) == Tcp.SYN && rescheduled(c, sysctls)) {
                    conns.remove(c); // a new connection on a closing entry's ports: scheduled again below
                } else if (c.dest.deleted) {
                    // ip_vs_in: the destination is no longer available. Its packets are dropped, unless
                    // expire_nodest_conn ends the entry now (then a SYN or a datagram is scheduled anew).
                    counters.droppedDestUnavailable.increment();
                    if (!sysctls.expireNodestConn) return;
                    conns.remove(c);
                } else {
                    if (c.clientLink == null) { // learnt from a peer: the client's first packet here
                        c.clientLink = link;
                        c.clientMac = srcMac;
                    }
                    toServer(c, flags);
                    return;
                }
            } else if (conns.findByServer(probe, c)) {
                // a NAT reply that reached a backup (the server's stale neighbour entry for its gateway)
                if (role.mayServe(c.virtualAddress)) toClient(c, flags);
                else counters.droppedNotMaster.increment();
                return;
            }
            Service service = plane.services.index().find(protocol, dst, dport);
            if (service != null) newFlow(link, service, protocol, src, sport, dst, dport, flags, srcMac);
            return;
        }
        if (protocol == ICMP && IcmpRelay.relayed(Icmp.type(b, ip + Ipv4.headerLength(b, ip)))) {
            if (dst != link.address) handleIcmpError(link, b, ip, dst); // to the director itself: the kernel's
            return;
        }
        if (protocol == ICMP && (plane.services.index().isVirtualAddress(dst) || role.managed(dst))) {
            int l4 = ip + Ipv4.headerLength(b, ip);
            if (Icmp.type(b, l4) == Icmp.ECHO_REQUEST) {
                int n = Icmp.toEchoReply(b, ip);
                if (n > 0) sendOn(link, b, ip, n, srcMac) ;
                counters.echoReplies.increment();
            }
        }
    }

    /**
     * An ICMP error (IPVS's ip_vs_in_icmp / ip_vs_out_icmp): the quoted packet names the connection. Addressed
     * to a VIP, it came from the client's side about a packet sent to the client; else from the server's side
     * about a packet the real server received. Relayed with NAT to the other side; any other is dropped.
     */
    private void handleIcmpError(Link link, byte[] b, int ip, int dst) {
        if (FrameCheck.checkIcmpError(b, ip) != FrameCheck.OK) {
            counters.droppedMalformed.increment();
            return;
        }
        if (!Checksums.l4ChecksumValid(b, ip)) { // ip_vs_in_icmp: a corrupted error is not relayed
            counters.droppedBadChecksum.increment();
            return;
        }
        int q = IcmpRelay.quote(b, ip);
        int qProtocol = Ipv4.protocol(b, q);
        if (qProtocol != TCP && qProtocol != UDP) {
            counters.droppedIcmpUnrelated.increment();
            return;
        }
        int ports = Ipv4.payloadOffset(b, q);
        // both directions look up (protocol, quoted destination and its port, quoted source and its port)
        probe.set(qProtocol, Ipv4.dst(b, q), Tcp.dstPort(b, ports), Ipv4.src(b, q), Tcp.srcPort(b, ports));
        Conn c = conn;
        if (plane.services.index().isVirtualAddress(dst)) {
            if (!plane.conns.findByClient(probe, c)) {
                counters.droppedIcmpUnrelated.increment();
                return;
            }
            if (c.noOutput()) {
                forwardIcmpError(c);
                return;
            }
            NextHop hop = c.dest.nextHop;
            if (hop == null || hop.neighbour.mac == Neighbours.UNKNOWN) {
                counters.droppedNoNeighbour.increment();
                return;
            }
            IcmpRelay.toServer(b, ip, c.dest.address(), c.destPort());
            int eth = ip - ETH;
            Ethernet.writeHeader(b, eth, hop.neighbour.mac, hop.link.mac, Ethernet.TYPE_IPV4);
            send(hop.link.channel, b, eth, frame.ipLength + ETH);
        } else {
            if (!plane.conns.findByServer(probe, c)) {
                counters.droppedIcmpUnrelated.increment();
                return;
            }
            IcmpRelay.toClient(b, ip, c.virtualAddress, c.virtualPort);
            sendOn(c.clientLink, b, ip, frame.ipLength, c.clientMac);
        }
        counters.icmpErrorsRelayed.increment();
    }

    /**
     * ip_vs_in's conn_reuse_mode rule for a SYN on an existing entry: with any mode but 0, the entry ends and
     * the SYN is scheduled anew when the entry is closing (TIME_WAIT, CLOSE; with bit 1 also FIN_WAIT of a
     * DR/TUN connection, whose replies the director never sees) and not controlled by a persistence
     * template (is_new_conn_expected); or, with expire_nodest_conn, when its server has weight 0.
     */
    private static boolean rescheduled(Conn c, Sysctls sysctls) {
        return rescheduled(c.state, c.dest, c.controlled, sysctls);
    }

    /** {@link #rescheduled(Conn, Sysctls)} of an entry in {@code state} to {@code dest}; IPv6 entries' too. */
    static boolean rescheduled(int state, Dest dest, boolean controlled, Sysctls sysctls) {
        int mode = sysctls.connReuseMode;
        if (mode == 0) return false;
        if (sysctls.expireNodestConn && dest.weight() == 0) return true;
        if (controlled) return false;
        return state == TcpStates.TIME_WAIT || state == TcpStates.CLOSE
                || ((mode & 2) != 0 && state == TcpStates.FIN_WAIT && dest.forwardMethod() != ForwardMethod.MASQ);
    }

    /**
     * An ICMP error about a DR or TUN connection (a router's "fragmentation needed" for a reply the real
     * server sent from the VIP): forwarded unchanged through the connection's method, as ip_vs_icmp_xmit
     * hands it to the connection's packet_xmit, so that the real server lowers its path MTU.
     */
    private void forwardIcmpError(Conn c) {
        Dest dest = c.dest;
        Forwarder forwarder = plane.services.forwarder(dest.forwardMethod());
        NextHop hop = dest.nextHop;
        if (forwarder == null || hop == null || hop.neighbour.mac == Neighbours.UNKNOWN) {
            counters.droppedNoNeighbour.increment();
            return;
        }
        frame.mtu = hop.mtu;
        frame.tooBigMtu = 0;
        if (forwarder.toRealServer(frame, dest, hop.link.address) == 0) {
            counters.droppedForwarder.increment();
            return;
        }
        int eth = frame.ipOffset - ETH;
        Ethernet.writeHeader(frame.data, eth, hop.neighbour.mac, hop.link.mac, Ethernet.TYPE_IPV4);
        send(hop.link.channel, frame.data, eth, frame.ipLength + ETH);
        counters.icmpErrorsForwarded.increment();
    }

    /** The scheduler's pick for a new flow, or null; a scheduler that throws is counted, never the thread's end. */
    static RealServer pick(Scheduler.Binding binding, Flow flow, DataPathCounters counters) {
        try {
            return binding.schedule(flow);
        } catch (RuntimeException e) {
            counters.schedulerErrors.increment();
            return null;
        }
    }

    /** RFC 1122 3.2.1.3 / the kernel's martian sources: 0/8, 127/8, multicast, class E and broadcast. */
    private static boolean martian(int src) {
        int first = src >>> 24;
        return first == 0 || first == 127 || first >= 224;
    }

    private void newFlow(Link link, Service service, int protocol, int src, int sport, int dst, int dport, int flags,
                         long srcMac) {
        if (protocol == TCP && (flags & SYN_FIN_RST_ACK) != Tcp.SYN) {
            counters.droppedNoConnection.increment(); // only a SYN creates a TCP connection (sloppy_tcp = 0)
            return;
        }
        Scheduler.Binding binding = service.binding;
        if (binding == null) {
            counters.droppedNoScheduler.increment();
            if (!service.missingSchedulerLogged) {
                service.missingSchedulerLogged = true;
                LOG.warn("service {}: scheduler {} is not installed; refusing new connections",
                        service.key(), service.schedulerName());
            }
            sendPortUnreachable(link, dst, srcMac);
            return;
        }
        ConnTable conns = plane.conns;
        boolean persistent = service.config().persistence() > 0;
        // A persistent client's live template decides (even for a weight-0 server); else the scheduler does.
        Dest dest = persistent ? conns.useTemplate(service, src, plane.sysctls.expireQuiescentTemplate) : null;
        if (dest == null) {
            flow.set(protocol, src, sport, dst, dport);
            RealServer picked = pick(binding, flow, counters);
            if (!(picked instanceof Dest)) {
                counters.droppedNoServer.increment();
                sendPortUnreachable(link, dst, srcMac);
                return;
            }
            dest = (Dest) picked;
            // ip_vs_sched_persist: the template first (it counts this connection), then the connection
            if (persistent && (dest = conns.addTemplate(service, src, dest)) == null) return; // full: counted
        }
        Conn c = conn;
        c.set(protocol, src, sport, dst, dport, dest, service, link, srcMac);
        c.controlled = persistent;
        boolean added = conns.add(c); // false: the table is full of live connections (counted there)
        if (!added || !c.created) {
            if (persistent) conns.releaseControl(service, dest, src);
            if (!added) return;
        } else {
            // counted on the entry's server: another receive thread may have made it (then it counted)
            service.stats.conns.increment();
            c.dest.stats.conns.increment();
        }
        toServer(c, flags);
    }

    /** A packet of the client's side: rewrite for the real server and send it there. */
    private void toServer(Conn c, int flags) {
        plane.conns.update(c, TcpStates.DIR_INPUT, flags);
        Dest dest = c.dest;
        Forwarder forwarder = plane.services.forwarder(dest.forwardMethod());
        if (forwarder == null) {
            counters.droppedNoForwarder.increment();
            return;
        }
        NextHop hop = dest.nextHop;
        if (hop == null) {
            counters.droppedNoRoute.increment();
            return;
        }
        long mac = hop.neighbour.mac;
        if (mac == Neighbours.UNKNOWN) {
            counters.droppedNoNeighbour.increment();
            return;
        }
        byte[] b = frame.data;
        completePartialChecksum(b, frame.ipOffset);
        int inLength = frame.ipLength;
        frame.mtu = hop.mtu;
        frame.tooBigMtu = 0;
        if (forwarder.toRealServer(frame, dest, hop.link.address) == 0) {
            if (frame.tooBigMtu > 0) sendFragmentationNeeded(c, frame.tooBigMtu);
            else counters.droppedForwarder.increment();
            return;
        }
        c.service.stats.countIn(inLength);
        dest.stats.countIn(inLength);
        if (hop.mtu > 0 && frame.ipLength > hop.mtu) {
            sendFragments(hop.link.channel, hop.link.mac, mac, hop.mtu);
            return;
        }
        int eth = frame.ipOffset - ETH;
        Ethernet.writeHeader(b, eth, mac, hop.link.mac, Ethernet.TYPE_IPV4);
        send(hop.link.channel, b, eth, frame.ipLength + ETH);
    }

    /**
     * IPVS's answer to a packet with DF set that does not fit once forwarded (ensure_mtu_is_adequate): ICMP
     * "fragmentation needed" with the usable MTU, from the VIP, back the way the client's frames came.
     */
    private void sendFragmentationNeeded(Conn c, int mtu) {
        counters.droppedTooBig.increment();
        if (!Icmp.errorAllowed(frame.data, frame.ipOffset)) return;
        int ip = Frame.HEADROOM;
        int n = Icmp.writeDestUnreachable(frame.data, frame.ipOffset, frame.ipLength, scratch, ip,
                Icmp.CODE_FRAG_NEEDED, c.virtualAddress, mtu);
        sendOn(c.clientLink, scratch, ip, n, c.clientMac);
        counters.fragNeededSent.increment();
    }

    /**
     * Sends a forwarded packet larger than the MTU whose DF bit is clear as IPv4 fragments, as the kernel
     * fragments IPVS's output. In place: each fragment's IP and Ethernet headers are written over the tail of
     * the previous fragment's data, which has been sent by then. Only 20-byte headers (every tunnel's outer
     * header) are fragmented; options would need RFC 791's per-option copy rules.
     */
    private void sendFragments(PacketIo.Channel channel, long srcMac, long dstMac, int mtu) {
        byte[] b = frame.data;
        int ip = frame.ipOffset;
        if (Ipv4.dontFragment(b, ip) || Ipv4.headerLength(b, ip) != Ipv4.MIN_HEADER_LENGTH
                || mtu < MIN_FRAGMENTING_MTU) {
            counters.droppedTooBig.increment();
            return;
        }
        System.arraycopy(b, ip, fragmentHeader, 0, Ipv4.MIN_HEADER_LENGTH);
        int flagsAndOffset = Bytes.u16(fragmentHeader, Ipv4.FLAGS_OFFSET);
        boolean moreAfter = (flagsAndOffset & IP_MF) != 0; // already a fragment: keep its place in the datagram
        int firstUnit = flagsAndOffset & IP_OFFSET_MASK;
        int payload = frame.ipLength - Ipv4.MIN_HEADER_LENGTH;
        int chunk = (mtu - Ipv4.MIN_HEADER_LENGTH) & ~7;
        for (int done = 0; done < payload; done += chunk) {
            int n = Math.min(chunk, payload - done);
            int at = ip + done;
            System.arraycopy(fragmentHeader, 0, b, at, Ipv4.MIN_HEADER_LENGTH);
            boolean more = moreAfter || done + n < payload;
            Ipv4.setTotalLength(b, at, Ipv4.MIN_HEADER_LENGTH + n);
            Bytes.put16(b, at + Ipv4.FLAGS_OFFSET, (more ? IP_MF : 0) | (firstUnit + done / 8));
            Ipv4.updateHeaderChecksum(b, at);
            Ethernet.writeHeader(b, at - ETH, dstMac, srcMac, Ethernet.TYPE_IPV4);
            send(channel, b, at - ETH, Ipv4.MIN_HEADER_LENGTH + n + ETH);
            counters.fragmentsSent.increment();
        }
    }

    /** A real server's reply through the director (NAT): rewrite it to come from the VIP and send it back. */
    private void toClient(Conn c, int flags) {
        plane.conns.update(c, TcpStates.DIR_OUTPUT, flags);
        Forwarder forwarder = plane.services.forwarder(ForwardMethod.MASQ);
        if (forwarder == null) {
            counters.droppedNoForwarder.increment();
            return;
        }
        byte[] b = frame.data;
        completePartialChecksum(b, frame.ipOffset);
        if (!forwarder.toClient(frame, c.virtualAddress, c.virtualPort)) {
            counters.droppedForwarder.increment();
            return;
        }
        c.service.stats.countOut(frame.ipLength);
        c.dest.stats.countOut(frame.ipLength);
        Link out = c.clientLink;
        long clientMac = c.clientMac;
        if (out == null) { // an entry learnt from a peer that no client packet passed here yet
            out = plane.linkToward(c.clientAddress, routedMac);
            if (out == null) {
                counters.droppedNoRoute.increment();
                return;
            }
            clientMac = routedMac[0];
        }
        int mtu = out.channel.mtu();
        if (mtu > 0 && frame.ipLength > mtu) { // a reassembled reply: in fragments again, as the kernel would
            sendFragments(out.channel, out.mac, clientMac, mtu);
            return;
        }
        sendOn(out, b, frame.ipOffset, frame.ipLength, clientMac);
    }

    /**
     * Frames captured on veth with checksum offload carry only the pseudo-header sum in the TCP/UDP
     * checksum; complete it so that forwarders' incremental updates give a correct checksum. When the PacketIo
     * passes the kernel's status, only that decides; otherwise (pcap) a field equal to the pseudo-header sum is
     * taken as partial, a guess that also "repairs" a corrupted packet whose checksum happens to be that sum.
     */
    private void completePartialChecksum(byte[] b, int ip) {
        boolean partial = checksumKnown ? checksumPartial : Checksums.l4ChecksumPartial(b, ip);
        if (partial) Checksums.completeL4Checksum(b, ip);
    }

    /**
     * IPVS's answer when no real server can take a new connection: ICMP port unreachable, from the VIP, as
     * icmp_send sends it: never about what RFC 1122 forbids (a non-first fragment, a packet to a broadcast or
     * multicast address or from one that is not a single host, an ICMP error), and within the kernel's
     * rate limits ({@link IcmpRateLimit}); the suppressed ones are counted.
     */
    private void sendPortUnreachable(Link link, int vip, long clientMac) {
        if (!Icmp.errorAllowed(frame.data, frame.ipOffset)) {
            counters.icmpSuppressedRfc1122.increment();
            return;
        }
        if (!icmpLimit.allow(Ipv4.src(frame.data, frame.ipOffset), plane.clock.getAsLong())) {
            counters.icmpRateLimited.increment();
            return;
        }
        int ip = Frame.HEADROOM;
        int n = Icmp.writeDestUnreachable(frame.data, frame.ipOffset, frame.ipLength, scratch, ip,
                Icmp.CODE_PORT_UNREACH, vip, 0);
        if (n > 0) {
            sendOn(link, scratch, ip, n, clientMac);
            counters.unreachableSent.increment();
        }
    }

    private void sendOn(Link out, byte[] b, int ip, int ipLength, long dstMac) {
        if (out == null) { // an entry learnt from a peer before its client's first packet here
            counters.droppedNoRoute.increment();
            return;
        }
        int eth = ip - ETH;
        Ethernet.writeHeader(b, eth, dstMac, out.mac, Ethernet.TYPE_IPV4);
        send(out.channel, b, eth, ipLength + ETH);
    }

    private void send(PacketIo.Channel channel, byte[] b, int off, int len) {
        if (channel.send(b, off, len)) counters.framesOut.increment();
        else counters.droppedSendFailed.increment();
    }

    private void handleArp(Link link, byte[] in, int length) {
        int arp = ETH;
        if (FrameCheck.checkArp(in, arp, length - ETH) != FrameCheck.OK) {
            counters.droppedMalformed.increment();
            return;
        }
        int senderIp = Arp.senderIp(in, arp);
        long senderMac = Arp.senderMac(in, arp);
        link.neighbours.learn(senderIp, senderMac);
        int target = Arp.targetIp(in, arp);
        if (Arp.op(in, arp) != Arp.REQUEST || senderIp == target) return;
        RoleGate role = plane.role;
        boolean ours = plane.services.index().isVirtualAddress(target) || role.managed(target);
        if (ours && !role.mayServe(target)) {
            counters.ignoredNotMaster.increment(); // a backup is silent for the master's addresses
            return;
        }
        if (ours) {
            int n = Arp.writeFrame(scratch, 0, senderMac, link.mac, Arp.REPLY, link.mac, target, senderMac, senderIp);
            send(link.channel, scratch, 0, n);
            counters.arpReplies.increment();
        }
    }

    /** The flow handed to schedulers, reused for every new connection of this thread. */
    private static final class MutableFlow implements Flow {
        private int protocol, clientAddress, clientPort, virtualAddress, virtualPort;

        void set(int protocol, int clientAddress, int clientPort, int virtualAddress, int virtualPort) {
            this.protocol = protocol;
            this.clientAddress = clientAddress;
            this.clientPort = clientPort;
            this.virtualAddress = virtualAddress;
            this.virtualPort = virtualPort;
        }

        @Override public Protocol protocol() { return Protocol.of(protocol); }
        @Override public int clientAddress() { return clientAddress; }
        @Override public int clientPort() { return clientPort; }
        @Override public int virtualAddress() { return virtualAddress; }
        @Override public int virtualPort() { return virtualPort; }
    }
}
