package org.jlvs.scheduler.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.spi.RealServer;
import org.junit.jupiter.api.Test;

/** IPv6 servers whose folds (their int addresses) are equal are still told apart by their whole address. */
class ServerKey6Test {
    private static final Ip6Address X = new Ip6Address(0x2001_0db8_0000_0000L, 0x0000_0001_0000_0001L);
    private static final Ip6Address Y = new Ip6Address(0x2001_0db8_0000_0000L, 0x0000_0002_0000_0002L);

    @Test
    void twoIpv6ServersWithTheSameFoldAreDifferentServers() {
        assertEquals(X.fold(), Y.fold(), "2001:db8::1:0:1 and 2001:db8::2:0:2 fold alike");
        RealServer x = new Server6(X, 80), y = new Server6(Y, 80);
        assertEquals(ServerKey.of(x), ServerKey.of(y), "the packed long cannot tell them apart");
        assertNotEquals(ServerKey.identity(x), ServerKey.identity(y));
        assertEquals(ServerKey.identity(x), ServerKey.identity(new Server6(X, 80)), "an edited server is the same");
        assertNotEquals(ServerKey.identity(x), ServerKey.identity(new Server6(X, 81)));

        List<RealServer> before = List.of(x, y);
        assertEquals(1, ServerKey.indexOf(List.of(new Server6(X, 80), new Server6(Y, 80)), y));
        assertEquals(-1, ServerKey.indexOf(List.of(new Server6(X, 80)), y));
        assertEquals(0, ServerKey.remapCursor(before, 1, List.of(new Server6(X, 80))), "y deleted -> x");
    }

    private record Server6(Ip6Address address6, int port) implements RealServer {
        @Override public int address() { return address6.fold(); }
        @Override public ForwardMethod forwardMethod() { return ForwardMethod.MASQ; }
        @Override public int weight() { return 1; }
        @Override public int lastWeight() { return 1; }
        @Override public int activeConns() { return 0; }
        @Override public int inactiveConns() { return 0; }
        @Override public int persistentConns() { return 0; }
        @Override public boolean overloaded() { return false; }
    }
}
