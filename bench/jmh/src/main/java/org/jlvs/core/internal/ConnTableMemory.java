package org.jlvs.core.internal;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;

/**
 * Bytes per connection measured from the process: heap used after a full GC plus direct buffers, before and
 * after filling a table with N NAT connections, for the jlvs table (sized for N) and, with {@code --compare},
 * for a HashMap and a ConcurrentHashMap holding the same connections as objects.
 *
 * <p>Usage: {@code java -Xmx6g -cp benchmarks.jar org.jlvs.core.internal.ConnTableMemory [--compare] N...}
 */
public final class ConnTableMemory {
    private ConnTableMemory() {}

    public static void main(String[] args) {
        boolean compare = false;
        System.out.printf("%-18s %12s %14s %14s %10s%n", "table", "entries", "heap (MB)", "direct (MB)", "B/entry");
        for (String arg : args) {
            if (arg.equals("--compare")) {
                compare = true;
                continue;
            }
            int n = Integer.parseInt(arg.replace("_", ""));
            for (String name : ConnSubject.NAMES) {
                if (!compare && !name.equals("jlvs")) continue;
                measure(name, n);
            }
        }
    }

    private static void measure(String name, int n) {
        long[] before = usedAfterGc();
        ConnSubject subject = ConnSubject.of(name, n);
        for (int i = 0; i < n; i++) {
            if (!subject.insert(i, TcpStates.ESTABLISHED)) throw new IllegalStateException("full at " + i);
        }
        long[] after = usedAfterGc();
        if (subject.size() != n) throw new IllegalStateException(subject.size() + " entries, not " + n);
        long heap = after[0] - before[0];
        long direct = after[1] - before[1];
        System.out.printf("%-18s %12d %14.1f %14.1f %10.1f%n", name, n, heap / 1e6, direct / 1e6,
                (heap + direct) / (double) n);
        Reference.reachabilityFence(subject);
    }

    /** {heap used, direct buffers used} after full collections. */
    private static long[] usedAfterGc() {
        for (int i = 0; i < 3; i++) System.gc();
        long direct = 0;
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            direct += pool.getMemoryUsed();
        }
        return new long[] {ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), direct};
    }
}
