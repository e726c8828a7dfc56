package org.jlvs.scheduler.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class LocalityTableTest {
    static final class E extends LocalityTable.Entry {
        final int value;

        E(int address, long now, int value) {
            super(address, now);
            this.value = value;
        }
    }

    @Test
    void behavesLikeAMapUnderRandomPutsAndRemovals() {
        LocalityTable<E> table = new LocalityTable<>(LocalityTable.DEFAULT_EXPIRATION_MS, 0);
        Map<Integer, Integer> model = new HashMap<>();
        SplittableRandom rnd = new SplittableRandom(7);
        for (int round = 0; round < 20_000; round++) {
            int key = rnd.nextInt(3000) * 16; // clustered keys stress probing
            if (rnd.nextInt(3) == 0) {
                int k = key;
                table.removeIf(e -> e.address == k);
                model.remove(key);
            } else {
                table.put(new E(key, 0, round));
                model.put(key, round);
            }
        }
        assertEquals(model.size(), table.size());
        for (int k = 0; k < 3000 * 16; k += 16) {
            E e = table.get(k);
            Integer v = model.get(k);
            if (v == null) assertNull(e, "key " + k);
            else assertEquals(v.intValue(), e.value, "key " + k);
        }
        // Dropping half by predicate keeps the rest reachable.
        table.removeIf(e -> (e.address / 16) % 2 == 0);
        model.keySet().removeIf(k -> (k / 16) % 2 == 0);
        assertEquals(model.size(), table.size());
        model.forEach((k, v) -> assertEquals(v.intValue(), table.get(k).value));
    }

    @Test
    void fullCheckDropsEntriesIdleForTheExpirationTime() {
        long hour = 3_600_000L;
        LocalityTable<E> table = new LocalityTable<>(24 * hour, 0);
        table.put(new E(1, 0, 1));
        table.put(new E(2, 0, 2));
        table.maintain(23 * hour);           // several full checks ran, nothing idle long enough
        assertEquals(2, table.size());
        table.get(2).lastUse = 23 * hour;    // entry 2 is used again
        table.maintain(24 * hour + 60_000);  // next checks: entry 1 has been idle for 24 h
        // The full check runs every 30th periodic check; give it its 30 minutes.
        table.maintain(24 * hour + 31 * 60_000);
        assertNull(table.get(1));
        assertNotNull(table.get(2));
        table.maintain(46 * hour);            // entry 2 idle for 23 h
        assertNotNull(table.get(2));
        table.maintain(48 * hour);
        assertNull(table.get(2));
    }

    @Test
    void overfullTableDropsEntriesIdleForSixMinutes() {
        long min = 60_000L;
        LocalityTable<E> table = new LocalityTable<>(LocalityTable.DEFAULT_EXPIRATION_MS, 10, 0);
        for (int i = 0; i < 16; i++) table.put(new E(i, -6 * min, i));
        E fresh = new E(100, 0, 100);
        table.put(fresh);
        // First check at 1 min: 17 > 10 entries, goal = min((17 - 10) * 4 / 3, 10 / 2) = 5.
        table.maintain(min);
        assertEquals(12, table.size());
        // Second check: goal = min((12 - 10) * 4 / 3, 5) = 2.
        table.maintain(2 * min);
        assertEquals(10, table.size());
        // At the limit nothing more is collected, and the recently used entry was never a candidate.
        table.maintain(3 * min);
        assertEquals(10, table.size());
        assertSame(fresh, table.get(100));
    }

    @org.junit.jupiter.api.Test
    void expirationSettingsInSeconds() {
        org.junit.jupiter.api.Assertions.assertEquals(60_000L, LocalityTable.expirationMs(" 60 "));
        org.junit.jupiter.api.Assertions.assertEquals(-1L, LocalityTable.expirationMs("0"));
        org.junit.jupiter.api.Assertions.assertEquals(-1L, LocalityTable.expirationMs("soon"));
        org.junit.jupiter.api.Assertions.assertEquals(-1L, LocalityTable.expirationMs(Long.MAX_VALUE));
    }
}
