package org.jlvs.sync.internal;

import static org.jlvs.sync.internal.SyncDecoder.Verdict.ENTRY_TOO_SHORT;
import static org.jlvs.sync.internal.SyncDecoder.Verdict.ENTRY_TYPE;
import static org.jlvs.sync.internal.SyncDecoder.Verdict.ENTRY_VERSION;
import static org.jlvs.sync.internal.SyncDecoder.Verdict.OK;
import static org.jlvs.sync.internal.SyncDecoder.Verdict.OPTION_LENGTH;
import static org.jlvs.sync.internal.SyncDecoder.Verdict.OPTION_TRUNCATED;
import static org.jlvs.sync.internal.SyncDecoder.Verdict.OPTION_TWICE;
import static org.jlvs.sync.internal.SyncDecoder.Verdict.SIZE_MISMATCH;
import static org.jlvs.sync.internal.SyncDecoder.Verdict.TOO_SHORT;
import static org.jlvs.sync.internal.SyncDecoder.Verdict.TRUNCATED_ENTRY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import org.jlvs.api.sync.IpvsConn;
import org.junit.jupiter.api.Test;

/**
 * One test per check of the kernel's receiver (ip_vs_process_message, ip_vs_proc_sync_conn,
 * ip_vs_process_message_v0), on datagrams derived from the golden ones. A framing fault drops the datagram and
 * installs nothing, also for the entries before the fault; a content fault skips its entry only.
 */
class ReceiveRulesTest {
    private final SyncDecoder decoder = new SyncDecoder();
    private final Recorder rec = new Recorder();

    private SyncDecoder.Verdict decode(byte[] d) {
        rec.clear();
        SyncDecoder.Verdict v = decoder.decode(ByteBuffer.wrap(d), 0, rec);
        if (v.invalid()) assertTrue(rec.entries.isEmpty() && rec.skipped.isEmpty(), "an invalid datagram installed something");
        return v;
    }

    /** Sets the header's size to the array's length (so that only the rule under test fails). */
    private static byte[] sized(byte[] d) {
        d[2] = (byte) (d.length >>> 8);
        d[3] = (byte) d.length;
        return d;
    }

    private static byte[] two() {
        return Hex.golden("v1_two");
    }

    /** Offset of the second entry of v1_two. */
    private static final int SECOND = 8 + 36;

    @Test
    void aDatagramShorterThanAHeaderIsDropped() {
        assertEquals(TOO_SHORT, decode(new byte[] {0, 7, 0}));
        assertEquals(TOO_SHORT, decode(new byte[0]));
    }

    @Test
    void theSizeFieldMustEqualTheDatagramLength() {
        byte[] d = Arrays.copyOf(two(), 81);
        assertEquals(SIZE_MISMATCH, decode(d), "one byte more than the size says");
        assertEquals(SIZE_MISMATCH, decode(Arrays.copyOf(two(), 79)));
        byte[] e = two();
        e[3] = 0x4f;
        assertEquals(SIZE_MISMATCH, decode(e));
    }

    @Test
    void reservedSpareOrVersionOtherThanV1MeansV0() {
        byte[] version2 = two();
        version2[5] = 2;
        decode(version2);
        assertTrue(!rec.versions.contains(1), "read as v1 although version is 2");
        byte[] spare = two();
        spare[7] = 1;
        decode(spare);
        assertTrue(!rec.versions.contains(1), "read as v1 although spare is not 0");
        byte[] reserved = two();
        reserved[0] = 1; // a v0 receiver's nr_conns: read as one v0 entry
        assertEquals(OK, decode(reserved));
        assertTrue(rec.entries.isEmpty() || rec.versions.equals(List.of(0)));
    }

    @Test
    void moreEntriesThanTheDatagramHoldsDropItAll() {
        byte[] d = two();
        d[4] = 3;
        assertEquals(TRUNCATED_ENTRY, decode(d), "the first two entries are not installed either");
    }

    @Test
    void anEntryLongerThanTheRestIsDropped() {
        byte[] d = two();
        d[SECOND + 3] = 40; // 40 bytes from offset 44 of 80
        assertEquals(TRUNCATED_ENTRY, decode(d));
    }

