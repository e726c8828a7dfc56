package org.jlvs.sync.internal;

import java.nio.ByteBuffer;

import org.jlvs.api.sync.IpvsConn;
import org.jlvs.api.sync.SyncEntry;

/**
 * Reads a received sync datagram with the kernel receiver's rules (ip_vs_process_message,
 * ip_vs_proc_sync_conn, ip_vs_process_message_v0) and hands each valid entry on.
 *
 * <p>Two kinds of fault, as in the kernel: a fault of the datagram's framing (size, header, an entry's length,
 * version or type, an option's length, an option twice) drops the datagram; a fault of one entry's content (a
 * protocol jlvs does not balance, a state out of range, an unknown mandatory option, persistence-engine data)
 * skips that entry. An IPv6 entry is read whole into a {@link SyncEntry6} and handed to
 * {@link Listener#entry6}: the api's SyncEntry carries IPv4 addresses only, so a backup counts it and installs
 * nothing. Stricter than the kernel, which installs the entries before a framing fault
 * as it goes: the whole datagram is checked first, so an invalid datagram installs nothing.
 *
 * <p>Never throws on any input and allocates nothing: every read is bounds-checked against the datagram's
 * length first.
 */
final class SyncDecoder {
    /** What became of a datagram. */
    enum Verdict {
        /** Read: its valid entries were handed on (possibly none). */
        OK,
        /** Another sync id than ours (ours is not 0). */
        OTHER_SYNCID,
        TOO_SHORT("shorter than a header"),
        SIZE_MISMATCH("size field differs from the datagram length"),
        TRUNCATED_ENTRY("an entry runs past the end"),
        ENTRY_VERSION("an entry's version is not 0"),
        ENTRY_TYPE("an entry's type is neither IPv4 nor IPv6"),
        ENTRY_TOO_SHORT("an entry's length is below its fixed part"),
        OPTION_TRUNCATED("an option runs past its entry"),
        OPTION_LENGTH("an option has a wrong length"),
        OPTION_TWICE("an option appears twice in one entry");

        final String reason;

        Verdict() {
            this(null);
        }

        Verdict(String reason) {
            this.reason = reason;
        }

        boolean invalid() {
            return reason != null;
        }
    }

    /** Why one entry was skipped. */
    enum Skip {
        BAD_STATE("state not below the protocol's number of states"),
        UNKNOWN_OPTION("an unknown mandatory option"),
        UNSUPPORTED_PROTOCOL("a protocol jlvs does not balance"),
        PERSISTENCE_ENGINE("persistence-engine data (no engine here)"),
        IPV6("IPv6 (the api's sync entry has no IPv6 addresses: not installed)");

        final String reason;

        Skip(String reason) {
            this.reason = reason;
        }
    }

    /** Receives the outcome of each entry of a valid datagram. */
    interface Listener {
        /** A valid entry, its flags masked with {@link IpvsConn#F_BACKUP_MASK}; {@code e} is reused. */
        void entry(SyncEntry e, int version);

        void skipped(Skip why);

        /**
         * A valid IPv6 entry (v1 only), its flags masked as {@link #entry}'s; {@code e} is reused. By default it
         * is {@link #skipped} as {@link Skip#IPV6}: nothing can install it through the api yet.
         */
        default void entry6(SyncEntry6 e) {
            skipped(Skip.IPV6);
        }
    }

    private final SyncEntry entry = new SyncEntry();
    private final SyncEntry6 entry6 = new SyncEntry6();

    /**
     * Reads the datagram in {@code buf} from its position to its limit (the positions are left as they were).
     *
     * @param ownSyncId the backup's sync id: 0 takes every id, another value only its own
     */
    Verdict decode(ByteBuffer buf, int ownSyncId, Listener listener) {
        int base = buf.position();
        int len = buf.limit() - base;
        if (len < Wire.V0_HEADER) return Verdict.TOO_SHORT;
        if (u16(buf, base + 2) != len) return Verdict.SIZE_MISMATCH;
        if (ownSyncId != 0 && u8(buf, base + 1) != ownSyncId) return Verdict.OTHER_SYNCID;
        boolean v1 = len >= Wire.V1_HEADER && u8(buf, base) == 0 && u8(buf, base + 5) == Wire.V1_VERSION
                && u16(buf, base + 6) == 0;
        if (v1) {
            Verdict v = v1(buf, base, len, null);
            if (v == Verdict.OK) v1(buf, base, len, listener);
            return v;
        }
        Verdict v = v0(buf, base, len, null);
        if (v == Verdict.OK) v0(buf, base, len, listener);
        return v;
    }

