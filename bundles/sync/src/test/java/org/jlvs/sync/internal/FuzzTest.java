package org.jlvs.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.jlvs.api.fake.FakeConnectionSync;
import org.jlvs.api.sync.IpvsConn;
import org.jlvs.api.sync.SyncEntry;
import org.junit.jupiter.api.Test;

/**
 * One million datagrams (mutations of valid ones, and random bytes) through the backup's receiver: nothing
 * throws, an invalid datagram installs nothing, and what a valid one hands on is a well-formed entry.
 */
class FuzzTest {
    private static final int ROUNDS = 1_000_000;

    /** Valid seeds: the golden datagrams and encoder output with options and many entries. */
    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (String g : new String[] {"v1_one", "v1_two", "v1_seqopt", "v1_ipv6", "v1_ipv6_seq_template", "v0_one"}) {
            seeds.add(Hex.golden(g));
        }
        SyncEncoder enc = new SyncEncoder(1472, false);
        enc.reset(7);
        SyncEntry e = new SyncEntry();
        for (int i = 0; i < 30; i++) {
            e.copyFrom(i % 2 == 0 ? GoldenDatagramTest.one() : GoldenDatagramTest.withSeq());
            e.clientPort = 40000 + i;
            if (i % 5 == 0) e.flags |= IpvsConn.F_TEMPLATE;
            enc.add(e);
        }
        seeds.add(bytes(enc));
        // IPv4 and IPv6 entries mixed, with and without options.
        enc.reset(7);
        SyncEntry6 e6 = new SyncEntry6();
        for (int i = 0; i < 12; i++) {
            if (i % 3 == 0) {
                e.copyFrom(GoldenDatagramTest.one());
                e.clientPort = 41000 + i;
                enc.add(e);
                continue;
            }
            e6.copyFrom(i % 2 == 0 ? Ipv6EntryTest.captured() : Ipv6EntryTest.withSeq());
            e6.fields.clientPort = 41000 + i;
            if (i % 4 == 0) e6.fields.flags |= IpvsConn.F_TEMPLATE;
            enc.add(e6);
        }
        seeds.add(bytes(enc));
        return seeds;
    }

    private static byte[] bytes(SyncEncoder enc) {
        ByteBuffer d = enc.datagram();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    @Test
    void aMillionDatagramsNeverThrowAndInvalidOnesInstallNothing() {
        FakeConnectionSync table = new FakeConnectionSync(1_000_000)
                .service(6, "10.214.1.100", 80, "10.214.3.11", 8080)
                .service(6, "10.214.1.100", 21, "10.214.3.13", 21)
                .service(17, "10.214.1.100", 53, "10.214.3.12", 5300);
        Counters<BackupReceiver.Counter> counters = new Counters<>(BackupReceiver.Counter.class);
        BackupReceiver receiver = new BackupReceiver(table, 0, counters);
        SyncDecoder checker = new SyncDecoder();
        List<byte[]> seeds = seeds();
        SplittableRandom rnd = new SplittableRandom(13);
        ByteBuffer buf = ByteBuffer.allocate(2048);
        long invalid = 0, valid = 0, installedFromValid = 0;
        // Checks what a valid datagram hands on, without installing.
        SyncDecoder.Listener wellFormed = new SyncDecoder.Listener() {
            @Override
            public void entry(SyncEntry e, int version) {
                int states = e.isTemplate() ? IpvsConn.TEMPLATE_STATES : IpvsConn.states(e.protocol);
                assertTrue(IpvsConn.states(e.protocol) > 0 && e.state < states, e::toString);
                assertEquals(0, e.flags & ~IpvsConn.F_BACKUP_MASK, e::toString);
                assertTrue(e.clientPort <= 0xffff && e.virtualPort <= 0xffff && e.destPort <= 0xffff);
            }

            @Override
            public void skipped(SyncDecoder.Skip why) {
            }

            @Override
            public void entry6(SyncEntry6 e6) {
                entry(e6.fields, 1);
                assertEquals(0, e6.fields.clientAddress | e6.fields.virtualAddress | e6.fields.destAddress);
            }
        };
        for (int round = 0; round < ROUNDS; round++) {
            int len = fill(buf.array(), seeds, rnd, round);
            buf.clear().limit(len);
            SyncDecoder.Verdict expected = checker.decode(buf, 0, wellFormed);
            buf.clear().limit(len);
            long before = table.installs.get();
            SyncDecoder.Verdict v = receiver.handle(buf);
            long installs = table.installs.get() - before;
            assertEquals(expected, v);
            if (v.invalid()) {
                invalid++;
                assertEquals(0, installs, "an invalid datagram reached the table");
            } else {
                valid++;
                installedFromValid += installs;
            }
        }
        assertEquals(ROUNDS, counters.get(BackupReceiver.Counter.DATAGRAMS_RECEIVED));
        assertEquals(invalid, counters.get(BackupReceiver.Counter.DROPPED_INVALID));
        // The mutations must exercise both sides, or the test proves nothing.
        assertTrue(invalid > ROUNDS / 10, "invalid: " + invalid);
        assertTrue(valid > ROUNDS / 10, "valid: " + valid);
        assertTrue(installedFromValid > ROUNDS / 10, "installed: " + installedFromValid);
    }

    /** Writes one fuzzed datagram into {@code out}; returns its length. */
    private static int fill(byte[] out, List<byte[]> seeds, SplittableRandom rnd, int round) {
        int kind = round % 10;
        if (kind == 0) { // random bytes, with a size field that matches one time in two
            int len = rnd.nextInt(0, 300);
            for (int i = 0; i < len; i++) out[i] = (byte) rnd.nextInt(256);
            if (len >= 4 && rnd.nextBoolean()) {
                out[2] = (byte) (len >>> 8);
                out[3] = (byte) len;
                if (rnd.nextBoolean()) {
                    out[0] = 0;
                    out[5] = 1;
                    out[6] = out[7] = 0;
                }
            }
            return len;
        }
        byte[] seed = seeds.get(rnd.nextInt(seeds.size()));
        int len = seed.length;
        System.arraycopy(seed, 0, out, 0, len);
        int mutations = 1 + rnd.nextInt(kind < 5 ? 1 : 4);
        for (int m = 0; m < mutations; m++) {
            switch (rnd.nextInt(6)) {
                case 0 -> out[rnd.nextInt(len)] ^= (byte) (1 << rnd.nextInt(8)); // a bit flip
                case 1 -> out[rnd.nextInt(len)] = (byte) rnd.nextInt(256);       // a byte
                case 2 -> len = Math.max(0, len - 1 - rnd.nextInt(8));             // truncated
                case 3 -> {                                                         // bytes appended
                    int extra = 1 + rnd.nextInt(40);
                    for (int i = 0; i < extra; i++) out[len + i] = (byte) rnd.nextInt(256);
                    len += extra;
                }
                case 4 -> out[8 + 3 + 36 * rnd.nextInt(3) % Math.max(1, len - 12)] = (byte) rnd.nextInt(256); // an entry size
                default -> out[4] = (byte) rnd.nextInt(256);                        // nr_conns
            }
        }
        // Most mutations keep the size field right, so that the deeper checks are reached.
        if (len >= 4 && rnd.nextInt(4) != 0) {
            out[2] = (byte) (len >>> 8);
            out[3] = (byte) len;
        }
        return len;
    }
}
