package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.annotation.Annotation;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A bad value of PID org.jlvs.core is refused with its key and value; the director starts all the same. */
class CoreSettingsTest {
    private final PrintStream stderr = System.err;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();

    @AfterEach
    void restore() {
        System.setErr(stderr);
        System.clearProperty(ConnTable.MAX_ENTRIES_PROPERTY);
    }

    /** What slf4j-simple logs (to System.err) while {@code r} runs. */
    private String logOf(Runnable r) {
        log.reset();
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            r.run();
        } finally {
            System.setErr(stderr);
        }
        return log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBadValueAtTheStartGivesTheDefaultAndNamesKeyAndValue() {
        System.setProperty(ConnTable.MAX_ENTRIES_PROPERTY, "70000");
        CoreSettings[] s = new CoreSettings[1];
        String logged = logOf(() -> s[0] = CoreSettings.of("eth0 eth1", "abc", null));
        assertEquals(new CoreSettings("*", 70_000), s[0]);
        assertTrue(logged.contains("bad max_connections 'abc': must be 1.." + ConnTable.MAX_ENTRIES
                + " or auto; keeping max_connections = 70000"), logged);
        assertTrue(logged.contains("bad interfaces 'eth0 eth1'"), logged);
    }

    @Test
    void aBadValueLaterKeepsTheOneInUse() {
        CoreSettings running = new CoreSettings("eth1", 20_000);
        CoreSettings[] s = new CoreSettings[1];
        String logged = logOf(() -> s[0] = CoreSettings.of("eth1,,eth2", "-5", running));
        assertEquals(running, s[0]);
        assertTrue(logged.contains("bad max_connections '-5'"), logged);
        assertTrue(logged.contains("keeping interfaces = eth1"), logged);
        assertEquals(new CoreSettings("eth2,eth3", 1000), CoreSettings.of(" eth2 , eth3", "1000", running));
    }

    @Test
    void interfaceListsAreChecked() {
        assertEquals("*", CoreSettings.interfaces(" * "));
        assertEquals("none", CoreSettings.interfaces(""));
        assertEquals("none", CoreSettings.interfaces("none"));
        assertEquals("eth1,veth-a.10", CoreSettings.interfaces("eth1, veth-a.10,eth1"));
        for (String bad : List.of("eth0;eth1 x", "eth1,", "*,eth1", "eth1,none", "eth0:1", "a/b", "..",
                "averyveryverylongname")) {
            String message = assertThrows(IllegalArgumentException.class, () -> CoreSettings.interfaces(bad))
                    .getMessage();
            assertTrue(message.startsWith("bad interfaces '" + bad + "': "), message);
        }
        assertNull(new CoreSettings("*", 1).names());
        assertEquals(List.of(), new CoreSettings("none", 1).names());
        assertEquals(List.of("eth1", "eth2"), new CoreSettings("eth1,eth2", 1).names());
    }

    @Test
    void aChangeWaitsForTheNextStartAndABadOneIsRefused() {
        Director director = new Director(new CoreSettings("none", 20_000));
        String logged = logOf(() -> director.modified(config("none", "abc")));
        assertTrue(logged.contains("bad max_connections 'abc'"), logged);
        assertTrue(!logged.contains("next start"), "a refused value changes nothing: " + logged);

        logged = logOf(() -> director.modified(config("eth1", "30000")));
        assertTrue(logged.contains("max_connections = 30000 is applied at the next start"), logged);
        assertTrue(logged.contains("interfaces = eth1 is applied at the next start"), logged);
        assertEquals(20_000, director.maxConnections(), "the running table keeps its size");
        assertEquals(new CoreSettings("none", 20_000), director.settings());
        director.close();
    }

    private static Director.Config config(String interfaces, String maxConnections) {
        return new Director.Config() {
            @Override public Class<? extends Annotation> annotationType() { return Director.Config.class; }
            @Override public String interfaces() { return interfaces; }
            @Override public String max__connections() { return maxConnections; }
        };
    }
}
