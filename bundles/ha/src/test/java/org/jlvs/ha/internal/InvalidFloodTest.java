package org.jlvs.ha.internal;

import static org.jlvs.ha.internal.Fakes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.function.Consumer;

import org.jlvs.api.ha.DirectorRole.State;
import org.jlvs.packet.Ipv4;
import org.jlvs.packet.Vrrp;
import org.junit.jupiter.api.Test;

/**
 * A flood of invalid adverts, each claiming priority 254 (it would take the role from a master at 150 if it were
 * believed): bad checksum, TTL, version, type, VRID, address count, address list, length, interval, IP header.
 * None changes any state; each is counted under its reason.
 */
class InvalidFloodTest {
    private static final int N = 5_000;

    /**
     * keepalived A's advert from another address, spoiled by {@code spoil}, with a correct IP header checksum and,
     * when {@code fixChecksums}, a correct VRRP checksum.
     */
    private static byte[] spoiled(Consumer<byte[]> spoil, boolean fixChecksums) {
        byte[] f = golden("vrrpv3_adv_keepalived_A_prio150_ifmac");
        int ip = AdvertFrames.IP;
        int v = AdvertFrames.VRRP;
        int src = Fakes.C;
        Ipv4.setSrc(f, ip, src);
        spoil.accept(f);
        Ipv4.updateHeaderChecksum(f, ip);
        if (fixChecksums) {
            int len = Ipv4.totalLength(f, ip) - 20;
            int sum = Vrrp.computeChecksum(f, v, Math.min(len, f.length - v), true, src, Ipv4.dst(f, ip));
            f[v + 6] = (byte) (sum >>> 8);
            f[v + 7] = (byte) sum;
        }
        return f;
    }

    private static byte[] badHeaderChecksum() {
        byte[] f = spoiled(InvalidFloodTest::prio254, true);
        f[14 + 10] ^= 1;
        return f;
    }

    private static void prio254(byte[] f) {
        f[AdvertFrames.VRRP + 2] = (byte) 254;
    }

    @Test
    void floodChangesNoStateAndIsCounted() {
        Lab lab = new Lab();
        lab.add(config("state", "master"));
        lab.runTo(100 * MS);
        int v = AdvertFrames.VRRP;
        Object[][] cases = {
            {Counter.CHECKSUM_ERRORS, spoiled(f -> { prio254(f); f[v + 7] ^= 1; }, false)},
            {Counter.CHECKSUM_ERRORS, spoiled(f -> prio254(f), false)}, // priority changed, checksum not
            {Counter.IP_TTL_ERRORS, spoiled(f -> { prio254(f); Ipv4.setTtl(f, 14, 64); }, true)},
            {Counter.VERSION_ERRORS, spoiled(f -> { prio254(f); f[v] = 0x21; }, true)},
            {Counter.INVALID_TYPE_RECEIVED, spoiled(f -> { prio254(f); f[v] = 0x32; }, true)},
            {Counter.VRID_ERRORS, spoiled(f -> { prio254(f); f[v + 1] = 52; }, true)},
            {Counter.ADDRESS_LIST_ERRORS, spoiled(f -> { prio254(f); f[v + 11] = 101; }, true)}, // 10.214.1.101
            {Counter.ADDRESS_LIST_ERRORS, spoiled(f -> { prio254(f); f[v + 3] = 2; }, true)},   // count 2
            {Counter.PACKET_LENGTH_ERRORS, spoiled(f -> { prio254(f); Ipv4.setTotalLength(f, 14, 60); }, true)},
            {Counter.PACKET_LENGTH_ERRORS, spoiled(f -> { prio254(f); Ipv4.setTotalLength(f, 14, 24); }, true)},
            {Counter.ADVERTISEMENTS_INTERVAL_ERRORS, spoiled(f -> { prio254(f); f[v + 4] = 0; f[v + 5] = 0; }, true)},
            {Counter.IP_HEADER_ERRORS, badHeaderChecksum()},
        };
        FakeWire wire = lab.wire("VI_1");
        int advertsBefore = wire.adverts;
        Counters counters = lab.engine.instance("VI_1").counters;
        long[] before = new long[Counter.values().length];
        for (Counter c : Counter.values()) before[c.ordinal()] = counters.get(c);
        long[] expected = before.clone();
        for (Object[] c : cases) {
            byte[] frame = (byte[]) c[1];
            for (int i = 0; i < N; i++) assertEquals(AdvertFilter.REJECTED, wire.filter.check(frame, frame.length));
            expected[((Counter) c[0]).ordinal()] += N;
            if (c[0] == Counter.ADDRESS_LIST_ERRORS && ((byte[]) c[1])[v + 3] == 1
                    || c[0] == Counter.ADVERTISEMENTS_INTERVAL_ERRORS) {
                expected[Counter.ADVERTISEMENTS_RECEIVED.ordinal()] += N; // keepalived counts these as received first
            }
            lab.engine.runOnce();
        }
        assertEquals(State.MASTER, lab.state("VI_1"));
        assertEquals(advertsBefore, wire.adverts); // no answer went out either
        for (Counter c : Counter.values()) assertEquals(expected[c.ordinal()], counters.get(c), c.key);
        // and a valid 254 does take the role, so the frames above were refused for their fault only
        assertEquals(AdvertFilter.OK, lab.advert("VI_1", Fakes.C, 254, 100));
        assertEquals(State.BACKUP, lab.state("VI_1"));
    }

    @Test
    void aBackupIsNotHeldByInvalidAdverts() {
        Lab lab = new Lab();
        lab.add(config("priority", "100"));
        byte[] badChecksum = spoiled(f -> { prio254(f); f[AdvertFrames.VRRP + 7] ^= 1; }, false);
        for (long t = 0; t < 3 * S; t += 10 * MS) {
            lab.runTo(t);
            lab.wire("VI_1").filter.check(badChecksum, badChecksum.length);
        }
        lab.runTo(3 * S + 156 * S / 256);
        assertEquals(State.MASTER, lab.state("VI_1")); // Master_Down ran out as if nothing was heard
    }

    @Test
    void aFloodOfValidAdvertsOverflowsTheRingCounted() {
        Lab lab = new Lab();
        lab.add(config("priority", "100"));
        byte[] valid = spoiled(Fakes.InvalidFloodHelper::none, true);
        int ok = 0;
        for (int i = 0; i < 1000; i++) {
            if (lab.wire("VI_1").filter.check(valid, valid.length) == AdvertFilter.OK) ok++;
        }
        assertEquals(256, ok);
        assertEquals(1000 - 256, lab.engine.instance("VI_1").counters.get(Counter.RECEIVE_OVERFLOW));
        lab.engine.runOnce(); // drained
        assertEquals(AdvertFilter.OK, lab.wire("VI_1").filter.check(valid, valid.length));
    }
}
