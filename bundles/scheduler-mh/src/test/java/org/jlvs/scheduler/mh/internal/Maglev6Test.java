package org.jlvs.scheduler.mh.internal;

import static org.junit.jupiter.api.Assertions.assertSame;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip6Address;
import org.jlvs.api.Protocol;
import org.jlvs.api.fake.FakeVirtualService;
import org.jlvs.api.spi.Flow;
import org.jlvs.api.spi.RealServer;
import org.junit.jupiter.api.Test;

/**
 * IPv6 servers and flows hash as ip_vs_mh_hashkey does: {@code hsiphash(offset + port + ntohl(addr_fold))}, the
 * fold the XOR of the four 32-bit words, with the fixed keys of generate_hash_secret. The expected slots were
 * worked out by hand with an independent SipHash-1-3 (a Python script), table size 4093.
 */
class Maglev6Test {
    private static final Ip6Address CLIENT = Ip6Address.parse("2001:db8:99:1::2");
    private final Server6 a = new Server6(Ip6Address.parse("2001:db8:99:2::11"));
    private final Server6 b = new Server6(Ip6Address.parse("2001:db8:99:2::12"));
    private final Server6 c = new Server6(Ip6Address.parse("2001:db8:99:2::13"));
    private final MaglevBinding mh = (MaglevBinding) new MaglevScheduler(4093).bind(FakeVirtualService.of("mh", a, b, c));

    @Test
    void eachIpv6ServerClaimsFirstTheSlotOfItsPermutationOffset() {
        // offset = hsiphash(80 + fold) % 4093 with fold(::11) = 0x20980dab, fold(::12) = 0x20980da8,
        // fold(::13) = 0x20980da9: 2593, 907 and 1904; the first turn of each server takes its offset.
        RealServer[] lookup = mh.lookup();
        assertSame(a, lookup[2593]);
        assertSame(b, lookup[907]);
        assertSame(c, lookup[1904]);
    }

    @Test
    void anIpv6ClientGoesToTheServerOfItsFoldsSlot() {
        // hsiphash(0x20980dbb) % 4093 = 3452.
        RealServer expected = mh.lookup()[3452];
        for (int port = 40000; port < 40005; port++) assertSame(expected, mh.schedule(new Flow6(port)));
    }

    /** An IPv6 flow as the data path hands it over: the int addresses are the folds. */
    private record Flow6(int clientPort) implements Flow {
        @Override public Protocol protocol() { return Protocol.TCP; }
        @Override public int clientAddress() { return CLIENT.fold(); }
        @Override public int virtualAddress() { return 0x20980cb9; }
        @Override public int virtualPort() { return 80; }
        @Override public boolean ipv6() { return true; }
        @Override public long clientAddressHi() { return CLIENT.hi(); }
        @Override public long clientAddressLo() { return CLIENT.lo(); }
    }

    /** An IPv6 real server: its int address is its fold, as the api's servers have it. */
    private record Server6(Ip6Address address6) implements RealServer {
        @Override public int address() { return address6.fold(); }
        @Override public int port() { return 80; }
        @Override public ForwardMethod forwardMethod() { return ForwardMethod.MASQ; }
        @Override public int weight() { return 1; }
        @Override public int lastWeight() { return 1; }
        @Override public int activeConns() { return 0; }
        @Override public int inactiveConns() { return 0; }
        @Override public int persistentConns() { return 0; }
        @Override public boolean overloaded() { return false; }
    }
}
