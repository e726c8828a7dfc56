package org.jlvs.scheduler.lblc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.Protocol;
import org.jlvs.api.fake.FakeVirtualService;
import org.jlvs.api.spi.Flow;
import org.jlvs.api.spi.RealServer;
import org.jlvs.scheduler.support.LocalityTable;
import org.junit.jupiter.api.Test;

/**
 * lblc with IPv6: the cache is keyed by the destination's fold (IPVS's ip_vs_lblc_hashkey hashes the fold too,
 * but then compares whole addresses: two IPv6 destinations with the same fold share an entry here, a known
 * collision), and servers with the same fold are told apart by their whole address when the list changes.
 */
class LocalityLeastConnection6Test {
    private static final Ip6Address X = new Ip6Address(0x2001_0db8_0099_0002L, 0x0000_0001_0000_0001L);
    private static final Ip6Address Y = new Ip6Address(0x2001_0db8_0099_0002L, 0x0000_0002_0000_0002L);
    private static final Ip6Address VIP1 = Ip6Address.parse("2001:db8:99:1::100");
    private static final Ip6Address VIP2 = Ip6Address.parse("2001:db8:99:1::101");

    private long now = 1_000_000L;
    private final Server6 x = new Server6(X, 0), y = new Server6(Y, 1);
    private final FakeVirtualService svc = FakeVirtualService.of("lblc", x, y);
    private final LocalityLeastConnectionBinding binding = (LocalityLeastConnectionBinding)
            new LocalityLeastConnectionScheduler(() -> now, LocalityTable.DEFAULT_EXPIRATION_MS).bind(svc);

    @Test
    void eachIpv6DestinationKeepsItsServerAcrossAnEditOfAServerSharingAnotherOnesFold() {
        assertEquals(X.fold(), Y.fold());
        assertSame(x, binding.schedule(new Flow6(VIP1)), "wlc: x is idle");
        Server6 edited = new Server6(X, 50); // a new object for x, busier than y but within its weight
        svc.replace(x, edited);
        binding.update();
        assertSame(edited, binding.schedule(new Flow6(VIP1)), "the entry follows x, not y of the same fold");
        assertSame(y, binding.schedule(new Flow6(VIP2)), "another destination: wlc again");
        assertSame(y, binding.schedule(new Flow6(VIP2)));
        assertSame(edited, binding.schedule(new Flow6(VIP1)));
    }

    /** An IPv6 flow as the data path hands it over: the int addresses are the folds. */
    private record Flow6(Ip6Address vip) implements Flow {
        private static final Ip6Address CLIENT = Ip6Address.parse("2001:db8:99:1::2");
        @Override public Protocol protocol() { return Protocol.TCP; }
        @Override public int clientAddress() { return CLIENT.fold(); }
        @Override public int clientPort() { return 40000; }
        @Override public int virtualAddress() { return vip.fold(); }
        @Override public int virtualPort() { return 80; }
        @Override public boolean ipv6() { return true; }
        @Override public long clientAddressHi() { return CLIENT.hi(); }
        @Override public long clientAddressLo() { return CLIENT.lo(); }
        @Override public long virtualAddressHi() { return vip.hi(); }
        @Override public long virtualAddressLo() { return vip.lo(); }
    }

    /** An IPv6 real server of weight 100: its int address is its fold, as the api's servers have it. */
    private record Server6(Ip6Address address6, int activeConns) implements RealServer {
        @Override public int address() { return address6.fold(); }
        @Override public int port() { return 80; }
        @Override public ForwardMethod forwardMethod() { return ForwardMethod.MASQ; }
        @Override public int weight() { return 100; }
        @Override public int lastWeight() { return 100; }
        @Override public int inactiveConns() { return 0; }
        @Override public int persistentConns() { return 0; }
        @Override public boolean overloaded() { return false; }
    }
}
