package org.jlvs.check.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.junit.jupiter.api.Test;

class CommandLineTest {
    @Test
    void splitsLikeKeepalivedWithoutAShell() {
        assertEquals(List.of("/bin/check", "a b", "c", "d'e"), CommandLine.split("/bin/check 'a b'  c \"d'e\"", "command"));
        assertEquals(List.of("x y"), CommandLine.split("x\\ y", "command"));
        assertEquals("unbalanced quote in misc_path: 'open",
                assertThrows(IllegalArgumentException.class, () -> CommandLine.split("'open", "misc_path")).getMessage());
        assertEquals("empty command", assertThrows(IllegalArgumentException.class, () -> CommandLine.split("   ", "command")).getMessage());
    }
}
