package org.jlvs.ha.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: exit status, the kill at the timeout, arguments, and no capabilities. */
class ScriptRunnerTest {
    private static int run(ScriptRunner runner, String command, List<String> args, long timeoutMillis) throws Exception {
        CompletableFuture<Integer> status = new CompletableFuture<>();
        runner.run(command, args, TimeUnit.MILLISECONDS.toNanos(timeoutMillis), status::complete);
        return status.get(60, TimeUnit.SECONDS); // generous: the machine is shared
    }

    @Test
    void exitStatusAndArguments(@TempDir Path dir) throws Exception {
        try (ScriptRunner runner = new ScriptRunner()) {
            assertEquals(0, run(runner, "/bin/true", List.of(), 30_000));
            assertEquals(3, run(runner, "/bin/sh -c 'exit 3'", List.of(), 30_000));
            Path out = dir.resolve("args");
            assertEquals(0, run(runner, "/bin/sh -c 'echo \"$@\" > " + out + "' sh", List.of("INSTANCE", "VI_1", "MASTER", "150"), 30_000));
            assertEquals("INSTANCE VI_1 MASTER 150", Files.readString(out).trim());
            assertNotEquals(0, run(runner, "/nonexistent/script", List.of(), 30_000)); // setpriv: 127
        }
    }

    @Test
    void aScriptThatOutlastsItsTimeoutIsKilledWithItsChildren(@TempDir Path dir) throws Exception {
        Path pid = dir.resolve("pid");
        try (ScriptRunner runner = new ScriptRunner()) {
            // the child sleeps; its pid is written first so that the test can see it is gone
            assertEquals(ScriptRunner.TIMED_OUT,
                    run(runner, "/bin/sh -c 'sleep 300 & echo $! > " + pid + "; wait'", List.of(), 500));
        }
        long child = Long.parseLong(Files.readString(pid).trim());
        for (int i = 0; i < 600 && ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false); i++) Thread.sleep(100);
        assertFalse(ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false), "the sleeping child survived");
    }

    @Test
    void scriptsRunWithoutCapabilities(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("caps");
        try (ScriptRunner runner = new ScriptRunner()) {
            assertEquals(0, run(runner, "/bin/sh -c 'grep ^Cap /proc/self/status > " + out + "'", List.of(), 30_000));
        }
        List<String> caps = Files.readAllLines(out);
        assertEquals(5, caps.size(), caps.toString());
        for (String line : caps) {
            if (!line.startsWith("CapBnd")) assertTrue(line.endsWith("0000000000000000"), line);
        }
        String status = Files.readString(Path.of("/proc/self/status"));
        if (status.contains("Uid:\t0\t")) { // as root the bounding set is emptied too
            assertTrue(caps.stream().anyMatch(l -> l.equals("CapBnd:\t0000000000000000")), caps.toString());
        }
    }

    @Test
    void theCommandGoesThroughSetpriv() {
        List<String> prefix = ScriptRunner.capabilityDrop(Path.of("/usr/bin/setpriv"), true);
        assertEquals(List.of("/usr/bin/setpriv", "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all", "--"), prefix);
        assertEquals(List.of("/usr/bin/setpriv", "--inh-caps=-all", "--ambient-caps=-all", "--"),
                ScriptRunner.capabilityDrop(Path.of("/usr/bin/setpriv"), false));
        assertNull(ScriptRunner.capabilityDrop(Path.of("/nonexistent/setpriv"), true));
        try (ScriptRunner runner = new ScriptRunner(prefix)) {
            assertEquals(List.of("/usr/bin/setpriv", "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-all", "--",
                    "/etc/keepalived/notify.sh", "a b", "INSTANCE"),
                    runner.command("/etc/keepalived/notify.sh 'a b'", List.of("INSTANCE")));
        }
    }

    @Test
    void withoutSetprivNothingRuns() throws Exception {
        try (ScriptRunner runner = new ScriptRunner(null)) {
            assertEquals(ScriptRunner.NOT_STARTED, run(runner, "/bin/true", List.of(), 30_000));
        }
    }
}
