package org.jlvs.core.internal;

import java.util.Arrays;

import org.jlvs.packet.Bytes;
import org.jlvs.packet.Ipv4;

/**
 * IPv4 reassembly before scheduling, as IPVS has the kernel defragment (ip_vs_gather_frags), with bounded
 * memory and time: at most {@value #DATAGRAMS} datagrams in progress per receive thread (a 64 KiB buffer
 * each, allocated on first use and kept), at most {@value #MAX_FRAGMENTS} fragments each, and
 * {@value #TIMEOUT_SECONDS} s to complete (Linux's ipfrag_time). A fragment that finds no free place is
 * dropped, as Linux drops fragments above ipfrag_high_thresh. Overlapping fragments drop their whole
 * datagram (as Linux does since it follows RFC 5722's rule for IPv4 too); an exact repeat of data already
 * held is ignored. Everything is counted. One instance per receive thread: no locks, no allocation after
 * the buffers exist.
 */
final class Reassembly {
    static final int DATAGRAMS = 16;
    static final int MAX_FRAGMENTS = 64;
    static final int TIMEOUT_SECONDS = 30;
    private static final long TIMEOUT_NANOS = TIMEOUT_SECONDS * 1_000_000_000L;
    /** Payload offsets are kept from here, so the first fragment's header (up to 60 bytes) fits before them. */
    private static final int PAYLOAD_AT = 60;
    private static final int UNITS = (Ipv4.MAX_TOTAL_LENGTH + 7) / 8; // 8-byte fragment units
    private static final int IP_MF = 0x2000, IP_OFFSET_MASK = 0x1fff;

    private final DataPathCounters counters;
    private final boolean[] used = new boolean[DATAGRAMS];
    private final int[] src = new int[DATAGRAMS], dst = new int[DATAGRAMS], idAndProtocol = new int[DATAGRAMS];
    private final long[] startedAt = new long[DATAGRAMS];
    /** Payload bytes of the whole datagram (from its last fragment), -1 while unknown. */
    private final int[] payloadLength = new int[DATAGRAMS];
    /** The first fragment's header length, 0 until it arrived. */
    private final int[] headerLength = new int[DATAGRAMS];
    private final int[] fragments = new int[DATAGRAMS];
    private final byte[][] buffers = new byte[DATAGRAMS][];
    /** Which 8-byte units of the payload are held, a bit each. */
    private final long[][] held = new long[DATAGRAMS][];

    Reassembly(DataPathCounters counters) {
        this.counters = counters;
    }

    /**
     * Takes the fragment at {@code ip} (an IPv4 packet that passed FrameCheck up to its fragment test). When
     * it completes its datagram, writes the whole datagram (the first fragment's header with the new total
     * length, neither MF nor an offset, a fresh header checksum) to {@code out} at {@code outOff}.
     *
     * @return the datagram's length when complete, else 0 (held, or dropped and counted)
     */
    int add(byte[] b, int ip, long nowNanos, byte[] out, int outOff) {
        counters.fragmentsIn.increment();
        int hl = Ipv4.headerLength(b, ip);
        int length = Ipv4.totalLength(b, ip) - hl;
        int flags = Bytes.u16(b, ip + Ipv4.FLAGS_OFFSET);
        boolean more = (flags & IP_MF) != 0;
        int offset = (flags & IP_OFFSET_MASK) * 8;
        if ((more && (length == 0 || (length & 7) != 0)) || offset + length > Ipv4.MAX_TOTAL_LENGTH - hl) {
            counters.fragmentsBad.increment(); // only the last fragment may end between units; 64 KiB at most
            return 0;
        }
        int i = find(Ipv4.src(b, ip), Ipv4.dst(b, ip), (Ipv4.id(b, ip) << 8) | Ipv4.protocol(b, ip), nowNanos);
        if (i < 0) return 0;
        int firstUnit = offset / 8, endUnit = (offset + length + 7) / 8;
        long[] bits = held[i];
        int heldUnits = countHeld(bits, firstUnit, endUnit);
        if (heldUnits == endUnit - firstUnit && length > 0) {
            counters.fragmentsDuplicate.increment();
            return 0;
        }
        int end = offset + length;
        boolean conflict = heldUnits > 0
                || (!more && payloadLength[i] >= 0 && payloadLength[i] != end) // a second, different last one
                || (!more && countHeld(bits, endUnit, UNITS) > 0)              // data beyond the end
                || (payloadLength[i] >= 0 && end > payloadLength[i])
                || ++fragments[i] > MAX_FRAGMENTS;
        if (conflict) {
            counters.fragmentsBad.increment();
            release(i);
            return 0;
        }
        System.arraycopy(b, ip + hl, buffers[i], PAYLOAD_AT + offset, length);
        for (int u = firstUnit; u < endUnit; u++) bits[u >>> 6] |= 1L << u;
        if (!more) payloadLength[i] = end;
        if (offset == 0) {
            headerLength[i] = hl;
            System.arraycopy(b, ip, buffers[i], PAYLOAD_AT - hl, hl);
        }
        int total = payloadLength[i];
        if (total < 0 || headerLength[i] == 0 || countHeld(bits, 0, (total + 7) / 8) != (total + 7) / 8) return 0;
        int h = headerLength[i];
        if (h + total > Ipv4.MAX_TOTAL_LENGTH || outOff + h + total > out.length) {
            counters.fragmentsBad.increment();
            release(i);
            return 0;
        }
        System.arraycopy(buffers[i], PAYLOAD_AT - h, out, outOff, h + total);
        Ipv4.setTotalLength(out, outOff, h + total);
        int kept = Bytes.u16(out, outOff + Ipv4.FLAGS_OFFSET) & ~(IP_MF | IP_OFFSET_MASK);
        Bytes.put16(out, outOff + Ipv4.FLAGS_OFFSET, kept);
        Ipv4.updateHeaderChecksum(out, outOff);
        release(i);
        counters.fragmentsReassembled.increment();
        return h + total;
    }

    /** The datagram's place: the one in progress, else a free or timed-out one (counted); -1 if all are busy. */
    private int find(int s, int d, int key, long nowNanos) {
        int free = -1;
        for (int i = 0; i < DATAGRAMS; i++) {
            if (used[i] && nowNanos - startedAt[i] >= TIMEOUT_NANOS) {
                counters.fragmentsTimedOut.increment();
                release(i);
            }
            if (!used[i]) {
                if (free < 0) free = i;
            } else if (src[i] == s && dst[i] == d && idAndProtocol[i] == key) {
                return i;
            }
        }
        if (free < 0) {
            counters.fragmentsDroppedMemory.increment();
            return -1;
        }
        if (buffers[free] == null) {
            buffers[free] = new byte[PAYLOAD_AT + Ipv4.MAX_TOTAL_LENGTH];
            held[free] = new long[(UNITS + 63) / 64];
        }
        used[free] = true;
        src[free] = s;
        dst[free] = d;
        idAndProtocol[free] = key;
        startedAt[free] = nowNanos;
        payloadLength[free] = -1;
        headerLength[free] = 0;
        fragments[free] = 0;
        return free;
    }

    private void release(int i) {
        used[i] = false;
        Arrays.fill(held[i], 0);
    }

    /** How many of the units [from, to) are held. */
    private static int countHeld(long[] bits, int from, int to) {
        int n = 0;
        for (int u = from; u < to; u++) {
            if ((bits[u >>> 6] & (1L << u)) != 0) n++;
        }
        return n;
    }

    /** Datagrams in progress now (for tests). */
    int inProgress() {
        int n = 0;
        for (boolean u : used) if (u) n++;
        return n;
    }
}
