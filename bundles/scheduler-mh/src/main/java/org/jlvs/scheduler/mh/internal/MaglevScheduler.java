package org.jlvs.scheduler.mh.internal;

import java.util.Arrays;
import java.util.Map;

import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.spi.VirtualService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * IPVS mh: Maglev consistent hashing of the client address (and port with mh-port).
 * The lookup table size is one of IPVS's primes, 4093 by default; set another with the configuration
 * {@code org.jlvs.scheduler.mh} property {@code table.size} (the kernel fixes it at build time with
 * CONFIG_IP_VS_MH_TAB_INDEX). Services bound afterwards use the new size.
 */
@Component(service = Scheduler.class, property = Scheduler.PROPERTY + "=mh",
        configurationPid = "org.jlvs.scheduler.mh")
public final class MaglevScheduler implements Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(MaglevScheduler.class);

    /** IPVS's table sizes, CONFIG_IP_VS_MH_TAB_INDEX 8..17. */
    static final int[] PRIMES = {251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071};
    public static final int DEFAULT_TABLE_SIZE = 4093;
    public static final String TABLE_SIZE_PROPERTY = "table.size";

    private volatile int tableSize = DEFAULT_TABLE_SIZE;

    public MaglevScheduler() {}

    /** With another table size, which must be one of {@link #PRIMES}. */
    MaglevScheduler(int tableSize) {
        if (tabIndex(tableSize) < 0) throw new IllegalArgumentException(message(tableSize));
        this.tableSize = tableSize;
    }

    @Activate
    void activate(Map<String, ?> config) {
        Object value = config.get(TABLE_SIZE_PROPERTY);
        if (value == null) return;
        try {
            int size = Integer.parseInt(value.toString().trim());
            if (tabIndex(size) >= 0) {
                tableSize = size;
                return;
            }
            LOG.warn("{}; using {}", message(size), DEFAULT_TABLE_SIZE);
        } catch (NumberFormatException e) {
            LOG.warn("bad mh {} '{}'; using {}", TABLE_SIZE_PROPERTY, value, DEFAULT_TABLE_SIZE);
        }
    }

    @Override
    public Binding bind(VirtualService service) {
        return new MaglevBinding(service, tableSize);
    }

    int tableSize() {
        return tableSize;
    }

    /** Index of {@code size} in {@link #PRIMES}, or -1. */
    static int tabIndex(int size) {
        int i = Arrays.binarySearch(PRIMES, size);
        return i >= 0 ? i : -1;
    }

    private static String message(int size) {
        return "mh table size " + size + " is not one of " + Arrays.toString(PRIMES);
    }
}
