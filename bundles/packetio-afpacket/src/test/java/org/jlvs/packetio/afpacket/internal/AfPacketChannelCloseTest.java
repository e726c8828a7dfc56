package org.jlvs.packetio.afpacket.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * Closing a channel while other threads send through it (a PacketIo switch under traffic), on the loopback
 * interface (root, as the appliance and the test suite run): sends fail cleanly afterwards, close is done once,
 * and the send socket's number is not handed out to the next socket while a late send could still use it.
 */
class AfPacketChannelCloseTest {
    private static final int SENDS = 20_000;

    @Test
    void closeUnderConcurrentSends() throws Exception {
        AtomicInteger closes = new AtomicInteger();
        AfPacketChannel channel = AfPacketChannel.open("lo", null, (frame, length) -> { },
                AfPacketSettings.DEFAULTS, c -> closes.incrementAndGet());
        byte[] frame = new byte[60]; // to and from 00:00:00:00:00:00, an unknown ethertype: nobody takes it
        frame[12] = (byte) 0x88;
        frame[13] = (byte) 0xb5; // IEEE local experimental
        CountDownLatch started = new CountDownLatch(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger afterClose = new AtomicInteger();
        Thread[] senders = new Thread[2];
        for (int t = 0; t < senders.length; t++) {
            senders[t] = new Thread(() -> {
                started.countDown();
                try {
                    for (int i = 0; i < SENDS; i++) {
                        if (!channel.send(frame, 0, frame.length) && closes.get() > 0) afterClose.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            senders[t].start();
        }
        started.await();
        while (channel.sentFrames() < 100 && failure.get() == null) Thread.onSpinWait();
        int txFd = channel.sendDescriptor();
        channel.close();
        channel.close();
        // the kernel hands out the lowest free numbers: 256 new sockets take every freed number below the send socket
        int[] next = new int[256];
        try {
            for (int i = 0; i < next.length; i++) {
                next[i] = LibC.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM, 0);
                assertTrue(next[i] >= 0);
                assertNotEquals(txFd, next[i], "the closed channel's send socket number went to a new socket");
            }
        } finally {
            for (int fd : next) if (fd > 0) LibC.close(fd);
        }
        for (Thread t : senders) t.join();
        assertEquals(null, failure.get());
        assertEquals(1, closes.get(), "closed once");
        assertFalse(channel.send(frame, 0, frame.length), "a send after close fails");
        assertTrue(channel.sentFrames() >= 100);
    }
}
