package org.jlvs.ha.internal;

import org.jlvs.api.Ip6Address;
import org.jlvs.api.spi.PacketIo;
import org.jlvs.packet.Ethernet;
import org.jlvs.packet.Ipv6;
import org.jlvs.packet.Vrrp;
import org.jlvs.packet.Vrrp6;

/**
 * The receive checks of one IPv6 instance (RFC 5798 §7.1, in keepalived's order): an IPv6 packet whose next
 * header is 112 (the kernel filter passes no other), its payload within the frame, our own advert skipped, the
 * source link-local (§5.1.2.2: a VRRP packet over IPv6 comes from one), hop limit 255, version, type, VRID,
 * address count, length against the count, the checksum over the IPv6 pseudo-header, then the address list.
 * A frame that fails is counted and dropped under the IPv4 filter's counters (a source that is not link-local
 * as an IP header error); one that passes is counted as received and queued with its 128-bit source. Runs on
 * the channel's receive thread; allocates nothing.
 */
final class AdvertFilter6 implements PacketIo.FrameReceiver {
    private static final int IP = Ethernet.HEADER_LENGTH;
    private static final int VRRP = IP + Ipv6.HEADER_LENGTH;

    private final int vrid;
    private final long[] addressesHi;
    private final long[] addressesLo;
    private final long ownHi;
    private final long ownLo;
    private final Counters counters;
    private final AdvertRing ring;
    private final Runnable wakeup;
    private final Engine.Clock clock;

    AdvertFilter6(InstanceConfig config, long ownHi, long ownLo, Counters counters, AdvertRing ring, Runnable wakeup,
                  Engine.Clock clock) {
        this.vrid = config.vrid();
        Ip6Address[] a = config.addresses6();
        addressesHi = new long[a.length];
        addressesLo = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            addressesHi[i] = a[i].hi();
            addressesLo[i] = a[i].lo();
        }
        this.ownHi = ownHi;
        this.ownLo = ownLo;
        this.counters = counters;
        this.ring = ring;
        this.wakeup = wakeup;
        this.clock = clock;
    }

    @Override
    public void onFrame(byte[] frame, int length) {
        if (check(frame, length) == AdvertFilter.OK) wakeup.run();
    }

    int check(byte[] frame, int length) {
        if (length < VRRP || Ethernet.type(frame, 0) != Ethernet.TYPE_IPV6) return AdvertFilter.NOT_VRRP;
        if (Ipv6.version(frame, IP) != Ipv6.VERSION) return reject(Counter.IP_HEADER_ERRORS);
        if (Ipv6.nextHeader(frame, IP) != Vrrp.PROTO_VRRP) return AdvertFilter.NOT_VRRP;
        int vrrpLength = Ipv6.payloadLength(frame, IP);
        if (vrrpLength > length - VRRP || vrrpLength < Vrrp.HEADER_LENGTH) return reject(Counter.PACKET_LENGTH_ERRORS);
        long srcHi = Ipv6.srcHi(frame, IP);
        long srcLo = Ipv6.srcLo(frame, IP);
        if (srcHi == ownHi && srcLo == ownLo) return AdvertFilter.OWN; // our own advert, seen again by the capture
        if (!Ipv6.isLinkLocal(srcHi)) return reject(Counter.IP_HEADER_ERRORS);
        if (Ipv6.hopLimit(frame, IP) != Vrrp6.HOP_LIMIT) return reject(Counter.IP_TTL_ERRORS);
        if (Vrrp.version(frame, VRRP) != Vrrp.VERSION) return reject(Counter.VERSION_ERRORS);
        if (Vrrp.type(frame, VRRP) != Vrrp.TYPE_ADVERTISEMENT) return reject(Counter.INVALID_TYPE_RECEIVED);
        if (Vrrp.vrid(frame, VRRP) != vrid) return reject(Counter.VRID_ERRORS);
        int count = Vrrp.addressCount(frame, VRRP);
        if (count != addressesHi.length) return reject(Counter.ADDRESS_LIST_ERRORS);
        if (vrrpLength != Vrrp6.length(count)) return reject(Counter.PACKET_LENGTH_ERRORS);
        if (!Vrrp6.checksumValid(frame, IP, VRRP, vrrpLength)) return reject(Counter.CHECKSUM_ERRORS);
        counters.inc(Counter.ADVERTISEMENTS_RECEIVED);
        if (!sameAddresses(frame)) return reject(Counter.ADDRESS_LIST_ERRORS);
        int interval = Vrrp.maxAdverInt(frame, VRRP);
        if (interval == 0) return reject(Counter.ADVERTISEMENTS_INTERVAL_ERRORS);
        int priority = Vrrp.priority(frame, VRRP);
        if (priority == Vrrp.PRIORITY_STOP) counters.inc(Counter.PRIORITY_ZERO_RECEIVED);
        long entry = AdvertRing.pack(0, priority, interval); // no IPv4 source: the ring carries the IPv6 one
        if (!ring.offer(entry, clock.nanoTime(), srcHi, srcLo)) return reject(Counter.RECEIVE_OVERFLOW);
        return AdvertFilter.OK;
    }

    /** Every configured address is in the advert (the counts are equal and the configuration has no duplicates). */
    private boolean sameAddresses(byte[] frame) {
        for (int k = 0; k < addressesHi.length; k++) {
            boolean found = false;
            for (int i = 0; i < addressesHi.length && !found; i++) {
                found = Vrrp6.addressHi(frame, VRRP, i) == addressesHi[k] && Vrrp6.addressLo(frame, VRRP, i) == addressesLo[k];
            }
            if (!found) return false;
        }
        return true;
    }

    private int reject(Counter counter) {
        counters.inc(counter);
        return counter == Counter.RECEIVE_OVERFLOW ? AdvertFilter.OVERFLOW : AdvertFilter.REJECTED;
    }
}
