package org.jlvs.sync.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.jlvs.api.sync.SyncEntry;
import org.jlvs.api.sync.SyncQueue;
import org.junit.jupiter.api.Test;

/** The master's batching and 2-second flush, on a clock the test sets. */
class MasterSenderTest {
    private final List<byte[]> sent = new ArrayList<>();
    private final Counters<MasterSender.Counter> counters = new Counters<>(MasterSender.Counter.class);
    private final SyncQueue queue = new SyncQueue(4096);
    private final MasterSender sender = new MasterSender(queue, 1472, 9, d -> {
        byte[] b = new byte[d.remaining()];
        d.get(b);
        sent.add(b);
    }, counters, false);

    private void offer(int n) {
        SyncEntry e = new SyncEntry();
        for (int i = 0; i < n; i++) queue.offer(e.set(6, 0, 1, 0x0a000001 + i, 1000 + i, 0x0a000064, 80, 0x0a000101, 80, 0, 900));
    }

    @Test
    void aPartlyFilledDatagramLeavesTwoSecondsAfterItsFirstEntry() {
        offer(3);
        assertEquals(3, sender.pump(10_000));
        assertTrue(sent.isEmpty());
        offer(2);
        sender.pump(11_999);
        assertTrue(sent.isEmpty(), "1.999 s after the first entry");
        sender.pump(12_000);
        assertEquals(1, sent.size());
        assertEquals(8 + 5 * 36, sent.get(0).length);
        assertEquals(5, sent.get(0)[4], "nr_conns");
        assertEquals(9, sent.get(0)[1], "syncid");
        sender.pump(20_000);
        assertEquals(1, sent.size(), "nothing more to send");
    }

    @Test
    void underLoadFullDatagramsLeaveAtOnceWithFortyEntriesEach() {
        offer(1000);
        sender.pump(0);
        // (1472 - 8) / 36 = 40 entries per datagram: 25 full datagrams, none left over
        assertEquals(25, sent.size());
        for (byte[] d : sent) {
            assertEquals(8 + 40 * 36, d.length);
            assertEquals(40, d[4]);
            assertEquals(SyncDecoder.Verdict.OK, new SyncDecoder().decode(ByteBuffer.wrap(d), 9, new Recorder()));
        }
        assertEquals(1000, counters.get(MasterSender.Counter.ENTRIES_SENT));
        assertEquals(25, counters.get(MasterSender.Counter.DATAGRAMS_SENT));
    }

    @Test
    void aSendErrorIsCountedAndTheNextDatagramTried() {
        int[] calls = {0};
        MasterSender failing = new MasterSender(queue, 1472, 1, d -> {
            if (calls[0]++ == 0) throw new IOException("network unreachable");
        }, counters, false);
        offer(80);
        failing.pump(0);
        assertEquals(2, calls[0]);
        assertEquals(1, counters.get(MasterSender.Counter.SEND_ERRORS));
        assertEquals(1, counters.get(MasterSender.Counter.DATAGRAMS_SENT));
    }
}
