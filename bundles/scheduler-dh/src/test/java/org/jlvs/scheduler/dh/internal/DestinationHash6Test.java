package org.jlvs.scheduler.dh.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.jlvs.api.Ip6Address;
import org.jlvs.api.Protocol;
import org.jlvs.api.fake.FakeRealServer;
import org.jlvs.api.fake.FakeVirtualService;
import org.jlvs.api.spi.Flow;
import org.jlvs.api.spi.Scheduler;
import org.jlvs.scheduler.support.Hash32;
import org.junit.jupiter.api.Test;

/**
 * IPv6 flows land where ip_vs_dh_hashkey puts them: {@code hash_32(ntohl(addr_fold), 8)} of the destination,
 * addr_fold the XOR of its four 32-bit words. The expected bucket was worked out by hand (a Python script).
 */
class DestinationHash6Test {
    private static final Ip6Address VIP = Ip6Address.parse("2001:db8:99:1::100");

    private final FakeRealServer a = new FakeRealServer(Ip6Address.parse("2001:db8:99:2::11").fold(), 80, 1);
    private final FakeRealServer b = new FakeRealServer(Ip6Address.parse("2001:db8:99:2::12").fold(), 80, 1);
    private final FakeRealServer c = new FakeRealServer(Ip6Address.parse("2001:db8:99:2::13").fold(), 80, 1);
    private final Scheduler.Binding dh = new DestinationHashScheduler().bind(FakeVirtualService.of("dh", a, b, c));

    @Test
    void anIpv6DestinationHashesByItsFoldAsTheKernelDoes() {
        // fold = 20010db8 ^ 00990001 ^ 00000000 ^ 00000100 = 0x20980cb9;
        // hash_32(0x20980cb9, 8) = 170; the buckets hold A, B, C in turn: 170 = 56 * 3 + 2, C.
        assertEquals(0x20980cb9, VIP.fold());
        assertEquals(170, Hash32.hash32(VIP.fold(), 8));
        Ip6Address[] clients = {Ip6Address.parse("2001:db8:99:1::2"), Ip6Address.parse("2001:db8:7::9")};
        for (Ip6Address client : clients) assertSame(c, dh.schedule(new Flow6(client)));
    }

    /** An IPv6 flow as the data path hands it over: the int addresses are the folds. */
    private record Flow6(Ip6Address client) implements Flow {
        @Override public Protocol protocol() { return Protocol.TCP; }
        @Override public int clientAddress() { return client.fold(); }
        @Override public int clientPort() { return 40000; }
        @Override public int virtualAddress() { return VIP.fold(); }
        @Override public int virtualPort() { return 80; }
        @Override public boolean ipv6() { return true; }
        @Override public long clientAddressHi() { return client.hi(); }
        @Override public long clientAddressLo() { return client.lo(); }
        @Override public long virtualAddressHi() { return VIP.hi(); }
        @Override public long virtualAddressLo() { return VIP.lo(); }
    }
}
