package org.jlvs.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.jlvs.api.fake.FakeConfig;
import org.junit.jupiter.api.Test;

/** The failed-login throttle on a clock the test moves, and the settings it is built from. */
class LoginThrottleTest {
    private final AtomicLong now = new AtomicLong(5_000L);
    private final LoginThrottle throttle = new LoginThrottle(now::get, 3, 100, 2);

    @Test
    void locksOutAtTheThirdFailureUntilTheLockoutHasPassedSinceTheLast() {
        throttle.failed("a");
        throttle.failed("a");
        assertEquals(0, throttle.refusedForNanos("a"));
        now.addAndGet(40);
        throttle.failed("a");
        assertEquals(100, throttle.refusedForNanos("a"));
        now.addAndGet(99);
        assertEquals(1, throttle.refusedForNanos("a"));
        now.addAndGet(1);
        assertEquals(0, throttle.refusedForNanos("a"));
        throttle.failed("a");
        assertEquals(0, throttle.refusedForNanos("a"), "the count started again");
    }

    @Test
    void failuresFurtherApartThanTheLockoutDoNotAddUp() {
        for (int i = 0; i < 10; i++) {
            throttle.failed("a");
            now.addAndGet(100);
        }
        assertEquals(0, throttle.refusedForNanos("a"));
    }

    @Test
    void aGoodLoginForgetsTheFailures() {
        throttle.failed("a");
        throttle.failed("a");
        throttle.succeeded("a");
        throttle.failed("a");
        throttle.failed("a");
        assertEquals(0, throttle.refusedForNanos("a"));
    }

    @Test
    void remembersAtMostItsCapacity() {
        for (int i = 0; i < 3; i++) throttle.failed("a");
        for (int i = 0; i < 3; i++) throttle.failed("b");
        assertTrue(throttle.refusedForNanos("a") > 0);
        for (int i = 0; i < 3; i++) throttle.failed("c");  // the least recently seen, b, is forgotten
        assertTrue(throttle.refusedForNanos("a") > 0);
        assertTrue(throttle.refusedForNanos("c") > 0);
        assertEquals(0, throttle.refusedForNanos("b"));
    }

    /** PID org.jlvs.metrics as SCR gives it to the servlet. */
    private static MetricsServlet.Config config(Map<String, ?> props) {
        return FakeConfig.of(MetricsServlet.Config.class, props);
    }

    @Test
    void settingsHaveDefaultsAndRefuseBadValuesByName() {
        assertEquals(AccessSettings.DEFAULTS, AccessSettings.of(config(Map.of())));
        assertEquals(Set.of("admin", "jlvs-metrics"), AccessSettings.DEFAULTS.roles());
        AccessSettings s = AccessSettings.of(config(Map.of("realm", "ops", "roles", "prometheus, ops ,", "login_failures", "10",
                "login_lockout_seconds", "600")));
        assertEquals(new AccessSettings("ops", Set.of("prometheus", "ops"), 10, 600), s);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AccessSettings.of(config(Map.of("login_failures", "five"))));
        assertEquals("org.jlvs.metrics: login_failures = 'five' is not a whole number above 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AccessSettings.of(config(Map.of("login_lockout_seconds", "0"))));
        assertTrue(e.getMessage().contains("login_lockout_seconds = '0'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> AccessSettings.of(config(Map.of("roles", " , "))));
        assertTrue(e.getMessage().contains("roles"), e.getMessage());
    }

    @Test
    void rolesComeAsOneCommaSeparatedValueOrAsAnArray() {
        assertEquals(Set.of("prometheus", "ops"), AccessSettings.of(config(Map.of("roles", new String[] {"prometheus", " ops"}))).roles());
        assertEquals(AccessSettings.DEFAULTS, AccessSettings.of(config(Map.of("realm", " ", "login_failures", ""))),
                "blank values keep their defaults");
    }

    @Test
    void aBadValueKeepsTheSettingsInUse() throws Exception {
        MetricsServlet servlet = new MetricsServlet();
        servlet.activate(config(Map.of("login_failures", "many")));
        assertEquals(AccessSettings.DEFAULTS, servlet.settings(), "a bad value at the start: the defaults");
        servlet.modified(config(Map.of("login_failures", "3", "roles", "prometheus")));
        AccessSettings good = new AccessSettings("karaf", Set.of("prometheus"), 3, 60);
        assertEquals(good, servlet.settings());
        servlet.modified(config(Map.of("login_failures", "3", "login_lockout_seconds", "-1")));
        assertEquals(good, servlet.settings(), "a bad change keeps the settings in use");
    }
}
