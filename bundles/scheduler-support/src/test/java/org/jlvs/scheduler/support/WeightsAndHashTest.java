package org.jlvs.scheduler.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.jlvs.api.fake.FakeRealServer;
import org.junit.jupiter.api.Test;

class WeightsAndHashTest {
    @Test
    void gcdIgnoresZeroWeights() {
        assertEquals(6, Weights.gcd(12, 18));
        List<FakeRealServer> servers = List.of(FakeRealServer.of("10.0.0.1:80", 4),
                FakeRealServer.of("10.0.0.2:80", 0), FakeRealServer.of("10.0.0.3:80", 6));
        assertEquals(2, Weights.gcdOfWeights(servers));
        assertEquals(6, Weights.maxWeight(servers));
        assertEquals(0, Weights.gcdOfWeights(List.of(FakeRealServer.of("10.0.0.1:80", 0))));
    }

    @Test
    void hash32MatchesTheKernelFormula() {
        // hash_32(val, bits) = (val * 0x61C88647) >> (32 - bits), unsigned 32-bit arithmetic.
        assertEquals(0x61, Hash32.hash32(1, 8));
        assertEquals(0, Hash32.hash32(0, 8));
        long expected = ((0xC0A8010BL * 0x61C88647L) & 0xffffffffL) >>> 24;
        assertEquals(expected, Hash32.hash32(0xC0A8010B, 8));
        long expected10 = ((0xC0A8010BL * 0x61C88647L) & 0xffffffffL) >>> 22;
        assertEquals(expected10, Hash32.hash32(0xC0A8010B, 10));
    }
}
