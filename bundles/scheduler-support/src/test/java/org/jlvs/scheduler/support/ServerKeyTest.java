package org.jlvs.scheduler.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.jlvs.api.fake.FakeRealServer;
import org.junit.jupiter.api.Test;

class ServerKeyTest {
    private final FakeRealServer a = FakeRealServer.of("10.0.0.1:80", 1);
    private final FakeRealServer b = FakeRealServer.of("10.0.0.2:80", 1);
    private final FakeRealServer c = FakeRealServer.of("10.0.0.3:80", 1);
    private final FakeRealServer d = FakeRealServer.of("10.0.0.4:80", 1);

    @Test
    void cursorStaysOnItsServerOrFallsBackToThePreviousOne() {
        List<FakeRealServer> before = List.of(a, b, c);
        assertEquals(1, ServerKey.remapCursor(before, 1, List.of(a, b, c, d)));   // added at the end
        assertEquals(0, ServerKey.remapCursor(before, 1, List.of(a, c)));         // b deleted -> a
        assertEquals(-1, ServerKey.remapCursor(before, 0, List.of(b, c)));        // a deleted -> head
        assertEquals(-1, ServerKey.remapCursor(before, -1, List.of(a, b, c)));    // head stays head
        // An edited server is a new object with the same address and port.
        FakeRealServer b2 = FakeRealServer.of("10.0.0.2:80", 5);
        assertEquals(1, ServerKey.remapCursor(before, 1, List.of(a, b2, c)));
        assertEquals(1, ServerKey.remapCursor(before, 2, List.of(a, c)));        // c moved to index 1
    }
}
