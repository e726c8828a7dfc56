package org.jlvs.sync.internal;

/**
 * The IPVS sync protocol's layout (net/netfilter/ipvs/ip_vs_sync.c), all big-endian.
 *
 * <pre>
 * v1 header, 8 bytes:  reserved=0 | syncid | size (2, the whole datagram) | nr_conns | version=1 | spare=0 (2)
 * v1 IPv4 entry, 36 bytes + options, each entry starting 4-byte aligned (the padding counts in the header's size,
 * not in the entry's):
 *   type=0 | protocol | ver_size (2: version in the top 4 bits, must be 0; length with options in the low 12)
 *   flags (4) | state (2) | cport (2) | vport (2) | dport (2) | fwmark (4) | timeout (4, s) | caddr | vaddr | daddr
 *   options: type (1) | length (1) | data; type | 0x40 marks an option a receiver may ignore
 * v1 IPv6 entry (type bit 0 set, struct ip_vs_sync_v6), 72 bytes + options: the same with 16-byte addresses,
 *   caddr at 24, vaddr at 40, daddr at 56
 * v0 header, 4 bytes:  nr_conns | syncid | size (2)
 * v0 entry, 24 bytes:  reserved | protocol | cport | vport | dport | caddr | vaddr | daddr | flags (2) | state (2),
 *   followed by 24 bytes of sequence data when a SEQ flag is set
 * </pre>
 */
final class Wire {
    private Wire() {}

    static final int V1_HEADER = 8, V0_HEADER = 4;
    static final int V1_VERSION = 1;
    static final int V4_ENTRY = 36, V6_ENTRY = 72;
    static final int V0_ENTRY = 24, V0_SEQ_ENTRY = 48;
    static final int TYPE_INET6 = 0x01;
    /** Where an IPv6 entry's addresses start. */
    static final int V6_CADDR = 24, V6_VADDR = 40, V6_DADDR = 56;
    /** ver_size: the low 12 bits are the entry's length, the top 4 its version. */
    static final int SIZE_MASK = 0x0fff, VERSION_SHIFT = 12;

    static final int OPT_SEQ_DATA = 1, OPT_PE_DATA = 2, OPT_PE_NAME = 3;
    /** An option with this bit may be ignored by a receiver that does not know it (IPVS_OPT_F_PARAM). */
    static final int OPT_OPTIONAL = 0x40;
    /** in_seq and out_seq: {init_seq, delta, previous_delta} each. */
    static final int SEQ_DATA_LENGTH = 24;

    /** A datagram holds at most 255 entries: nr_conns is one byte. */
    static final int MAX_ENTRIES = 255;

    /** The entry's length on the wire (without alignment padding) for {@code e}'s options. */
    static int v1Length(org.jlvs.api.sync.SyncEntry e) {
        return V4_ENTRY + optionsLength(e);
    }

    /** An IPv6 entry's length on the wire (without alignment padding). */
    static int v1Length(SyncEntry6 e) {
        return V6_ENTRY + optionsLength(e.fields);
    }

    private static int optionsLength(org.jlvs.api.sync.SyncEntry e) {
        int len = 0;
        if (e.hasSeq) len += 2 + SEQ_DATA_LENGTH;
        if (e.peDataLength > 0) {
            len += 2 + e.peDataLength;
            if (e.peNameLength > 0) len += 2 + e.peNameLength;
        }
        return len;
    }
}
