package org.jlvs.healthcheck.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** notify_up/notify_down through the shared script runner: bounded, and a refused configuration keeps the running one. */
class NotifyScriptsTest {
    @TempDir
    Path dir;

    @Test
    void scriptsBeyondMaxNotifyScriptsAreCountedNotQueued() throws Exception {
        try (NotifyScripts scripts = new NotifyScripts(Map.of("max_notify_scripts", "1", "notify_timeout", "600"))) {
            scripts.run("/bin/sleep 600", Map.of());
            scripts.run("/bin/sleep 600", Map.of());
            assertEquals(1, scripts.runner().started());
            assertEquals(1, scripts.runner().refusedBusy());
        }
    }

    @Test
    void theEnvironmentReachesTheScriptAndABadConfigurationIsRefused() throws Exception {
        Path out = dir.resolve("state");
        try (NotifyScripts scripts = new NotifyScripts(Map.of())) {
            assertThrows(IllegalArgumentException.class, () -> scripts.reconfigure(Map.of("max_notify_scripts", "0")));
            assertEquals(8, scripts.runner().policy().maxNotifyScripts(), "the running settings stay");
            scripts.run("/bin/sh -c 'printf %s \"$JLVS_STATE\" > " + out + ".tmp && mv " + out + ".tmp " + out + "'",
                    Map.of("JLVS_STATE", "DOWN"));
            for (int i = 0; i < 2400 && !Files.exists(out); i++) Thread.sleep(50);
            assertEquals("DOWN", Files.readString(out));
        }
    }
}
