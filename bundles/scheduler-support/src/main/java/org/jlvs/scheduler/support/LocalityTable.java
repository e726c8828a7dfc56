package org.jlvs.scheduler.support;

import java.util.function.Predicate;

/**
 * The per-service cache of lblc and lblcr: entries keyed by a destination IPv4 address, each with the time it
 * was last used, and IPVS's garbage collection of them (ip_vs_lblc.c / ip_vs_lblcr.c). An IPv6 destination is
 * keyed by its fold ({@code Ip6Address.fold}, the int address of an IPv6 flow): IPVS hashes the fold too but
 * compares whole addresses, so two IPv6 destinations of one service with the same fold share an entry here (a
 * known collision; two addresses of one /64 collide only when the two halves of their interface identifiers
 * XOR alike).
 * <ul>
 * <li>a check runs every {@link #CHECK_EXPIRE_INTERVAL_MS} (60 s);</li>
 * <li>every {@link #COUNT_FOR_FULL_EXPIRATION}th check without collection (about every 30 min) is a full check
 * that drops entries idle for the expiration time (sysctl lblc_expiration / lblcr_expiration, 24 h by
 * default);</li>
 * <li>a check that finds more than {@link #MAX_SIZE} entries (1024 buckets * 16) drops entries idle for
 * {@link #ENTRY_TIMEOUT_MS} (6 min), up to min((entries - max) * 4/3, max / 2) of them, scanning on from
 * where the last collection stopped.</li>
 * </ul>
 * There is no timer thread: the owner calls {@link #maintain(long)} when it schedules, and missed periods are
 * caught up then (an idle service keeps its entries until its next new connection, which is harmless).
 * An open-addressing table (linear probing, backward-shift deletion) keeps lookups free of boxing.
 * Not thread-safe: the owning binding holds its lock.
 */
public final class LocalityTable<E extends LocalityTable.Entry> {
    public static final long CHECK_EXPIRE_INTERVAL_MS = 60_000L;
    public static final long ENTRY_TIMEOUT_MS = 6 * 60_000L;
    public static final long DEFAULT_EXPIRATION_MS = 24 * 60 * 60_000L;

    /** The {@code expiration} setting of an lblc/lblcr configuration (seconds, above 0) in ms, or -1 when bad. */
    public static long expirationMs(Object seconds) {
        try {
            long value = Long.parseLong(seconds.toString().trim());
            return value > 0 && value < Long.MAX_VALUE / 1000 ? value * 1000L : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
    public static final int COUNT_FOR_FULL_EXPIRATION = 30;
    public static final int MAX_SIZE = 1024 * 16;

    /** A cache entry: the destination address it is for and when it was last used. */
    public abstract static class Entry {
        public final int address;
        public long lastUse;

        protected Entry(int address, long now) {
            this.address = address;
            this.lastUse = now;
        }
    }

    private final long expirationMs;
    private final int maxSize;
    private Entry[] slots = new Entry[16];
    private int bits = 4;
    private int size;
    private int rover;
    private int counter = 1;
    private long nextCheck;

    /**
     * @param expirationMs idle time after which the full check drops an entry
     * @param now          the clock's current value in milliseconds (the first check is one interval later)
     */
    public LocalityTable(long expirationMs, long now) {
        this(expirationMs, MAX_SIZE, now);
    }

    /** With another collection threshold than IPVS's 16384 entries (for tests). */
    public LocalityTable(long expirationMs, int maxSize, long now) {
        this.expirationMs = expirationMs;
        this.maxSize = maxSize;
        this.nextCheck = now + CHECK_EXPIRE_INTERVAL_MS;
    }

    public int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    public E get(int address) {
        int mask = slots.length - 1;
        for (int i = home(address); ; i = (i + 1) & mask) {
            Entry e = slots[i];
            if (e == null) return null;
            if (e.address == address) return (E) e;
        }
    }

    /** Adds an entry, replacing any entry for the same address. */
    public void put(E entry) {
        if ((size + 1) * 4 > slots.length * 3) grow();
        insert(entry);
    }

    /** Drops the entries that match; {@code drop} may also update the entries it keeps. */
    public int removeIf(Predicate<? super E> drop) {
        return sweep(drop, Integer.MAX_VALUE, 0);
    }

    /** Runs the periodic checks that are due at {@code now} (milliseconds). */
    public void maintain(long now) {
        if (now - nextCheck < 0) return;
        long ticks = (now - nextCheck) / CHECK_EXPIRE_INTERVAL_MS + 1;
        nextCheck += ticks * CHECK_EXPIRE_INTERVAL_MS;
        // Within COUNT_FOR_FULL_EXPIRATION ticks a full check is sure to have run; more would change nothing.
        for (long t = Math.min(ticks, COUNT_FOR_FULL_EXPIRATION); t > 0; t--) checkExpire(now);
    }

    private void checkExpire(long now) {
        if (counter % COUNT_FOR_FULL_EXPIRATION == 0) {
            sweepFromRover(e -> now - e.lastUse >= expirationMs, Integer.MAX_VALUE);
            counter = 1;
            return;
        }
        if (size <= maxSize) {
            counter++;
            return;
        }
        int goal = Math.min((size - maxSize) * 4 / 3, maxSize / 2);
        sweepFromRover(e -> now - e.lastUse >= ENTRY_TIMEOUT_MS, goal);
    }

    private void sweepFromRover(Predicate<Entry> drop, int goal) {
        rover = sweep(drop, goal, rover + 1);
    }

    /** Scans every slot once from {@code start}, dropping matches; stops early at {@code goal} drops. */
    @SuppressWarnings("unchecked")
    private int sweep(Predicate<? super E> drop, int goal, int start) {
        int mask = slots.length - 1;
        int removed = 0;
        int i = start & mask;
        for (int step = 0; step <= mask; step++, i = (i + 1) & mask) {
            // Deleting shifts a later entry of the same cluster into slot i: look at it again.
            while (slots[i] != null && drop.test((E) slots[i])) {
                deleteAt(i);
                removed++;
            }
            if (removed >= goal) break;
        }
        return i;
    }

    private int home(int address) {
        return (address * 0x9E3779B9) >>> (32 - bits);
    }

    private void insert(Entry entry) {
        int mask = slots.length - 1;
        for (int i = home(entry.address); ; i = (i + 1) & mask) {
            Entry e = slots[i];
            if (e == null) {
                slots[i] = entry;
                size++;
                return;
            }
            if (e.address == entry.address) {
                slots[i] = entry;
                return;
            }
        }
    }

    private void grow() {
        Entry[] old = slots;
        slots = new Entry[old.length * 2];
        bits++;
        size = 0;
        rover = 0;
        for (Entry e : old) if (e != null) insert(e);
    }

    private void deleteAt(int i) {
        int mask = slots.length - 1;
        slots[i] = null;
        size--;
        int hole = i;
        for (int j = (i + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            int h = home(slots[j].address);
            // The entry at j may fill the hole if the hole lies on its probe path from h to j.
            if (((j - h) & mask) >= ((j - hole) & mask)) {
                slots[hole] = slots[j];
                slots[j] = null;
                hole = j;
            }
        }
    }
}
