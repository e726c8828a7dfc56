package org.jlvs.ha.internal;

import java.util.concurrent.atomic.AtomicLongArray;

import org.jlvs.api.spi.PacketIo;
import org.jlvs.packet.Ethernet;
import org.jlvs.packet.FrameCheck;
import org.jlvs.packet.Ipv4;
import org.jlvs.packet.Vrrp;

/**
 * The receive checks of one instance, in keepalived's order (vrrp_in_chk): length, TTL 255 (multicast only:
 * keepalived skips it for unicast peers), version, type, VRID, address count, length against the count,
 * checksum, then the address list itself. A frame that fails is counted and dropped; one that passes is counted
 * as received and queued for the VRRP thread. Runs on the channel's receive thread; allocates nothing.
 *
 * <p>Checksums: only the form this instance sends is accepted, unless it is configured to accept both. keepalived
 * 2.2.7 rejects the message-only form ("Invalid VRRPv3 checksum"), so a mixed pair would split-brain in
 * silence: accepting both is an explicit choice for migrations to RFC 9568 peers.
 */
final class AdvertFilter implements PacketIo.FrameReceiver {
    /** What {@link #check} found; OK means queued. */
    static final int OK = 0;
    static final int OWN = 1;
    static final int NOT_VRRP = 2;
    static final int REJECTED = 3;
    static final int OVERFLOW = 4;

    private final int vrid;
    private final int[] addresses;
    private final int ownSource;
    private final boolean checkTtl;
    private final boolean acceptPseudoHeader;
    private final boolean acceptMessageOnly;
    private final Counters counters;
    private final AdvertRing ring;
    private final Runnable wakeup;
    private final Engine.Clock clock;
    private final int[] peers;
    private final AtomicLongArray peerMacs;

    /** @param peerMacs where the MAC of each unicast peer is learnt from its adverts (null: not kept) */
    AdvertFilter(InstanceConfig config, int ownSource, Counters counters, AdvertRing ring, Runnable wakeup,
                 AtomicLongArray peerMacs, Engine.Clock clock) {
        this.vrid = config.vrid();
        this.addresses = config.addresses().clone();
        this.ownSource = ownSource;
        this.checkTtl = !config.unicast();
        this.acceptPseudoHeader = !config.messageOnlyChecksum() || config.acceptBothChecksums();
        this.acceptMessageOnly = config.messageOnlyChecksum() || config.acceptBothChecksums();
        this.counters = counters;
        this.ring = ring;
        this.wakeup = wakeup;
        this.peers = config.unicastPeers().clone();
        this.peerMacs = peerMacs;
        this.clock = clock;
    }

    @Override
    public void onFrame(PacketIo.Channel channel, byte[] frame, int length) {
        if (check(frame, length) == OK) wakeup.run();
    }

    int check(byte[] frame, int length) {
        int verdict = FrameCheck.checkEthernetIpv4(frame, 0, length);
        if (verdict == FrameCheck.NOT_IPV4) return NOT_VRRP;
        if (verdict == FrameCheck.TRUNCATED || verdict == FrameCheck.BAD_TOTAL_LENGTH
                || verdict == FrameCheck.BAD_HEADER_LENGTH) {
            return reject(Counter.PACKET_LENGTH_ERRORS);
        }
        if (verdict != FrameCheck.OK) return reject(Counter.IP_HEADER_ERRORS);
        int ip = Ethernet.HEADER_LENGTH;
        if (Ipv4.protocol(frame, ip) != Vrrp.PROTO_VRRP) return NOT_VRRP;
        int src = Ipv4.src(frame, ip);
        if (src == ownSource) return OWN; // our own advert, seen again by the capture
        int vrrp = Ipv4.payloadOffset(frame, ip);
        int vrrpLength = Ipv4.payloadLength(frame, ip);
        if (vrrpLength < Vrrp.HEADER_LENGTH) return reject(Counter.PACKET_LENGTH_ERRORS);
        if (checkTtl && Ipv4.ttl(frame, ip) != Vrrp.TTL) return reject(Counter.IP_TTL_ERRORS);
        if (Vrrp.version(frame, vrrp) != Vrrp.VERSION) return reject(Counter.VERSION_ERRORS);
        if (Vrrp.type(frame, vrrp) != Vrrp.TYPE_ADVERTISEMENT) return reject(Counter.INVALID_TYPE_RECEIVED);
        if (Vrrp.vrid(frame, vrrp) != vrid) return reject(Counter.VRID_ERRORS);
        int count = Vrrp.addressCount(frame, vrrp);
        if (count != addresses.length) return reject(Counter.ADDRESS_LIST_ERRORS);
        if (vrrpLength != Vrrp.length(count)) return reject(Counter.PACKET_LENGTH_ERRORS);
        int dst = Ipv4.dst(frame, ip);
        boolean valid = acceptPseudoHeader && Vrrp.checksumValid(frame, vrrp, vrrpLength, true, src, dst)
                || acceptMessageOnly && Vrrp.checksumValid(frame, vrrp, vrrpLength, false, src, dst);
        if (!valid) return reject(Counter.CHECKSUM_ERRORS);
        counters.inc(Counter.ADVERTISEMENTS_RECEIVED);
        if (!sameAddresses(frame, vrrp)) return reject(Counter.ADDRESS_LIST_ERRORS);
        int interval = Vrrp.maxAdverInt(frame, vrrp);
        if (interval == 0) return reject(Counter.ADVERTISEMENTS_INTERVAL_ERRORS);
        int priority = Vrrp.priority(frame, vrrp);
        if (priority == Vrrp.PRIORITY_STOP) counters.inc(Counter.PRIORITY_ZERO_RECEIVED);
        if (peerMacs != null) learnPeerMac(src, Ethernet.src(frame, 0));
        if (!ring.offer(AdvertRing.pack(src, priority, interval), clock.nanoTime())) return reject(Counter.RECEIVE_OVERFLOW);
        return OK;
    }

    /** Every configured address is in the advert (the counts are equal and the configuration has no duplicates). */
    private boolean sameAddresses(byte[] frame, int vrrp) {
        for (int want : addresses) {
            boolean found = false;
            for (int i = 0; i < addresses.length && !found; i++) {
                found = Vrrp.address(frame, vrrp, i) == want;
            }
            if (!found) return false;
        }
        return true;
    }

    private void learnPeerMac(int src, long mac) {
        for (int i = 0; i < peers.length; i++) {
            if (peers[i] == src) peerMacs.lazySet(i, mac);
        }
    }

    private int reject(Counter counter) {
        counters.inc(counter);
        return counter == Counter.RECEIVE_OVERFLOW ? OVERFLOW : REJECTED;
    }
}