    @Test
    void anEntryVersionOtherThanZeroIsDropped() {
        byte[] d = two();
        d[SECOND + 2] = 0x10;
        assertEquals(ENTRY_VERSION, decode(d));
    }

    @Test
    void anEntryTypeOtherThanIpv4OrIpv6IsDropped() {
        byte[] d = two();
        d[SECOND] = 2; // tshark's idea of IPv6; the kernel's is 1
        assertEquals(ENTRY_TYPE, decode(d));
    }

    @Test
    void anEntryShorterThanItsFixedPartIsDropped() {
        byte[] d = two();
        d[SECOND + 3] = 32;
        assertEquals(ENTRY_TOO_SHORT, decode(d));
        byte[] v6 = Hex.golden("v1_ipv6");
        v6[8 + 3] = 60; // an IPv6 entry needs 72
        assertEquals(ENTRY_TOO_SHORT, decode(v6));
    }

    /** v1_one with {@code option} appended to its entry. */
    private static byte[] withOption(int... option) {
        byte[] one = Hex.golden("v1_one");
        byte[] d = Arrays.copyOf(one, one.length + option.length);
        for (int i = 0; i < option.length; i++) d[one.length + i] = (byte) option[i];
        int size = 36 + option.length;
        d[8 + 2] = (byte) (size >>> 8);
        d[8 + 3] = (byte) size;
        return sized(d);
    }

    private static int[] seq(int type) {
        int[] o = new int[26];
        o[0] = type;
        o[1] = 24;
        return o;
    }

    @Test
    void optionsMustFitTheirEntry() {
        assertEquals(OPTION_TRUNCATED, decode(withOption(1)), "a lone type byte");
        assertEquals(OPTION_TRUNCATED, decode(withOption(1, 0)), "length 0");
        assertEquals(OPTION_TRUNCATED, decode(withOption(1, 24, 0, 0)), "24 announced, 2 present");
    }

    @Test
    void sequenceDataIsTwentyFourBytesAndOnlyOnce() {
        assertEquals(OK, decode(withOption(seq(1))));
        assertTrue(rec.entries.get(0).hasSeq);
        assertEquals(OPTION_LENGTH, decode(withOption(1, 4, 0, 0, 0, 0)));
        int[] twice = new int[52];
        System.arraycopy(seq(1), 0, twice, 0, 26);
        System.arraycopy(seq(1 | 0x40), 0, twice, 26, 26);
        assertEquals(OPTION_TWICE, decode(withOption(twice)), "the optional bit does not make a second one legal");
    }

    @Test
    void peNameIsAtMostSixteenBytesAndPeDataOnlyOnce() {
        int[] name = new int[2 + 17];
        name[0] = 3;
        name[1] = 17;
        assertEquals(OPTION_LENGTH, decode(withOption(name)));
        assertEquals(OPTION_TWICE, decode(withOption(2, 1, 9, 2, 1, 9)));
    }

    @Test
    void peDataIsSkippedForLackOfAnEngine() {
        assertEquals(OK, decode(withOption(2, 3, 1, 2, 3, 3, 3, 's', 'i', 'p')));
        assertEquals(List.of(SyncDecoder.Skip.PERSISTENCE_ENGINE), rec.skipped);
        assertTrue(rec.entries.isEmpty());
    }

    @Test
    void anUnknownMandatoryOptionSkipsItsEntryAnOptionalOneIsIgnored() {
        assertEquals(OK, decode(withOption(9, 2, 0, 0)));
        assertEquals(List.of(SyncDecoder.Skip.UNKNOWN_OPTION), rec.skipped);
        assertTrue(rec.entries.isEmpty());
        assertEquals(OK, decode(withOption(9 | 0x40, 2, 0, 0)));
        assertEquals(1, rec.entries.size());
    }

    @Test
    void theStateMustBeBelowTheProtocolsNumberOfStates() {
        byte[] tcp = two();
        tcp[8 + 9] = 11; // TCP has 11 states
        assertEquals(OK, decode(tcp));
        assertEquals(List.of(SyncDecoder.Skip.BAD_STATE), rec.skipped);
        assertEquals(1, rec.entries.size(), "the UDP entry is kept");
        byte[] tcp10 = two();
        tcp10[8 + 9] = 10;
        decode(tcp10);
        assertEquals(2, rec.entries.size(), "SYNACK (10) is a TCP state");
        byte[] udp = two();
        udp[SECOND + 9] = 1; // UDP has one state
        decode(udp);
        assertEquals(List.of(SyncDecoder.Skip.BAD_STATE), rec.skipped);
    }

