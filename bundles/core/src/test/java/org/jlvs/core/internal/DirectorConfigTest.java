package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** max_connections of PID org.jlvs.core sets the table's cap; the system property is the fallback. */
class DirectorConfigTest {
    @AfterEach
    void clearProperty() {
        System.clearProperty(ConnTable.MAX_ENTRIES_PROPERTY);
    }

    @Test
    void configuredCapIsUsedAsStringOrNumber() {
        System.setProperty(ConnTable.MAX_ENTRIES_PROPERTY, "70000");
        assertEquals(20_000, new Director(Map.of("max_connections", "20000")).maxConnections());
        assertEquals(30_000, new Director(Map.of("max_connections", 30_000L)).maxConnections());
    }

    @Test
    void systemPropertyIsTheFallback() {
        System.setProperty(ConnTable.MAX_ENTRIES_PROPERTY, "70000");
        assertEquals(70_000, new Director(Map.of()).maxConnections());
        assertEquals(70_000, new Director(Map.of("max_connections", " ")).maxConnections());
    }

    @Test
    void badCapIsRefusedWithItsName() {
        assertEquals("bad max_connections 'lots': must be 1.." + ConnTable.MAX_ENTRIES,
                assertThrows(IllegalArgumentException.class,
                        () -> new Director(Map.of("max_connections", "lots"))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Director(Map.of("max_connections", "0")));
        assertThrows(IllegalArgumentException.class,
                () -> new Director(Map.of("max_connections", String.valueOf(1L << 26))));
    }
}
