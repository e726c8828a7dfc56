package org.jlvs.api.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class SyncQueueTest {
    private static SyncEntry entry(int clientPort) {
        return new SyncEntry().set(6, IpvsConn.F_DROUTE, 1, 0x0ad60232, clientPort, 0x0ad60164, 80, 0x0ad6030b, 8080,
                0, 900);
    }

    @Test
    void entriesComeOutInOrderWithEveryField() {
        SyncQueue q = new SyncQueue(8);
        SyncEntry e = entry(40000);
        e.hasSeq = true;
        e.inSeqInit = 0x11111111;
        e.outSeqDelta = 4;
        assertTrue(q.offer(e));
        assertTrue(q.offer(entry(40001)));
        assertEquals(2, q.size());
        List<String> out = new ArrayList<>();
        SyncEntry into = new SyncEntry();
        assertEquals(2, q.drain(into, x -> out.add(x.toString() + " " + x.inSeqInit + " " + x.outSeqDelta), 10));
        assertEquals(List.of(e + " 286331153 4", entry(40001) + " 0 0"), out);
        assertEquals(0, q.size());
    }

    @Test
    void aFullQueueDropsAndCountsWithoutWaiting() {
        SyncQueue q = new SyncQueue(4);
        for (int i = 0; i < 4; i++) assertTrue(q.offer(entry(i)));
        assertFalse(q.offer(entry(99)));
        assertFalse(q.offer(entry(98)));
        assertEquals(2, q.dropped());
        assertEquals(1, q.drain(new SyncEntry(), x -> assertEquals(0, x.clientPort), 1));
        assertTrue(q.offer(entry(5)), "a drained slot is free again");
        List<Integer> ports = new ArrayList<>();
        q.drain(new SyncEntry(), x -> ports.add(x.clientPort), 100);
        assertEquals(List.of(1, 2, 3, 5), ports);
    }

    @Test
    void manyProducersOneConsumerLoseNothingThatWasAccepted() throws InterruptedException {
        SyncQueue q = new SyncQueue(1024);
        int producers = 3, perProducer = 200_000;
        AtomicLong accepted = new AtomicLong();
        Thread[] threads = new Thread[producers];
        for (int p = 0; p < producers; p++) {
            int id = p;
            threads[p] = new Thread(() -> {
                SyncEntry e = new SyncEntry();
                for (int i = 0; i < perProducer; i++) {
                    e.set(6, 0, 1, id, i & 0xffff, i, 80, ~i, 80, 0, 900);
                    if (q.offer(e)) accepted.incrementAndGet();
                }
            });
            threads[p].start();
        }
        long[] seen = new long[1];
        long[] lastPerProducer = {-1, -1, -1};
        boolean[] ordered = {true};
        SyncEntry into = new SyncEntry();
        SyncEntrySink check = x -> {
            seen[0]++;
            // every field of one entry comes from one offer: the producer wrote i, i and ~i
            if (x.virtualAddress != ~x.destAddress || (x.virtualAddress & 0xffff) != x.clientPort) ordered[0] = false;
            if (x.virtualAddress <= lastPerProducer[x.clientAddress]) ordered[0] = false; // FIFO per producer
            lastPerProducer[x.clientAddress] = x.virtualAddress;
        };
        boolean running = true;
        while (running) {
            running = false;
            for (Thread t : threads) running |= t.isAlive();
            q.drain(into, check, 512);
        }
        while (q.drain(into, check, 512) > 0) { /* the rest */ }
        assertTrue(ordered[0], "an entry came out torn or out of order");
        assertEquals(accepted.get(), seen[0]);
        assertEquals((long) producers * perProducer, accepted.get() + q.dropped());
    }

    @Test
    void capacityMustBeAPowerOfTwo() {
        assertThrows(IllegalArgumentException.class, () -> new SyncQueue(1000));
        assertThrows(IllegalArgumentException.class, () -> new SyncQueue(1));
        assertEquals(1024, new SyncQueue(1024).capacity());
    }
}