    @Test
    void templatesHaveTwoStates() {
        byte[] d = two();
        d[8 + 6] = 0x10; // flags |= TEMPLATE
        d[8 + 9] = 1;    // ASSURED
        decode(d);
        assertEquals(2, rec.entries.size());
        assertTrue(rec.entries.get(0).isTemplate());
        d[8 + 9] = 2;
        decode(d);
        assertEquals(List.of(SyncDecoder.Skip.BAD_STATE), rec.skipped);
    }

    @Test
    void aProtocolJlvsDoesNotBalanceIsSkipped() {
        byte[] d = two();
        d[8 + 1] = (byte) 132; // SCTP
        assertEquals(OK, decode(d));
        assertEquals(List.of(SyncDecoder.Skip.UNSUPPORTED_PROTOCOL), rec.skipped);
        assertEquals(1, rec.entries.size());
    }

    @Test
    void aMarkServicesTemplateOfProtocolZeroIsKeptWithItsMarkAndSkippedWithout() {
        byte[] d = two();
        d[8 + 1] = 0;    // IPPROTO_IP: <IPPROTO_IP, caddr, 0, fwmark, 0>, a mark service's template
        d[8 + 6] = 0x10; // flags |= TEMPLATE
        d[8 + 9] = 0;
        decode(d);
        assertEquals(List.of(SyncDecoder.Skip.UNSUPPORTED_PROTOCOL), rec.skipped, "without a mark");
        d[8 + 19] = 7;   // fwmark 7
        decode(d);
        assertEquals(List.of(), rec.skipped);
        assertEquals(2, rec.entries.size());
        assertEquals(0, rec.entries.get(0).protocol);
        assertEquals(7, rec.entries.get(0).fwmark);
        d[8 + 6] = 0;    // a connection of protocol 0 is no template: skipped whatever its mark
        decode(d);
        assertEquals(List.of(SyncDecoder.Skip.UNSUPPORTED_PROTOCOL), rec.skipped);
    }

    @Test
    void flagsAreMaskedAsTheBackupMasksThem() {
        byte[] d = two();
        d[8 + 4] = d[8 + 5] = d[8 + 6] = d[8 + 7] = (byte) 0xff;
        decode(d);
        assertEquals(IpvsConn.F_BACKUP_MASK, rec.entries.get(0).flags, "SYNC, HASHED, ONE_PACKET and the rest are not taken");
    }

    @Test
    void paddingIsCountedInTheDatagramNotInTheEntry() {
        byte[] d = Hex.golden("v1_seqopt");
        d[8 + 3] = 64; // claim the padding as part of the entry: it then reads as an option of type 0, length 0
        assertEquals(OPTION_TRUNCATED, decode(d));
    }

    @Test
    void trailingBytesAfterTheLastEntryAreIgnoredAsTheKernelDoes() {
        byte[] d = sized(Arrays.copyOf(two(), 84));
        assertEquals(OK, decode(d));
        assertEquals(2, rec.entries.size());
    }

    @Test
    void v0EntriesMustFitAndSequenceDataMakesThemFortyEightBytes() {
        byte[] v0 = Hex.golden("v0_one");
        v0[0] = 2;
        assertEquals(TRUNCATED_ENTRY, decode(v0));
        byte[] seq = sized(Arrays.copyOf(Hex.golden("v0_one"), 4 + 48));
        seq[4 + 20] = 0x02; // IN_SEQ
        assertEquals(OK, decode(seq));
        assertTrue(rec.entries.get(0).hasSeq);
        byte[] shortSeq = Hex.golden("v0_one");
        shortSeq[4 + 20] = 0x04;
        assertEquals(TRUNCATED_ENTRY, decode(shortSeq), "the sequence block is missing");
        byte[] badState = Hex.golden("v0_one");
        badState[4 + 23] = 11;
        assertEquals(OK, decode(badState));
        assertEquals(List.of(SyncDecoder.Skip.BAD_STATE), rec.skipped);
    }
}
