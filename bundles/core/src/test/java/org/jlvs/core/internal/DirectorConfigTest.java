package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** max_connections of PID org.jlvs.core sets the table's cap; the system property is the fallback. */
class DirectorConfigTest {
    @AfterEach
    void clearProperty() {
        System.clearProperty(ConnTable.MAX_ENTRIES_PROPERTY);
    }

    /** A director started with this max_connections (and no interface). */
    private static Director director(String maxConnections) {
        return new Director(CoreSettings.of("none", maxConnections, null));
    }

    @Test
    void configuredCapIsUsedAsStringOrNumber() {
        System.setProperty(ConnTable.MAX_ENTRIES_PROPERTY, "70000");
        assertEquals(20_000, director("20000").maxConnections());
        // Declarative Services hands a number from Config Admin over as its text
        assertEquals(30_000, director(String.valueOf(30_000L)).maxConnections());
    }

    @Test
    void systemPropertyIsTheFallback() {
        System.setProperty(ConnTable.MAX_ENTRIES_PROPERTY, "70000");
        assertEquals(70_000, director("auto").maxConnections());
        assertEquals(70_000, director(" ").maxConnections());
    }

    @Test
    void badCapIsRefusedWithItsName() {
        assertEquals("bad max_connections 'lots': must be 1.." + ConnTable.MAX_ENTRIES,
                assertThrows(IllegalArgumentException.class,
                        () -> CoreSettings.maxConnections("lots")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> CoreSettings.maxConnections("0"));
        assertThrows(IllegalArgumentException.class,
                () -> CoreSettings.maxConnections(String.valueOf(1L << 26)));
    }
}
