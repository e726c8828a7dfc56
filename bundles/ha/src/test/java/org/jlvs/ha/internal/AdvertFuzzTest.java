package org.jlvs.ha.internal;

import static org.jlvs.ha.internal.Fakes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;

import org.jlvs.packet.Ipv4;
import org.jlvs.packet.Vrrp;
import org.junit.jupiter.api.Test;

/**
 * The receive checks on mutated and random frames: they never throw, whatever the bytes and the length; every
 * frame they do not pass is counted exactly once; and every frame they pass is a well-formed advert of the
 * instance (right VRID, TTL, address list and checksum).
 */
class AdvertFuzzTest {
    @Test
    void mutatedAndRandomFrames() {
        Random random = new Random(1405);
        InstanceConfig config = config("checksum_accept", "both");
        Counters counters = new Counters();
        AdvertRing ring = new AdvertRing();
        AdvertFilter filter = new AdvertFilter(config, B, counters, ring, () -> { }, null, System::nanoTime);
        byte[][] seeds = {golden("vrrpv3_adv_keepalived_A_prio150_ifmac"), golden("vrrpv3_adv_keepalived_A_prio0_shutdown"),
            golden("vrrpv3_adv_keepalived_A_prio150_use_vmac"), golden("garp_keepalived_A_ifmac")};
        int accepted = 0;
        long rejected = 0;
        for (int round = 0; round < 200_000; round++) {
            byte[] frame;
            int length;
            if (round % 10 == 0) {
                frame = new byte[random.nextInt(80)];
                random.nextBytes(frame);
                length = frame.length;
            } else {
                byte[] seed = seeds[random.nextInt(seeds.length)];
                frame = java.util.Arrays.copyOf(seed, seed.length + random.nextInt(20));
                for (int m = random.nextInt(4); m >= 0; m--) frame[random.nextInt(frame.length)] = (byte) random.nextInt(256);
                if (random.nextInt(3) == 0 && frame[14] == 0x45) Ipv4.updateHeaderChecksum(frame, 14); // get past the IP header check
                length = random.nextInt(4) == 0 ? random.nextInt(frame.length + 1) : frame.length;
            }
            long countedBefore = errors(counters);
            int verdict = filter.check(frame, length);
            long counted = errors(counters) - countedBefore;
            switch (verdict) {
                case AdvertFilter.OK -> {
                    accepted++;
                    assertEquals(0, counted);
                    assertEquals(51, Vrrp.vrid(frame, 34));
                    assertEquals(255, Ipv4.ttl(frame, 14));
                    assertEquals(VIP, Vrrp.address(frame, 34, 0));
                    int src = Ipv4.src(frame, 14);
                    assertTrue(Vrrp.checksumValid(frame, 34, 12, true, src, Ipv4.dst(frame, 14))
                            || Vrrp.checksumValid(frame, 34, 12, false, src, Ipv4.dst(frame, 14)));
                    if (ring.poll() < 0) fail("accepted but not queued");
                }
                case AdvertFilter.REJECTED -> {
                    rejected++;
                    assertEquals(1, counted, "one reason per rejected frame");
                }
                case AdvertFilter.NOT_VRRP, AdvertFilter.OWN -> assertEquals(0, counted);
                default -> fail("verdict " + verdict);
            }
        }
        assertTrue(accepted > 1000, "mutations that keep the advert valid: " + accepted);
        assertTrue(rejected > 50_000, "rejected: " + rejected);
    }

    private static long errors(Counters c) {
        long sum = 0;
        for (Counter k : Counter.values()) {
            if (k != Counter.ADVERTISEMENTS_RECEIVED && k != Counter.PRIORITY_ZERO_RECEIVED) sum += c.get(k);
        }
        return sum;
    }
}
