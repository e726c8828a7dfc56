package org.jlvs.sync.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;

import org.jlvs.api.Ip4;
import org.jlvs.api.sync.SyncEntry;
import org.junit.jupiter.api.Test;

/**
 * The five captured datagrams decode to the fields tshark showed, and encoding those fields gives the same
 * bytes (see src/test/resources/golden/README.md).
 */
class GoldenDatagramTest {
    private final SyncDecoder decoder = new SyncDecoder();
    private final Recorder rec = new Recorder();

    static SyncEntry one() {
        return new SyncEntry().set(6, 0x3, 1, Ip4.parse("10.214.2.50"), 40000, Ip4.parse("10.214.1.100"), 80,
                Ip4.parse("10.214.3.11"), 8080, 0, 900);
    }

    static SyncEntry udp() {
        return new SyncEntry().set(17, 0, 0, Ip4.parse("10.214.2.51"), 5353, Ip4.parse("10.214.1.100"), 53,
                Ip4.parse("10.214.3.12"), 5300, 42, 300);
    }

    static SyncEntry withSeq() {
        SyncEntry e = new SyncEntry().set(6, 0x300, 3, Ip4.parse("10.214.2.52"), 40001, Ip4.parse("10.214.1.100"), 21,
                Ip4.parse("10.214.3.13"), 21, 0, 120);
        e.hasSeq = true;
        e.inSeqInit = 0x11111111;
        e.outSeqInit = 0x22222222;
        e.outSeqDelta = 4;
        return e;
    }

    private List<SyncEntry> decode(String name) {
        rec.clear();
        assertEquals(SyncDecoder.Verdict.OK, decoder.decode(ByteBuffer.wrap(Hex.golden(name)), 7, rec));
        return rec.entries;
    }

    private static byte[] encode(int syncId, SyncEntry... entries) {
        SyncEncoder enc = new SyncEncoder(1472, false);
        enc.reset(syncId);
        for (SyncEntry e : entries) assertTrue(enc.add(e));
        ByteBuffer d = enc.datagram();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    private static void assertSame(SyncEntry expected, SyncEntry actual) {
        assertEquals(expected.toString(), actual.toString());
        assertEquals(expected.hasSeq, actual.hasSeq);
        assertEquals(expected.inSeqInit, actual.inSeqInit);
        assertEquals(expected.inSeqDelta, actual.inSeqDelta);
        assertEquals(expected.inSeqPreviousDelta, actual.inSeqPreviousDelta);
        assertEquals(expected.outSeqInit, actual.outSeqInit);
        assertEquals(expected.outSeqDelta, actual.outSeqDelta);
        assertEquals(expected.outSeqPreviousDelta, actual.outSeqPreviousDelta);
    }

    @Test
    void v1One() {
        List<SyncEntry> got = decode("v1_one");
        assertEquals(1, got.size());
        assertSame(one(), got.get(0));
        assertEquals("TCP 10.214.2.50:40000 -> 10.214.1.100:80 -> 10.214.3.11:8080 state 1 flags 0x3 timeout 900",
                got.get(0).toString());
        assertArrayEquals(Hex.golden("v1_one"), encode(7, one()));
    }

    @Test
    void v1Two() {
        List<SyncEntry> got = decode("v1_two");
        assertEquals(2, got.size());
        assertSame(one(), got.get(0));
        assertSame(udp(), got.get(1));
        assertArrayEquals(Hex.golden("v1_two"), encode(7, one(), udp()));
    }

    @Test
    void v1WithSequenceDataIsAlignedToFourBytes() {
        List<SyncEntry> got = decode("v1_seqopt");
        assertEquals(2, got.size());
        assertSame(withSeq(), got.get(0));
        assertSame(one(), got.get(1));
        byte[] bytes = encode(7, withSeq(), one());
        assertEquals(108, bytes.length, "8 + 62 + 2 bytes of padding + 36");
        assertArrayEquals(Hex.golden("v1_seqopt"), bytes);
    }

    @Test
    void v1Ipv6IsReadAndSkippedUntilIpv6IsSupported() {
        List<SyncEntry> got = decode("v1_ipv6");
        assertTrue(got.isEmpty());
        assertEquals(List.of(SyncDecoder.Skip.IPV6), rec.skipped);
    }

    @Test
    void v0One() {
        List<SyncEntry> got = decode("v0_one");
        assertEquals(1, got.size());
        SyncEntry expected = one();
        expected.timeout = 0; // v0 carries no timeout: the receiver uses the protocol default
        assertSame(expected, got.get(0));
        assertEquals(List.of(0), rec.versions);
    }

    @Test
    void theSyncIdFilterIsTheKernels() {
        byte[] d = Hex.golden("v1_one");
        assertEquals(SyncDecoder.Verdict.OK, decoder.decode(ByteBuffer.wrap(d), 0, rec), "0 takes every id");
        assertEquals(SyncDecoder.Verdict.OTHER_SYNCID, decoder.decode(ByteBuffer.wrap(d), 8, rec));
        assertFalse(SyncDecoder.Verdict.OTHER_SYNCID.invalid(), "another id is not an error");
    }
}
