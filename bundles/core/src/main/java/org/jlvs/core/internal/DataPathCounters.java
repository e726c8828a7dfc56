package org.jlvs.core.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Counters of the packet path, shown by {@code lvs:counters}: what came in, what went out, what was dropped and why. */
final class DataPathCounters {
    final LongAdder framesIn = new LongAdder();
    final LongAdder framesOut = new LongAdder();
    final LongAdder arpReplies = new LongAdder();
    final LongAdder arpRequests = new LongAdder();
    final LongAdder echoReplies = new LongAdder();
    /** IPv6 Neighbour Discovery: advertisements sent for VIP6s (answers and announcements), solicitations sent. */
    final LongAdder neighbourAdvertisements = new LongAdder();
    final LongAdder neighbourSolicitations = new LongAdder();
    /** IPv6 fragments to a VIP6: IPVS balances them after the kernel's reassembly, which jlvs does not do for IPv6 yet. */
    final LongAdder droppedIpv6Fragment = new LongAdder();
    final LongAdder unreachableSent = new LongAdder();
    final LongAdder droppedMalformed = new LongAdder();
    /** IPv4 reassembly ({@link Reassembly}): fragments taken, datagrams completed, and why others went. */
    final LongAdder fragmentsIn = new LongAdder();
    final LongAdder fragmentsReassembled = new LongAdder();
    final LongAdder fragmentsTimedOut = new LongAdder();
    final LongAdder fragmentsDroppedMemory = new LongAdder();
    final LongAdder fragmentsBad = new LongAdder();
    final LongAdder fragmentsDuplicate = new LongAdder();
    final LongAdder droppedNoConnection = new LongAdder();
    final LongAdder droppedNoScheduler = new LongAdder();
    final LongAdder droppedNoServer = new LongAdder();
    /** Packets of connections whose real server was deleted (ip_vs_in: the destination is not available). */
    final LongAdder droppedDestUnavailable = new LongAdder();
    final LongAdder droppedNoForwarder = new LongAdder();
    final LongAdder droppedNoRoute = new LongAdder();
    final LongAdder droppedNoNeighbour = new LongAdder();
    final LongAdder droppedSendFailed = new LongAdder();
    final LongAdder droppedForwarder = new LongAdder();
    /** Packets too big for the outgoing MTU with DF set (answered with ICMP fragmentation needed). */
    final LongAdder droppedTooBig = new LongAdder();
    final LongAdder fragNeededSent = new LongAdder();
    final LongAdder fragmentsSent = new LongAdder();
    final LongAdder schedulerErrors = new LongAdder();
    /** ICMP errors about a balanced (NAT) connection, rewritten and passed to the other side. */
    final LongAdder icmpErrorsRelayed = new LongAdder();
    /** ICMP errors not about a connection of ours. */
    final LongAdder droppedIcmpUnrelated = new LongAdder();
    /** ICMP errors about a DR/TUN connection, passed unchanged to its real server through its method. */
    final LongAdder icmpErrorsForwarded = new LongAdder();
    /** ICMP errors with a bad checksum (not relayed). */
    final LongAdder droppedBadChecksum = new LongAdder();
    /** Packets from a source that is no single host (0/8, 127/8, multicast, class E, broadcast). */
    final LongAdder droppedMartian = new LongAdder();
    /** Frames to (or NAT replies of) an address whose VRRP instance is not MASTER here: the master's to serve. */
    final LongAdder droppedNotMaster = new LongAdder();
    /** ARP requests and pings for such an address, left unanswered. */
    final LongAdder ignoredNotMaster = new LongAdder();
    /** Port unreachables not sent: RFC 1122 forbids them, or the rate limit. */
    final LongAdder icmpSuppressedRfc1122 = new LongAdder();
    final LongAdder icmpRateLimited = new LongAdder();
    /**
     * Frames that made the packet path throw: a bug, never a malformed frame (those are checked before they
     * are read). Zero after every fuzz and flood.
     */
    final LongAdder exceptions = new LongAdder();
    /** The first exception was logged with its stack; the others are only counted. */
    volatile boolean exceptionLogged;

    Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("frames_in", framesIn.sum());
        m.put("frames_out", framesOut.sum());
        m.put("arp_replies", arpReplies.sum());
        m.put("arp_requests", arpRequests.sum());
        m.put("echo_replies", echoReplies.sum());
        m.put("neighbour_advertisements", neighbourAdvertisements.sum());
        m.put("neighbour_solicitations", neighbourSolicitations.sum());
        m.put("dropped_ipv6_fragment", droppedIpv6Fragment.sum());
        m.put("port_unreachable_sent", unreachableSent.sum());
        m.put("dropped_malformed", droppedMalformed.sum());
        m.put("fragments_in", fragmentsIn.sum());
        m.put("fragments_reassembled", fragmentsReassembled.sum());
        m.put("fragments_timed_out", fragmentsTimedOut.sum());
        m.put("fragments_dropped_memory", fragmentsDroppedMemory.sum());
        m.put("fragments_dropped_bad", fragmentsBad.sum());
        m.put("fragments_duplicate", fragmentsDuplicate.sum());
        m.put("dropped_no_connection", droppedNoConnection.sum());
        m.put("dropped_no_scheduler", droppedNoScheduler.sum());
        m.put("dropped_no_server", droppedNoServer.sum());
        m.put("dropped_dest_unavailable", droppedDestUnavailable.sum());
        m.put("dropped_no_forwarder", droppedNoForwarder.sum());
        m.put("dropped_no_route", droppedNoRoute.sum());
        m.put("dropped_no_neighbour", droppedNoNeighbour.sum());
        m.put("dropped_send_failed", droppedSendFailed.sum());
        m.put("dropped_by_forwarder", droppedForwarder.sum());
        m.put("dropped_too_big", droppedTooBig.sum());
        m.put("frag_needed_sent", fragNeededSent.sum());
        m.put("fragments_sent", fragmentsSent.sum());
        m.put("scheduler_errors", schedulerErrors.sum());
        m.put("icmp_errors_relayed", icmpErrorsRelayed.sum());
        m.put("dropped_icmp_unrelated", droppedIcmpUnrelated.sum());
        m.put("icmp_errors_forwarded", icmpErrorsForwarded.sum());
        m.put("dropped_bad_checksum", droppedBadChecksum.sum());
        m.put("dropped_martian", droppedMartian.sum());
        m.put("dropped_not_master", droppedNotMaster.sum());
        m.put("ignored_not_master", ignoredNotMaster.sum());
        m.put("icmp_suppressed_rfc1122", icmpSuppressedRfc1122.sum());
        m.put("icmp_rate_limited", icmpRateLimited.sum());
        m.put("exceptions", exceptions.sum());
        return m;
    }
}
