package org.jlvs.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;

import org.jlvs.api.ForwardMethod;
import org.jlvs.api.Ip4;
import org.jlvs.api.Protocol;
import org.jlvs.api.ServerConfig;
import org.jlvs.api.ServiceConfig;
import org.jlvs.api.ServiceKey;
import org.junit.jupiter.api.Test;

/**
 * The memory a connection costs, measured from the process (heap used after a full GC, plus direct
 * buffers) around a table filled with a million NAT entries: at most 64 bytes each. bench/conntable.sh
 * measures 2 and 10 million the same way.
 */
class ConnTableMemoryTest {
    private static final int N = 1_000_000;

    @Test
    void aMillionConnectionsTakeAtMost64BytesEach() {
        long before = usedAfterGc();
        ConnTable table = filled(N);
        long after = usedAfterGc();
        assertEquals(N, table.size());
        double perEntry = (after - before) / (double) N;
        System.out.printf("connection table: %d entries, %.1f bytes per entry%n", N, perEntry);
        assertTrue(perEntry <= 64, perEntry + " bytes per entry");
        assertTrue(perEntry >= 40, "the measurement saw the table: " + perEntry);
        Reference.reachabilityFence(table);
    }

    /** A table of {@code n} NAT connections from distinct clients to one VIP and four real servers. */
    static ConnTable filled(int n) {
        int vip = Ip4.parse("10.0.0.1");
        Service service = new Service(ServiceConfig.of(new ServiceKey(Protocol.TCP, vip, 80), "rr"));
        Dest[] dests = new Dest[4];
        for (int i = 0; i < dests.length; i++) {
            dests[i] = new Dest(ServerConfig.of(Ip4.parse("10.0.1.1") + i, 8080, ForwardMethod.MASQ, 1));
        }
        ConnTable table = new ConnTable(System::nanoTime, n);
        Conn c = new Conn();
        int base = Ip4.parse("100.64.0.0");
        for (int i = 0; i < n; i++) {
            c.set(6, base + i / 60_000, 1024 + i % 60_000, vip, 80, dests[i & 3], service, null, 0x020000000000L + i);
            if (!table.add(c)) throw new IllegalStateException("table full at " + i);
        }
        return table;
    }

    static long usedAfterGc() {
        for (int i = 0; i < 3; i++) System.gc();
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            direct += pool.getMemoryUsed();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() + direct;
    }
}