    /** One pass over a v1 datagram: checks only when {@code listener} is null, hands entries on otherwise. */
    private Verdict v1(ByteBuffer b, int base, int len, Listener listener) {
        int end = base + len;
        int count = u8(b, base + 4);
        int next = base + Wire.V1_HEADER;
        for (int i = 0; i < count; i++) {
            int p = next;
            if (p + Wire.V4_ENTRY > end) return Verdict.TRUNCATED_ENTRY;
            int verSize = u16(b, p + 2);
            int size = verSize & Wire.SIZE_MASK;
            int entryEnd = p + size;
            if (entryEnd > end) return Verdict.TRUNCATED_ENTRY;
            if ((verSize >>> Wire.VERSION_SHIFT) != 0) return Verdict.ENTRY_VERSION;
            Verdict v = entry(b, p, entryEnd, listener);
            if (v != Verdict.OK) return v;
            next = p + ((size + 3) & ~3);
        }
        return Verdict.OK;
    }

    /** ip_vs_proc_sync_conn: one v1 entry from {@code p} to {@code end}. */
    private Verdict entry(ByteBuffer b, int p, int end, Listener listener) {
        int type = u8(b, p);
        boolean inet6 = (type & Wire.TYPE_INET6) != 0;
        if (!inet6 && type != 0) return Verdict.ENTRY_TYPE;
        int o = p + (inet6 ? Wire.V6_ENTRY : Wire.V4_ENTRY);
        if (o > end) return Verdict.ENTRY_TOO_SHORT;
        SyncEntry e = inet6 ? entry6.fields : entry;
        e.clearOptions();
        boolean unknownMandatory = false;
        int seqAt = -1;
        while (o < end) {
            if (o + 2 > end) return Verdict.OPTION_TRUNCATED;
            int optType = u8(b, o);
            int optLen = u8(b, o + 1);
            o += 2;
            if (optLen == 0 || o + optLen > end) return Verdict.OPTION_TRUNCATED;
            switch (optType & ~Wire.OPT_OPTIONAL) {
                case Wire.OPT_SEQ_DATA:
                    if (optLen != Wire.SEQ_DATA_LENGTH) return Verdict.OPTION_LENGTH;
                    if (seqAt >= 0) return Verdict.OPTION_TWICE;
                    seqAt = o;
                    break;
                case Wire.OPT_PE_DATA:
                    if (e.peDataLength > 0) return Verdict.OPTION_TWICE;
                    copy(b, o, e.peData, optLen);
                    e.peDataLength = optLen;
                    break;
                case Wire.OPT_PE_NAME:
                    if (optLen > SyncEntry.PE_NAME_MAX) return Verdict.OPTION_LENGTH;
                    if (e.peNameLength > 0) return Verdict.OPTION_TWICE;
                    copy(b, o, e.peName, optLen);
                    e.peNameLength = optLen;
                    break;
                default:
                    if ((optType & Wire.OPT_OPTIONAL) == 0) unknownMandatory = true;
            }
            o += optLen;
        }
        if (listener == null) return Verdict.OK;
        if (unknownMandatory) {
            listener.skipped(Skip.UNKNOWN_OPTION);
            return Verdict.OK;
        }
        int protocol = u8(b, p + 1);
        int flags = b.getInt(p + 4) & IpvsConn.F_BACKUP_MASK;
        int state = u16(b, p + 8);
        if (!validState(protocol, flags, state, b.getInt(p + 16), listener)) return Verdict.OK;
        if (e.peDataLength > 0) { // the kernel needs the named engine loaded; jlvs has none
            listener.skipped(Skip.PERSISTENCE_ENGINE);
            return Verdict.OK;
        }
        if (inet6) {
            e.set(protocol, flags, state, 0, u16(b, p + 10), 0, u16(b, p + 12), 0, u16(b, p + 14),
                    b.getInt(p + 16), b.getInt(p + 20));
            entry6.clientHi = b.getLong(p + Wire.V6_CADDR);
            entry6.clientLo = b.getLong(p + Wire.V6_CADDR + 8);
            entry6.virtualHi = b.getLong(p + Wire.V6_VADDR);
            entry6.virtualLo = b.getLong(p + Wire.V6_VADDR + 8);
            entry6.destHi = b.getLong(p + Wire.V6_DADDR);
            entry6.destLo = b.getLong(p + Wire.V6_DADDR + 8);
            if (seqAt >= 0) readSeq(b, seqAt, e);
            listener.entry6(entry6);
            return Verdict.OK;
        }
        e.set(protocol, flags, state, b.getInt(p + 24), u16(b, p + 10), b.getInt(p + 28), u16(b, p + 12),
                b.getInt(p + 32), u16(b, p + 14), b.getInt(p + 16), b.getInt(p + 20));
        if (seqAt >= 0) readSeq(b, seqAt, e);
        listener.entry(e, 1);
        return Verdict.OK;
    }

