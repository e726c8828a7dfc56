package org.jlvs.check.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jlvs.check.support.ScriptPolicy.Identity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The script runner with real processes. CI runs the build as root, as the appliance runs: there the JVM holds
 * every capability and the scripts must hold none. Waits are bounded generously and assert outcomes only.
 */
class ScriptRunnerTest {
    static final boolean ROOT = ScriptRunner.ProcStatus.read("Uid") == 0;
    static final String NONE = "0000000000000000";
    static final long LONG = TimeUnit.MINUTES.toMillis(10);

    @TempDir
    Path dir;
    final ScriptRunner runner = new ScriptRunner(ScriptPolicy.DEFAULT, policy -> 4, "test-scripts");

    @AfterEach
    void close() {
        runner.close();
    }

    static int exit(CompletableFuture<Integer> f) throws Exception {
        return f.get(2, TimeUnit.MINUTES);
    }

    static Throwable failure(CompletableFuture<Integer> f) {
        return assertThrows(ExecutionException.class, () -> f.get(2, TimeUnit.MINUTES)).getCause();
    }

    /** "Name:\tvalue" lines of a copy of /proc/PID/status. */
    static Map<String, String> status(Path file) throws Exception {
        Map<String, String> m = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            int colon = line.indexOf(':');
            if (colon > 0) m.put(line.substring(0, colon), line.substring(colon + 1).trim());
        }
        return m;
    }

    List<String> recordStatus(Path out) {
        return List.of("/bin/sh", "-c", "grep -E '^(Uid|Gid|Cap|NoNewPrivs)' /proc/self/status > " + out);
    }

    @Test
    void aScriptHoldsNoCapabilities() throws Exception {
        Path out = dir.resolve("status");
        assertEquals(0, exit(runner.run(recordStatus(out), Map.of(), LONG)));
        Map<String, String> s = status(out);
        assertEquals(NONE, s.get("CapEff"), s.toString());
        assertEquals(NONE, s.get("CapPrm"), s.toString());
        assertEquals(NONE, s.get("CapInh"), s.toString());
        assertEquals(NONE, s.get("CapAmb"), s.toString());
        assertEquals("1", s.get("NoNewPrivs"), "no set-uid program or file capability gives any back");
        if (ROOT) {
            assertNotEquals(0, ScriptRunner.ProcStatus.read("CapEff"), "the JVM itself holds capabilities");
            assertEquals(NONE, s.get("CapBnd"), "as root the bounding set is emptied as well");
        }
    }

    @Test
    void asRootAScriptRunsAsScriptUser() throws Exception {
        Identity nobody = ScriptPolicy.identity("nobody", "script_user");
        Path out = dir.resolve("status");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx")); // nobody writes out
        CompletableFuture<Integer> f = runner.run(recordStatus(out), Map.of(), LONG, nobody);
        if (ROOT) {
            assertEquals(0, exit(f));
            Map<String, String> s = status(out);
            assertTrue(s.get("Uid").startsWith(nobody.uid() + "\t"), s.toString());
            assertTrue(s.get("Gid").startsWith(nobody.gid() + "\t"), s.toString());
            assertEquals(NONE, s.get("CapEff"));
        } else {
            assertTrue(failure(f).getMessage().contains("the appliance does not run as root"));
        }
    }

    @Test
    void theEnvironmentReachesTheScript() throws Exception {
        Path out = dir.resolve("env");
        assertEquals(0, exit(runner.run(List.of("/bin/sh", "-c", "printf %s \"$JLVS_STATE\" > " + out),
                Map.of("JLVS_STATE", "UP"), LONG)));
        assertEquals("UP", Files.readString(out));
        assertEquals(3, exit(runner.run(List.of("/bin/sh", "-c", "exit 3"), Map.of(), LONG)));
    }

    @Test
    void aScriptStillRunningAtItsTimeoutIsKilled() throws Exception {
        Throwable e = failure(runner.run(List.of("/bin/sh", "-c", "exec sleep 600"), Map.of(), 200));
        assertInstanceOf(TimeoutException.class, e);
        assertEquals(1, runner.timedOut());
        // sleep 600 ends before the bound only by being killed
        for (int i = 0; i < 1200 && runner.running() > 0; i++) Thread.sleep(50);
        assertEquals(0, runner.running());
    }

    @Test
    void scriptsBeyondTheBoundAreRefusedAndCounted() throws Exception {
        try (ScriptRunner two = new ScriptRunner(ScriptPolicy.DEFAULT, policy -> 2, "test-two")) {
            List<String> sleep = List.of("/bin/sleep", "600");
            CompletableFuture<Integer> a = two.run(sleep, Map.of(), LONG);
            CompletableFuture<Integer> b = two.run(sleep, Map.of(), LONG);
            Throwable refused = failure(two.run(sleep, Map.of(), LONG));
            assertInstanceOf(ScriptRunner.RefusedException.class, refused);
            assertEquals("2 scripts are still running", refused.getMessage());
            assertEquals(1, two.refusedBusy());
            assertEquals(2, two.started());
            two.close();
            assertNotEquals(0, exit(a), "killed at close");
            assertNotEquals(0, exit(b), "killed at close");
        }
    }

    @Test
    void cancellingKillsTheScript() throws Exception {
        CompletableFuture<Integer> f = runner.run(List.of("/bin/sleep", "600"), Map.of(), LONG);
        f.cancel(true);
        for (int i = 0; i < 1200 && runner.running() > 0; i++) Thread.sleep(50);
        assertEquals(0, runner.running());
    }

    @Test
    void scriptSecurityRefusesARootScriptThatOthersMayChange() throws Exception {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path script = open.resolve("check.sh");
        Files.writeString(script, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        try (ScriptRunner secure = new ScriptRunner(new ScriptPolicy(null, true, 30_000, 8), policy -> 4, "test-secure")) {
            CompletableFuture<Integer> f = secure.run(List.of(script.toString()), Map.of(), LONG);
            if (ROOT) {
                Throwable e = failure(f);
                assertTrue(e.getMessage().contains(open + " is writable by others than root"), e.getMessage());
                assertEquals(0, exit(secure.run(List.of("/bin/true"), Map.of(), LONG)), "/bin/true is root's");
            } else {
                assertEquals(0, exit(f), "a script that does not run as root needs no protection");
            }
        }
        assertNull(ScriptRunner.unsafePath(Path.of("/bin/sh")));
        assertNull(ScriptRunner.unsafePath(ScriptRunner.resolve("sh")), "found in PATH");
        assertTrue(ScriptRunner.unsafePath(open.resolve("none")).startsWith("cannot check"));
        if (ROOT) {
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
            assertNull(ScriptRunner.unsafePath(script), "/tmp is sticky");
            Files.setAttribute(script, "unix:uid", 65534);
            assertEquals("unsafe permissions: " + script + " does not belong to root", ScriptRunner.unsafePath(script));
        }
    }

    @Test
    void setprivsOptions() throws Exception {
        long all = -1L >>> (64 - 41);
        ScriptRunner asRoot = new ScriptRunner(ScriptPolicy.DEFAULT, null, policy -> 4, "t1", "/usr/bin/setpriv", all, 0);
        ScriptRunner asService = new ScriptRunner(ScriptPolicy.DEFAULT, null, policy -> 4, "t2", "/usr/bin/setpriv",
                (1L << 12) | (1L << 13), 64123);
        ScriptRunner rootWithoutSetpcap = new ScriptRunner(ScriptPolicy.DEFAULT, null, policy -> 4, "t3", "/usr/bin/setpriv",
                (1L << 12) | (1L << 13), 0);
        ScriptRunner noSetpriv = new ScriptRunner(ScriptPolicy.DEFAULT, null, policy -> 4, "t4", null, all, 0);
        try (asRoot; asService; rootWithoutSetpcap; noSetpriv) {
            assertEquals(List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--init-groups", "--inh-caps=-all",
                    "--ambient-caps=-all", "--bounding-set=-all", "--no-new-privs", "--", "/bin/true", "a"),
                    asRoot.commandLine(List.of("/bin/true", "a"), new Identity("nobody", 65534, 65534)));
            assertEquals(List.of("/usr/bin/setpriv", "--inh-caps=-all", "--ambient-caps=-all", "--no-new-privs", "--", "/bin/true"),
                    asService.commandLine(List.of("/bin/true"), null), "without CAP_SETPCAP the bounding set stays; nothing can use it");
            assertEquals(List.of("/usr/bin/setpriv", "--inh-caps=-all", "--ambient-caps=-all", "--no-new-privs", "--", "/bin/true"),
                    asService.commandLine(List.of("/bin/true"), new Identity("jlvs", 64123, 64123)), "its own user: no switch");
            assertTrue(assertThrows(ScriptRunner.RefusedException.class,
                    () -> asService.commandLine(List.of("/bin/true"), new Identity("nobody", 65534, 65534))).getMessage()
                    .contains("does not run as root"));
            assertTrue(assertThrows(ScriptRunner.RefusedException.class,
                    () -> rootWithoutSetpcap.commandLine(List.of("/bin/true"), null)).getMessage().contains("without CAP_SETPCAP"));
            assertTrue(assertThrows(ScriptRunner.RefusedException.class,
                    () -> noSetpriv.commandLine(List.of("/bin/true"), null)).getMessage().startsWith("setpriv (util-linux) is missing"));
        }
    }

    @Test
    void aConfigurationIsReadOrRefusedWithKeyAndReason() throws Exception {
        ScriptPolicy p = ScriptPolicy.from(Map.of("script_user", "nobody nogroup", "enable_script_security", "true",
                "notify_timeout", "5", "max_notify_scripts", "3", "service.pid", ScriptPolicy.PID));
        assertEquals(ScriptPolicy.identity("nobody", "x").uid(), p.user().uid());
        assertEquals(65534, p.user().gid());
        assertTrue(p.scriptSecurity());
        assertEquals(5000, p.notifyTimeoutMillis());
        assertEquals(3, p.maxNotifyScripts());
        assertEquals(ScriptPolicy.DEFAULT, ScriptPolicy.from(Map.of()));

        assertRefused("enable_script_security: true or false, not 'yes'", Map.of("enable_script_security", "yes"));
        assertRefused("notify_timeout: 1..3600, not 0", Map.of("notify_timeout", "0"));
        assertRefused("max_notify_scripts: a whole number, not 'x'", Map.of("max_notify_scripts", "x"));
        assertRefused("script_user: no such user 'no-such-user-jlvs'", Map.of("script_user", "no-such-user-jlvs"));
        assertRefused("script_user: no such group 'no-such-group-jlvs'", Map.of("script_user", "nobody no-such-group-jlvs"));
        assertRefused("script_user: not a user name: '$(reboot)'", Map.of("script_user", "$(reboot)"));

        // refused at start: nothing runs, and says why
        try (ScriptRunner refused = ScriptRunner.of(Map.of("script_user", "no-such-user-jlvs"), policy -> 4, "test-refused")) {
            assertEquals("org.jlvs.scripts is refused: script_user: no such user 'no-such-user-jlvs'",
                    failure(refused.run(List.of("/bin/true"), Map.of(), LONG)).getMessage());
        }
        // refused later: the running settings stay
        assertThrows(IllegalArgumentException.class, () -> runner.withConfiguration(Map.of("notify_timeout", "-1")));
        assertEquals(0, exit(runner.run(List.of("/bin/true"), Map.of(), LONG)));
        try (ScriptRunner next = runner.withConfiguration(Map.of("max_notify_scripts", "2"))) {
            assertEquals(0, exit(next.run(List.of("/bin/true"), Map.of(), LONG)));
        }
    }

    static void assertRefused(String message, Map<String, String> properties) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> ScriptPolicy.from(properties)).getMessage());
    }

    @Test
    void aMissingProgramFails() throws Exception {
        assertEquals("cannot start /nonexistent/script: not an executable file",
                failure(runner.run(List.of("/nonexistent/script"), Map.of(), LONG)).getMessage());
        assertEquals("cannot start no-such-program-jlvs: not found in PATH",
                failure(runner.run(List.of("no-such-program-jlvs"), Map.of(), LONG)).getMessage());
        assertEquals("empty command", failure(runner.run(List.of(), Map.of(), LONG)).getMessage());
    }
}
