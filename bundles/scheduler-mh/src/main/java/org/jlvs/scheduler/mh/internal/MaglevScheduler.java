package org.jlvs.scheduler.mh.internal;

import java.util.Arrays;

import org.jlvs.api.spi.Scheduler;
import org.jlvs.api.spi.VirtualService;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;
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
@Designate(ocd = MaglevScheduler.Config.class)
public final class MaglevScheduler implements Scheduler {
    private static final Logger LOG = LoggerFactory.getLogger(MaglevScheduler.class);

    /** IPVS's table sizes, CONFIG_IP_VS_MH_TAB_INDEX 8..17. */
    static final int[] PRIMES = {251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071};
    public static final int DEFAULT_TABLE_SIZE = 4093;
    public static final String TABLE_SIZE_PROPERTY = "table.size";

    private volatile int tableSize = DEFAULT_TABLE_SIZE;

    // Read as text, so that a bad value is refused here with its name; the metatype offers the primes.
    @ObjectClassDefinition(name = "jlvs mh scheduler", description = "Settings of the Maglev hashing scheduler.")
    public @interface Config {
        @AttributeDefinition(description = "Size of the lookup table, one of IPVS's primes (its"
                + " CONFIG_IP_VS_MH_TAB_INDEX); services bound afterwards use it.",
                options = {@Option(value = "251"), @Option(value = "509"), @Option(value = "1021"),
                        @Option(value = "2039"), @Option(value = "4093"), @Option(value = "8191"),
                        @Option(value = "16381"), @Option(value = "32749"), @Option(value = "65521"),
                        @Option(value = "131071")})
        String table_size() default "4093";
    }

    @Activate
    public MaglevScheduler(Config config) {
        modified(config);
    }

    /** With IPVS's default table size. */
    public MaglevScheduler() {}

    /** With another table size, which must be one of {@link #PRIMES}. */
    MaglevScheduler(int tableSize) {
        if (tabIndex(tableSize) < 0) throw new IllegalArgumentException(message(tableSize));
        this.tableSize = tableSize;
    }

    /** A new size applies to the services bound afterwards; a bad one is refused and the current size kept. */
    @Modified
    void modified(Config config) {
        configure(config.table_size());
    }

    void configure(String value) {
        try {
            int size = Integer.parseInt(value.trim());
            if (tabIndex(size) >= 0) {
                tableSize = size;
                return;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        LOG.warn("org.jlvs.scheduler.mh: bad {} '{}': not one of {}; keeping {}", TABLE_SIZE_PROPERTY, value,
                Arrays.toString(PRIMES), tableSize);
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
