package org.jlvs.core.internal;

import static org.jlvs.core.internal.TcpStates.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The transitions of IPVS's TCP state table, row by row, and the state names and activity. */
class TcpStatesTest {
    private static final int F = 1, S = 2, R = 4, A = 16;

    /**
     * Every cell of the kernel's tcp_states[] (the table text kept as a test resource, parsed here) against
     * {@link TcpStates#next}: 3 directions x 4 flags x 11 states.
     */
    @Test
    void everyCellMatchesTheKernelsTable() throws IOException {
        int[][][] kernel = kernelTable();
        int[] flagOf = {S, F, A, R}; // the row order syn, fin, ack, rst
        int[] dirs = {DIR_INPUT, DIR_OUTPUT, DIR_INPUT_ONLY};
        int cells = 0;
        for (int d = 0; d < 3; d++) {
            for (int row = 0; row < 4; row++) {
                for (int s = 0; s < COUNT; s++) {
                    assertEquals(kernel[d][row][s], next(s, dirs[d], flagOf[row]),
                            "dir " + dirs[d] + " row " + row + " from " + name(s));
                    cells++;
                }
            }
        }
        assertEquals(3 * 4 * COUNT, cells);
        assertEquals(ESTABLISHED, next(NONE, DIR_INPUT, A), "NONE + ACK (a synced entry's first packet)");
        assertEquals(ESTABLISHED, next(NONE, DIR_INPUT_ONLY, A));
    }

    /** Parses the kernel's table text: a row "{{sSR, sES, ...}}" per flag, in INPUT, OUTPUT, INPUT-ONLY order. */
    private static int[][][] kernelTable() throws IOException {
        List<String> names = List.of("sNO", "sES", "sSS", "sSR", "sFW", "sTW", "sCL", "sCW", "sLA", "sLI", "sSA");
        Pattern row = Pattern.compile("^/\\*(syn|fin|ack|rst)\\*/\\s*\\{\\{([^}]*)}}");
        int[][][] table = new int[3][4][COUNT];
        int rows = 0;
        try (InputStream in = TcpStatesTest.class.getResourceAsStream("/ip_vs_proto_tcp-tcp_states.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                Matcher m = row.matcher(line.trim());
                if (!m.find()) continue;
                String[] cells = m.group(2).split(",");
                assertEquals(COUNT, cells.length, line);
                for (int s = 0; s < COUNT; s++) {
                    int state = names.indexOf(cells[s].trim());
                    assertTrue(state >= 0, "unknown state in " + line);
                    table[rows / 4][rows % 4][s] = state;
                }
                rows++;
            }
        }
        assertEquals(12, rows, "3 directions x 4 rows");
        return table;
    }

    @Test
    void flagPriorityIsRstThenSynThenFinThenAck() {
        assertEquals(CLOSE, next(ESTABLISHED, DIR_INPUT, R | S | F | A));
        assertEquals(ESTABLISHED, next(ESTABLISHED, DIR_INPUT, S | F | A));
        assertEquals(CLOSE_WAIT, next(ESTABLISHED, DIR_INPUT, F | A));
        assertEquals(CLOSE, next(ESTABLISHED, DIR_INPUT, 0x08)); // no flag of the four: CLOSE, as the kernel does
    }

    @Test
    void activeStatesAndNames() {
        for (int s = 0; s < COUNT; s++) {
            boolean active = s == ESTABLISHED; // set_tcp_state: every other state is inactive
            assertEquals(active, isActive(s), name(s));
        }
        assertEquals("ESTABLISHED", name(ESTABLISHED));
        assertEquals("TIME_WAIT", name(TIME_WAIT));
        assertFalse(isActive(SYN_RECV));
        assertFalse(isActive(FIN_WAIT));
    }

    @Test
    void defaultTimeoutsAreIpvss() {
        int[] expected = {2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120};
        for (int s = 0; s < COUNT; s++) assertEquals(expected[s], DEFAULT_TIMEOUTS[s], name(s));
        assertEquals(300, UDP_TIMEOUT);
        assertEquals(3, NEW_CONN_TIMEOUT);
    }
}
