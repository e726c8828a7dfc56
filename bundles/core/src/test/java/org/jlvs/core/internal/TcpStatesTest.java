package org.jlvs.core.internal;

import static org.jlvs.core.internal.TcpStates.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The transitions of IPVS's TCP state table, row by row, and the state names and activity. */
class TcpStatesTest {
    private static final int F = 1, S = 2, R = 4, A = 16;

    @Test
    void everyTransitionOfTheInputTable() {
        //                  NO  ES  SS  SR  FW  TW  CL  CW  LA  LI  SA
        int[] syn = {3, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3};
        int[] fin = {6, 7, 2, 5, 5, 5, 6, 7, 8, 9, 5};
        int[] ack = {6, 1, 2, 1, 4, 5, 6, 7, 6, 9, 1};
        int[] rst = {6, 6, 6, 3, 6, 6, 6, 6, 8, 9, 3};
        assertRow(DIR_INPUT, S, syn);
        assertRow(DIR_INPUT, F | A, fin);
        assertRow(DIR_INPUT, A, ack);
        assertRow(DIR_INPUT, R | A, rst);
    }

    @Test
    void everyTransitionOfTheOutputTable() {
        int[] syn = {2, 1, 2, 3, 2, 2, 2, 2, 2, 9, 3};
        int[] fin = {5, 4, 2, 5, 4, 5, 6, 5, 8, 9, 5};
        int[] ack = {1, 1, 2, 1, 4, 5, 6, 7, 8, 1, 1};
        int[] rst = {6, 6, 2, 6, 6, 5, 6, 6, 6, 6, 6};
        assertRow(DIR_OUTPUT, S | A, syn);
        assertRow(DIR_OUTPUT, F | A, fin);
        assertRow(DIR_OUTPUT, A, ack);
        assertRow(DIR_OUTPUT, R, rst);
    }

    @Test
    void everyTransitionOfTheInputOnlyTable() {
        int[] syn = {3, 1, 1, 3, 3, 3, 3, 3, 3, 3, 3};
        int[] fin = {6, 4, 2, 5, 4, 5, 6, 7, 8, 9, 5};
        int[] ack = {6, 1, 2, 1, 4, 5, 6, 7, 6, 9, 1};
        int[] rst = {6, 6, 6, 3, 6, 6, 6, 6, 8, 9, 6};
        assertRow(DIR_INPUT_ONLY, S, syn);
        assertRow(DIR_INPUT_ONLY, F, fin);
        assertRow(DIR_INPUT_ONLY, A, ack);
        assertRow(DIR_INPUT_ONLY, R, rst);
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
            boolean active = s == ESTABLISHED || s == SYN_SENT || s == SYN_RECV || s == SYNACK;
            assertEquals(active, isActive(s), name(s));
        }
        assertEquals("ESTABLISHED", name(ESTABLISHED));
        assertEquals("TIME_WAIT", name(TIME_WAIT));
        assertTrue(isActive(SYN_RECV));
        assertFalse(isActive(FIN_WAIT));
    }

    @Test
    void defaultTimeoutsAreIpvss() {
        int[] expected = {2, 900, 120, 60, 120, 120, 10, 60, 30, 120, 120};
        for (int s = 0; s < COUNT; s++) assertEquals(expected[s], DEFAULT_TIMEOUTS[s], name(s));
        assertEquals(300, UDP_TIMEOUT);
        assertEquals(3, NEW_CONN_TIMEOUT);
    }

    private static void assertRow(int dir, int flags, int[] expected) {
        for (int s = 0; s < COUNT; s++) {
            assertEquals(expected[s], next(s, dir, flags), "dir " + dir + " flags " + flags + " from " + name(s));
        }
    }
}
