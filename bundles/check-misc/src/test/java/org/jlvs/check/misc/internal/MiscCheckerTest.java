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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MISC_CHECK with real scripts written by the test (CI runs it as root, as the appliance runs). Timeouts that
 * should not expire are minutes long; waits are bounded and assert outcomes only.
 */
class MiscCheckerTest {
    static final long LONG = 120_000;
    @TempDir
    Path dir;
    final MiscChecker checker = new MiscChecker(Map.of());

    @AfterEach
    void stop() {
        checker.close();
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
        return checker.check(c).toCompletableFuture().get(5, TimeUnit.MINUTES);
    }

    @Test
    void exitZeroIsUpAndOneIsDown() throws Exception {
        assertTrue(check(script("ok", "exit 0").toString(), LONG).up());
        CheckResult down = check(script("fail", "exit 1").toString(), LONG);
        assertFalse(down.up());
        assertEquals("exit 1", down.message());
    }

    @Test
    void miscDynamicSetsTheWeightToStatusMinusTwo() throws Exception {
        Path seven = script("seven", "exit 7");
        CheckResult dynamic = check(seven.toString(), LONG, "misc_dynamic", "");
        assertTrue(dynamic.up());
        assertEquals(5, dynamic.weight());
        CheckResult plain = check(seven.toString(), LONG);
        assertFalse(plain.up(), "without misc_dynamic any status but 0 fails");
        assertEquals(CheckResult.NO_WEIGHT, plain.weight());
        assertEquals(253, check(script("max", "exit 255").toString(), LONG, "misc_dynamic", "").weight());
        assertEquals(0, check(script("zero", "exit 2").toString(), LONG, "misc_dynamic", "").weight());
        assertEquals(CheckResult.NO_WEIGHT, check(script("up", "exit 0").toString(), LONG, "misc_dynamic", "").weight());
        assertFalse(check(script("one", "exit 1").toString(), LONG, "misc_dynamic", "").up());
    }

    @Test
    void argumentsAndEnvironmentReachTheCommand() throws Exception {
        Path out = dir.resolve("out.txt");
        Path s = script("args", "printf '%s|%s|%s' \"$1\" \"$2\" \"$JLVS_REAL_SERVER\" > " + out + "; exit 0");
        assertTrue(check(s + " 'two words' plain", LONG).up());
        assertEquals("two words|plain|10.0.1.1:80", Files.readString(out));
    }

    @Test
    void aCommandThatRunsTooLongIsKilledAndFails() throws Exception {
        Path pid = dir.resolve("pid");
        Path s = script("slow", "echo $$ > " + pid + "; exec sleep 600");
        CheckResult r = check(s.toString(), 500);
        assertFalse(r.up());
        assertEquals("timeout after 500 ms", r.message(), "sleep 600 ends before the check's bound only by the timeout");
        if (Files.exists(pid)) { // else it was killed before its first line
            ProcessHandle p = ProcessHandle.of(Long.parseLong(Files.readString(pid).trim())).orElse(null);
            if (p != null) p.onExit().get(2, TimeUnit.MINUTES);
        }
    }

    @Test
    void theScriptHoldsNoCapabilities() throws Exception {
        // keepalived's MISC_CHECK would inherit the appliance's CAP_NET_RAW and CAP_NET_ADMIN (ambient, they survive exec)
        Path out = dir.resolve("status");
        assertTrue(check("/bin/sh -c 'grep ^Cap /proc/self/status > " + out + "'", LONG).up());
        String status = Files.readString(out);
        for (String set : new String[] {"CapInh", "CapPrm", "CapEff", "CapAmb"}) {
            assertTrue(status.contains(set + ":\t0000000000000000\n"), set + " in\n" + status);
        }
        if (root()) assertTrue(status.contains("CapBnd:\t0000000000000000\n"), status);
    }

    @Test
    void theUserOptionRunsTheScriptAsThatUser() throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path out = dir.resolve("uid");
        CheckResult r = check("/bin/sh -c 'id -u > " + out + "'", LONG, "user", "nobody");
        if (root()) {
            assertTrue(r.up(), r.toString());
            assertEquals("65534", Files.readString(out).trim());
        } else {
            assertFalse(r.up());
            assertTrue(r.message().contains("the appliance does not run as root"), r.message());
        }
    }

    static boolean root() throws Exception {
        return Files.readString(Path.of("/proc/self/status")).contains("\nUid:\t0\t");
    }

    @Test
    void aMissingCommandFailsTheCheckAndIsRefusedUpFront() throws Exception {
        CheckConfig c = new CheckConfig("misc", 1, 0, 0, 0, 1000, Map.of("misc_path", dir.resolve("none") + " x"));
        assertThrows(IllegalArgumentException.class, () -> checker.validate(c));
        CheckResult r = checker.check(c).toCompletableFuture().get(5, TimeUnit.MINUTES);
        assertFalse(r.up());
        assertTrue(r.message().startsWith("cannot run misc_path"), r.message());
        assertThrows(IllegalArgumentException.class,
                () -> checker.validate(new CheckConfig("misc", 1, 0, 0, 0, 1000, Map.of())));
        assertThrows(IllegalArgumentException.class,
                () -> checker.validate(new CheckConfig("misc", 1, 0, 0, 0, 1000, Map.of("misc_path", "/bin/true", "path", "/"))));
        checker.validate(new CheckConfig("misc", 1, 0, 0, 0, 1000, Map.of("misc_path", "/bin/true", "user", "nobody")));
        assertEquals("user: no such user 'no-such-user-jlvs'", assertThrows(IllegalArgumentException.class,
                () -> checker.validate(new CheckConfig("misc", 1, 0, 0, 0, 1000,
                        Map.of("misc_path", "/bin/true", "user", "no-such-user-jlvs")))).getMessage());
    }
}
