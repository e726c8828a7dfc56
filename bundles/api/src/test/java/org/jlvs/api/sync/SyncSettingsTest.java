package org.jlvs.api.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SyncSettingsTest {
    @Test
    void defaultsAreIpvsadms() {
        SyncSettings s = SyncSettings.of("eth0", 0);
        assertEquals("mcast=eth0, syncid=0, maxlen=1472, group=224.0.0.81, port=8848, ttl=1", s.describe());
    }

    @Test
    void badValuesAreRefusedNamingTheSetting() {
        assertMessage("syncid", () -> new SyncSettings("eth0", 256, "224.0.0.81", 8848, 1, 1472));
        assertMessage("mcast-group", () -> new SyncSettings("eth0", 1, "10.0.0.1", 8848, 1, 1472));
        assertMessage("mcast-group", () -> new SyncSettings("eth0", 1, "224.0.0.300", 8848, 1, 1472));
        assertMessage("mcast-port", () -> new SyncSettings("eth0", 1, "224.0.0.81", 0, 1, 1472));
        assertMessage("mcast-ttl", () -> new SyncSettings("eth0", 1, "224.0.0.81", 8848, 0, 1472));
        assertMessage("sync-maxlen", () -> new SyncSettings("eth0", 1, "224.0.0.81", 8848, 1, 70000));
        assertMessage("mcast-interface", () -> new SyncSettings("eth0; rm", 1, "224.0.0.81", 8848, 1, 1472));
        assertMessage("mcast-interface", () -> new SyncSettings("", 1, "224.0.0.81", 8848, 1, 1472));
    }

    private static void assertMessage(String name, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(name + ":"), e.getMessage());
    }
}
