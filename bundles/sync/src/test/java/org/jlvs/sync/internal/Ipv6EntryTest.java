package org.jlvs.sync.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.jlvs.api.Ip6Address;
import org.jlvs.api.fake.FakeConnectionSync;
import org.jlvs.api.sync.SyncEntry;
import org.junit.jupiter.api.Test;

/**
 * IPv6 entries (struct ip_vs_sync_v6, type 1, 72 bytes): the captured one and one built by hand from the kernel's
 * layout decode to their fields, and encoding the fields gives the same bytes. A backup counts them and installs
 * nothing: the api's SyncEntry has no IPv6 addresses.
 */
class Ipv6EntryTest {
    private final SyncDecoder decoder = new SyncDecoder();
    private final List<SyncEntry6> got = new ArrayList<>();
    private final List<SyncDecoder.Skip> skipped = new ArrayList<>();
    private final SyncDecoder.Listener listener = new SyncDecoder.Listener() {
        @Override
        public void entry(SyncEntry e, int version) {
            throw new AssertionError("an IPv4 entry: " + e);
        }

        @Override
        public void skipped(SyncDecoder.Skip why) {
            skipped.add(why);
        }

        @Override
        public void entry6(SyncEntry6 e) {
            got.add(new SyncEntry6().copyFrom(e));
        }
    };

    static SyncEntry6 captured() {
        return new SyncEntry6().set(6, 0x2, 1, Ip6Address.parse("fd00:214::50"), 40002,
                Ip6Address.parse("fd00:214::100"), 443, Ip6Address.parse("fd00:214::11"), 443, 0, 900);
    }

    static SyncEntry6 withSeq() {
        SyncEntry6 e = new SyncEntry6().set(6, 0x300, 3, Ip6Address.parse("2001:db8:99:1::2"), 40001,
                Ip6Address.parse("2001:db8:99:1::100"), 21, Ip6Address.parse("2001:db8:99:2::13"), 21, 0, 120);
        e.fields.hasSeq = true;
        e.fields.inSeqInit = 0x11111111;
        e.fields.outSeqInit = 0x22222222;
        e.fields.outSeqDelta = 4;
        return e;
    }

    static SyncEntry6 template() {
        return new SyncEntry6().set(6, 0x1000, 1, Ip6Address.parse("2001:db8:99:1::"), 0,
                Ip6Address.parse("2001:db8:99:1::100"), 0, Ip6Address.parse("2001:db8:99:2::11"), 0, 0, 360);
    }

    @Test
    void theCapturedIpv6EntryDecodesAndEncodesBothWays() {
        assertEquals(SyncDecoder.Verdict.OK, decoder.decode(ByteBuffer.wrap(Hex.golden("v1_ipv6")), 7, listener));
        assertEquals(1, got.size());
        assertSame(captured(), got.get(0));
        assertEquals("TCP [fd00:214::50]:40002 -> [fd00:214::100]:443 -> [fd00:214::11]:443 state 1 flags 0x2 timeout 900",
                got.get(0).toString());
        assertArrayEquals(Hex.golden("v1_ipv6"), encode(captured()));
    }

    @Test
    void aHandBuiltIpv6DatagramWithSequenceDataAndATemplateDecodesAndEncodesBothWays() {
        byte[] golden = Hex.golden("v1_ipv6_seq_template");
        assertEquals(SyncDecoder.Verdict.OK, decoder.decode(ByteBuffer.wrap(golden), 7, listener));
        assertEquals(2, got.size());
        assertSame(withSeq(), got.get(0));
        assertSame(template(), got.get(1));
        assertTrue(got.get(1).fields.isTemplate());
        byte[] bytes = encode(withSeq(), template());
        assertEquals(180, bytes.length, "8 + 98 + 2 bytes of padding + 72");
        assertArrayEquals(golden, bytes);
    }

    @Test
    void ipv4AndIpv6EntriesShareADatagram() {
        SyncEncoder enc = new SyncEncoder(1472, false);
        enc.reset(7);
        assertTrue(enc.add(GoldenDatagramTest.one()));
        assertTrue(enc.add(captured()));
        assertTrue(enc.add(GoldenDatagramTest.withSeq()));
        List<String> seen = new ArrayList<>();
        SyncDecoder.Listener both = new SyncDecoder.Listener() {
            @Override public void entry(SyncEntry e, int version) { seen.add(e.toString()); }
            @Override public void skipped(SyncDecoder.Skip why) { throw new AssertionError(why); }
            @Override public void entry6(SyncEntry6 e) { seen.add(e.toString()); }
        };
        assertEquals(SyncDecoder.Verdict.OK, decoder.decode(enc.datagram(), 0, both));
        assertEquals(List.of(GoldenDatagramTest.one().toString(), captured().toString(),
                GoldenDatagramTest.withSeq().toString()), seen);
        assertEquals(8 + 36 + 72 + 62, enc.size());
    }

    @Test
    void aDatagramFullOfIpv6EntriesStopsAtTheMaximumLength() {
        SyncEncoder enc = new SyncEncoder(8 + 72 * 2 + 10, false);
        enc.reset(1);
        assertTrue(enc.add(captured()));
        assertTrue(enc.add(captured()));
        assertFalse(enc.fits(captured()));
        assertFalse(enc.add(captured()), "a third does not fit");
        assertEquals(2, enc.count());
    }

    @Test
    void aBackupCountsIpv6EntriesAndInstallsNone() {
        FakeConnectionSync table = new FakeConnectionSync(100).service(6, "10.214.1.100", 80, "10.214.3.11", 8080);
        Counters<BackupReceiver.Counter> counters = new Counters<>(BackupReceiver.Counter.class);
        BackupReceiver receiver = new BackupReceiver(table, 7, counters);
        assertEquals(SyncDecoder.Verdict.OK, receiver.handle(ByteBuffer.wrap(Hex.golden("v1_ipv6_seq_template"))));
        assertEquals(SyncDecoder.Verdict.OK, receiver.handle(ByteBuffer.wrap(Hex.golden("v1_one"))));
        assertEquals(3, counters.get(BackupReceiver.Counter.ENTRIES_RECEIVED));
        assertEquals(2, counters.get(BackupReceiver.Counter.ENTRIES_IPV6));
        assertEquals(2, counters.get(BackupReceiver.Counter.ENTRIES_UNSUPPORTED));
        assertEquals(1, counters.get(BackupReceiver.Counter.ENTRIES_INSTALLED), "the IPv4 entry only");
        assertEquals(1, table.installs.get());
    }

    private static byte[] encode(SyncEntry6... entries) {
        SyncEncoder enc = new SyncEncoder(1472, false);
        enc.reset(7);
        for (SyncEntry6 e : entries) assertTrue(enc.add(e));
        ByteBuffer d = enc.datagram();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    private static void assertSame(SyncEntry6 expected, SyncEntry6 actual) {
        assertEquals(expected.toString(), actual.toString());
        SyncEntry e = expected.fields, a = actual.fields;
        assertEquals(e.hasSeq, a.hasSeq);
        assertEquals(List.of(e.inSeqInit, e.inSeqDelta, e.inSeqPreviousDelta, e.outSeqInit, e.outSeqDelta,
                e.outSeqPreviousDelta), List.of(a.inSeqInit, a.inSeqDelta, a.inSeqPreviousDelta, a.outSeqInit,
                a.outSeqDelta, a.outSeqPreviousDelta));
        assertEquals(0, a.clientAddress | a.virtualAddress | a.destAddress, "the IPv4 fields stay unused");
    }
}
