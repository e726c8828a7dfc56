package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SysctlsTest {
    @Test
    void defaultsAreTheKernels() {
        Sysctls s = new Sysctls();
        s.apply(Map.of());
        assertEquals(1, s.connReuseMode);
        assertEquals(0, s.dropEntry);
        assertFalse(s.expireNodestConn);
        assertFalse(s.expireQuiescentTemplate);
    }

    @Test
    void valuesAreAppliedAndMissingOnesReset() {
        Sysctls s = new Sysctls();
        s.apply(Map.of("expire_quiescent_template", "1", "conn_reuse_mode", 0, "expire_nodest_conn", "1"));
        assertTrue(s.expireQuiescentTemplate);
        assertTrue(s.expireNodestConn);
        assertEquals(0, s.connReuseMode);
        s.apply(Map.of("drop_entry", "2"));
        assertEquals(2, s.dropEntry);
        assertFalse(s.expireQuiescentTemplate);
        assertEquals(1, s.connReuseMode);
    }

    @Test
    void aBadValueChangesNothing() {
        Sysctls s = new Sysctls();
        s.apply(Map.of("expire_nodest_conn", "1"));
        assertEquals("bad expire_quiescent_template '2': must be 0..1",
                assertThrows(IllegalArgumentException.class,
                        () -> s.apply(Map.of("expire_nodest_conn", "0", "expire_quiescent_template", "2"))).getMessage());
        assertTrue(s.expireNodestConn);
    }

    @Test
    void theComponentKeepsItsValuesOnABadConfiguration() {
        SysctlComponent c = new SysctlComponent();
        c.apply("0", null, null, null);
        c.apply("x", null, null, null);
        assertEquals(0, c.values.connReuseMode);
    }
}
