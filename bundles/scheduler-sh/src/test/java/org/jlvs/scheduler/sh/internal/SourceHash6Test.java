package org.jlvs.scheduler.sh.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.jlvs.api.Ip6Address;
import org.jlvs.api.Protocol;
import org.jlvs.api.SchedulerFlags;
import org.jlvs.api.fake.FakeRealServer;
import org.jlvs.api.fake.FakeVirtualService;
import org.jlvs.api.spi.Flow;
import org.jlvs.api.spi.Scheduler;
import org.junit.jupiter.api.Test;

/**
 * IPv6 flows land where ip_vs_sh_hashkey puts them: {@code hash_32(port + ntohl(addr_fold), 8)} with addr_fold
 * the XOR of the address's four 32-bit words. The expected buckets were worked out by hand (a Python script),
 * not with this code.
 */
class SourceHash6Test {
    private static final Ip6Address CLIENT = Ip6Address.parse("2001:db8:99:1::2");
    private static final Ip6Address VIP = Ip6Address.parse("2001:db8:99:1::100");

    // Weights 1, 2, 3 fill the buckets A, B, B, C, C, C round after round.
    private final FakeRealServer a = new FakeRealServer(Ip6Address.parse("2001:db8:99:2::11").fold(), 80, 1);
    private final FakeRealServer b = new FakeRealServer(Ip6Address.parse("2001:db8:99:2::12").fold(), 80, 2);
    private final FakeRealServer c = new FakeRealServer(Ip6Address.parse("2001:db8:99:2::13").fold(), 80, 3);
    private final FakeVirtualService svc = FakeVirtualService.of("sh", a, b, c);
    private final Scheduler.Binding sh = new SourceHashScheduler().bind(svc);

    @Test
    void anIpv6ClientHashesByItsFoldAsTheKernelDoes() {
        // fold = 20010db8 ^ 00990001 ^ 00000000 ^ 00000002 = 0x20980dbb;
        // hash_32(0x20980dbb, 8) = (0x20980dbb * 0x61c88647 mod 2^32) >>> 24 = 54; bucket 54 = 9 * 6 + 0: A.
        assertEquals(0x20980dbb, CLIENT.fold());
        assertEquals(54, SourceHashBinding.hashKey(CLIENT.fold(), 0, 0));
        for (int port = 40000; port < 40010; port++) assertSame(a, sh.schedule(new Flow6(CLIENT, port)));
    }

    @Test
    void withShPortTheClientPortIsAddedToTheFold() {
        svc.setSchedulerFlags(SchedulerFlags.SH_PORT);
        sh.update();
        // hash_32(40000 + 0x20980dbb, 8) = 218; bucket 218 = 36 * 6 + 2: B.
        assertSame(b, sh.schedule(new Flow6(CLIENT, 40000)));
    }

    /** An IPv6 flow as the data path hands it over: the int addresses are the folds. */
    private record Flow6(Ip6Address client, int clientPort) implements Flow {
        @Override public Protocol protocol() { return Protocol.TCP; }
        @Override public int clientAddress() { return client.fold(); }
        @Override public int virtualAddress() { return VIP.fold(); }
        @Override public int virtualPort() { return 80; }
        @Override public boolean ipv6() { return true; }
        @Override public long clientAddressHi() { return client.hi(); }
        @Override public long clientAddressLo() { return client.lo(); }
        @Override public long virtualAddressHi() { return VIP.hi(); }
        @Override public long virtualAddressLo() { return VIP.lo(); }
    }
}
