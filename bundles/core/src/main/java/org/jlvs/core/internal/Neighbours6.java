package org.jlvs.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.jlvs.api.Ip6Address;
import org.jlvs.packet.Bytes;
import org.jlvs.packet.Checksums;
import org.jlvs.packet.Checksums6;
import org.jlvs.packet.Ethernet;
import org.jlvs.packet.Icmpv6;
import org.jlvs.packet.Ipv6;
import org.jlvs.packet.Ndp;

/**
 * The MAC addresses of the IPv6 next hops (real servers) on one interface, found by our own Neighbour
 * Solicitations (RFC 4861 §7.2.2) and refreshed from every advertisement, or solicitation with a source
 * link-layer address option, that a tracked neighbour sends. Unknown senders are not learnt, so an ND flood
 * cannot grow the table; entries are made only for real servers, at most {@link #MAX_ENTRIES}.
 *
 * <p>Linux has no file of its IPv6 neighbours (only netlink), so unlike {@link Neighbours} nothing is read from
 * the host: the first solicitation resolves an entry, the tick retries the unknown and refreshes the stale.
 */
final class Neighbours6 {
    static final long UNKNOWN = Neighbours.UNKNOWN;
    /** More real servers on one interface than any configuration has. */
    static final int MAX_ENTRIES = 4096;
    /** Ethernet + IPv6 + NS + source link-layer address option. */
    static final int SOLICITATION_FRAME_LENGTH =
            Ethernet.HEADER_LENGTH + Ipv6.HEADER_LENGTH + Ndp.MESSAGE_LENGTH + Ndp.LLA_OPTION_LENGTH;

    /** One neighbour; the data path reads {@link #mac} without locks. */
    static final class Entry {
        final long hi, lo;
        volatile long mac = UNKNOWN;
        volatile long confirmedAtNanos;

        Entry(long hi, long lo) {
            this.hi = hi;
            this.lo = lo;
        }

        @Override
        public String toString() {
            return new Ip6Address(hi, lo).toString();
        }
    }

    private final String interfaceName;
    private final LongSupplier nanos;
    /** Replaced, never changed, when an entry is added (a new real server: rare next to frames). */
    private volatile Entry[] entries = new Entry[0];

    Neighbours6(String interfaceName) {
        this(interfaceName, System::nanoTime);
    }

    Neighbours6(String interfaceName, LongSupplier nanos) {
        this.interfaceName = interfaceName;
        this.nanos = nanos;
    }

    /** The entry for hi/lo, created if new; null when the table is full. */
    synchronized Entry entry(long hi, long lo) {
        Entry known = find(hi, lo);
        if (known != null) return known;
        Entry[] now = entries;
        if (now.length >= MAX_ENTRIES) return null;
        Entry[] next = java.util.Arrays.copyOf(now, now.length + 1);
        Entry e = new Entry(hi, lo);
        next[now.length] = e;
        entries = next;
        return e;
    }

    /** The tracked entry of hi/lo, or null. No allocation. */
    Entry find(long hi, long lo) {
        for (Entry e : entries) {
            if (e.hi == hi && e.lo == lo) return e;
        }
        return null;
    }

    /** An ND message from (or naming the target) hi/lo with this MAC: refresh its entry if we track it. */
    void learn(long hi, long lo, long mac) {
        Entry e = find(hi, lo);
        if (e != null && mac != 0 && mac != Ethernet.BROADCAST && (mac & 0x0100_0000_0000L) == 0) {
            e.mac = mac;
            e.confirmedAtNanos = nanos.getAsLong();
        }
    }

    /** The entries to solicit again: unknown, or confirmed longer than {@code refreshNanos} ago. */
    List<Entry> upkeep(long refreshNanos) {
        long now = nanos.getAsLong();
        List<Entry> ask = new ArrayList<>();
        for (Entry e : entries) {
            if (e.mac == UNKNOWN || now - e.confirmedAtNanos > refreshNanos) ask.add(e);
        }
        return ask;
    }

    int size() {
        return entries.length;
    }

    String interfaceName() {
        return interfaceName;
    }

    /**
     * Writes a Neighbour Solicitation frame for {@code target}: from {@code srcHi/srcLo} (the link's own address)
     * and {@code mac} to the target's solicited-node multicast address, hop limit 255, with a source link-layer
     * address option so that the answer needs no solicitation of its own.
     *
     * @return {@link #SOLICITATION_FRAME_LENGTH}
     */
    static int writeSolicitationFrame(byte[] buf, int ethOff, long mac, long srcHi, long srcLo, long targetHi,
                                      long targetLo) {
        long dstLo = Ipv6.solicitedNodeLo(targetLo);
        Ethernet.writeHeader(buf, ethOff, Ipv6.multicastMac(dstLo), mac, Ethernet.TYPE_IPV6);
        int ip = ethOff + Ethernet.HEADER_LENGTH;
        int length = Ndp.MESSAGE_LENGTH + Ndp.LLA_OPTION_LENGTH;
        Ipv6.writeHeader(buf, ip, 0, 0, length, Ipv6.NEXT_ICMPV6, Ndp.HOP_LIMIT, srcHi, srcLo,
                Ipv6.SOLICITED_NODE_HI, dstLo);
        int icmp = ip + Ipv6.HEADER_LENGTH;
        Icmpv6.setType(buf, icmp, Icmpv6.NEIGHBOUR_SOLICITATION);
        Icmpv6.setCode(buf, icmp, 0);
        Icmpv6.setChecksum(buf, icmp, 0);
        Bytes.put32(buf, icmp + 4, 0);
        Ipv6.putAddress(buf, icmp + 8, targetHi, targetLo);
        buf[icmp + Ndp.MESSAGE_LENGTH] = Ndp.OPTION_SOURCE_LLA;
        buf[icmp + Ndp.MESSAGE_LENGTH + 1] = 1;
        Bytes.put48(buf, icmp + Ndp.MESSAGE_LENGTH + 2, mac);
        long s = Checksums6.pseudoHeaderSum(srcHi, srcLo, Ipv6.SOLICITED_NODE_HI, dstLo, Ipv6.NEXT_ICMPV6, length);
        Icmpv6.setChecksum(buf, icmp, Checksums.finish(Checksums.sum(buf, icmp, length, s)));
        return SOLICITATION_FRAME_LENGTH;
    }
}
