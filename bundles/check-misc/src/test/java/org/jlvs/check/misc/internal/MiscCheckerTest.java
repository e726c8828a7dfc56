package org.jlvs.check.misc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jlvs.api.CheckConfig;
import org.jlvs.api.CheckResult;
import org.jlvs.api.Ip4;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MISC_CHECK with real scripts written by the test. */
class MiscCheckerTest {
    @TempDir
    Path dir;
    final MiscChecker checker = new MiscChecker();

    @BeforeEach
    void start() {
        checker.activate();
    }

    @AfterEach
    void stop() {
        checker.deactivate();
    }

    Path script(String name, String body) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    CheckResult check(String path, long timeoutMillis, String... kv) throws Exception {
        Map<String, String> o = new HashMap<>();
        o.put("misc_path", path);
        for (int i = 0; i < kv.length; i += 2) o.put(kv[i], kv[i + 1]);
        CheckConfig c = new CheckConfig("misc", Ip4.parse("10.0.1.1"), 80, 0, 0, timeoutMillis, o);
        checker.validate(c);
        return checker.check(c).toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void exitZeroIsUpAndOneIsDown() throws Exception {
        assertTrue(check(script("ok", "exit 0").toString(), 5000).up());
        CheckResult down = check(script("fail", "exit 1").toString(), 5000);
        assertFalse(down.up());
        assertEquals("exit 1", down.message());
    }

    @Test
    void miscDynamicSetsTheWeightToStatusMinusTwo() throws Exception {
        Path seven = script("seven", "exit 7");
        CheckResult dynamic = check(seven.toString(), 5000, "misc_dynamic", "");
        assertTrue(dynamic.up());
        assertEquals(5, dynamic.weight());
        CheckResult plain = check(seven.toString(), 5000);
        assertFalse(plain.up(), "without misc_dynamic any status but 0 fails");
        assertEquals(CheckResult.NO_WEIGHT, plain.weight());
        assertEquals(253, check(script("max", "exit 255").toString(), 5000, "misc_dynamic", "").weight());
        assertEquals(0, check(script("zero", "exit 2").toString(), 5000, "misc_dynamic", "").weight());
        assertEquals(CheckResult.NO_WEIGHT, check(script("up", "exit 0").toString(), 5000, "misc_dynamic", "").weight());
        assertFalse(check(script("one", "exit 1").toString(), 5000, "misc_dynamic", "").up());
    }

    @Test
    void argumentsAndEnvironmentReachTheCommand() throws Exception {
        Path out = dir.resolve("out.txt");
        Path s = script("args", "printf '%s|%s|%s' \"$1\" \"$2\" \"$JLVS_REAL_SERVER\" > " + out + "; exit 0");
        assertTrue(check(s + " 'two words' plain", 5000).up());
        assertEquals("two words|plain|10.0.1.1:80", Files.readString(out));
    }

    @Test
    void aCommandThatRunsTooLongIsKilledAndFails() throws Exception {
        Path pid = dir.resolve("pid");
        Path s = script("slow", "echo $$ > " + pid + "; sleep 30; exit 0");
        long t0 = System.nanoTime();
        CheckResult r = check(s.toString(), 500);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertFalse(r.up());
        assertEquals("timeout after 500 ms", r.message());
        assertTrue(took < 3000, "took " + took);
        long p = Long.parseLong(Files.readString(pid).trim());
        long deadline = System.currentTimeMillis() + 5000;
        while (ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false) && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false), "the script was killed");
    }

    @Test
    void aMissingCommandFailsTheCheckAndIsRefusedUpFront() throws Exception {
        CheckConfig c = new CheckConfig("misc", 1, 0, 0, 0, 1000, Map.of("misc_path", dir.resolve("none") + " x"));
        assertThrows(IllegalArgumentException.class, () -> checker.validate(c));
        CheckResult r = checker.check(c).toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertFalse(r.up());
        assertTrue(r.message().startsWith("cannot run misc_path"), r.message());
        assertThrows(IllegalArgumentException.class,
                () -> checker.validate(new CheckConfig("misc", 1, 0, 0, 0, 1000, Map.of())));
        assertThrows(IllegalArgumentException.class,
                () -> checker.validate(new CheckConfig("misc", 1, 0, 0, 0, 1000, Map.of("misc_path", "/bin/true", "path", "/"))));
        assertThrows(IllegalArgumentException.class,
                () -> checker.validate(new CheckConfig("misc", 1, 0, 0, 0, 1000, Map.of("misc_path", "/bin/true", "user", "nobody"))));
    }
}