    /** ip_vs_process_message_v0: 24-byte entries, 48 with sequence data; no timeout, no fwmark. */
    private Verdict v0(ByteBuffer b, int base, int len, Listener listener) {
        int end = base + len;
        int count = u8(b, base);
        int p = base + Wire.V0_HEADER;
        SyncEntry e = entry;
        for (int i = 0; i < count; i++) {
            if (p + Wire.V0_ENTRY > end) return Verdict.TRUNCATED_ENTRY;
            int rawFlags = u16(b, p + 20);
            boolean seq = (rawFlags & IpvsConn.F_SEQ_MASK) != 0;
            int size = seq ? Wire.V0_SEQ_ENTRY : Wire.V0_ENTRY;
            if (p + size > end) return Verdict.TRUNCATED_ENTRY;
            if (listener != null) {
                int protocol = u8(b, p + 1);
                int flags = rawFlags & IpvsConn.F_BACKUP_MASK;
                int state = u16(b, p + 22);
                if (validState(protocol, flags, state, 0, listener)) {
                    e.set(protocol, flags, state, b.getInt(p + 8), u16(b, p + 2), b.getInt(p + 12), u16(b, p + 4),
                            b.getInt(p + 16), u16(b, p + 6), 0, 0);
                    if (seq) readSeq(b, p + Wire.V0_ENTRY, e);
                    listener.entry(e, 0);
                }
            }
            p += size;
        }
        return Verdict.OK;
    }

    /** The protocol of a mark service's template. */
    private static final int IPPROTO_IP = 0;

    /**
     * A connection's state must be below its protocol's number of states (a protocol jlvs does not balance is
     * skipped); a template's below the two template states (the kernel only logs that one: jlvs skips it).
     * A firewall-mark service's template has protocol IPPROTO_IP (0) and the mark for its virtual address
     * (ip_vs_sched_persist: {@code <IPPROTO_IP, caddr, 0, fwmark, 0>}); it comes with the mark (v1 only).
     */
    private static boolean validState(int protocol, int flags, int state, int fwmark, Listener listener) {
        if ((flags & IpvsConn.F_TEMPLATE) != 0) {
            if (IpvsConn.states(protocol) == 0 && !(protocol == IPPROTO_IP && fwmark != 0)) {
                listener.skipped(Skip.UNSUPPORTED_PROTOCOL);
                return false;
            }
            if (state >= IpvsConn.TEMPLATE_STATES) {
                listener.skipped(Skip.BAD_STATE);
                return false;
            }
            return true;
        }
        int states = IpvsConn.states(protocol);
        if (states == 0) {
            listener.skipped(Skip.UNSUPPORTED_PROTOCOL);
            return false;
        }
        if (state >= states) {
            listener.skipped(Skip.BAD_STATE);
            return false;
        }
        return true;
    }

    /** in_seq then out_seq, each {init_seq, delta, previous_delta}: 24 bytes at {@code at}. */
    private static void readSeq(ByteBuffer b, int at, SyncEntry e) {
        e.hasSeq = true;
        e.inSeqInit = b.getInt(at);
        e.inSeqDelta = b.getInt(at + 4);
        e.inSeqPreviousDelta = b.getInt(at + 8);
        e.outSeqInit = b.getInt(at + 12);
        e.outSeqDelta = b.getInt(at + 16);
        e.outSeqPreviousDelta = b.getInt(at + 20);
    }

    private static void copy(ByteBuffer b, int from, byte[] to, int length) {
        for (int i = 0; i < length; i++) to[i] = b.get(from + i);
    }

    private static int u8(ByteBuffer b, int at) {
        return b.get(at) & 0xff;
    }

    private static int u16(ByteBuffer b, int at) {
        return b.getShort(at) & 0xffff;
    }
}
