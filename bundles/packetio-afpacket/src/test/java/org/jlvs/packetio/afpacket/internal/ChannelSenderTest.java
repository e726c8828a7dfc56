package org.jlvs.packetio.afpacket.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

/**
 * The batching of sends, against recorded system calls (no socket): frames a receive thread sends inside a pass
 * over its ring go out in one sendmmsg when the pass ends or the batch is full; every other send goes at once.
 * The receive threads are started by each test (a thread stays a receive thread for good).
 */
class ChannelSenderTest {
    /** The system calls made, with the frames each one carried (read back from the native layout). */
    static final class Recorder implements SendCalls {
        final List<String> calls = new ArrayList<>();
        final List<byte[]> frames = new ArrayList<>();
        /** sendmmsg calls answer with at most this many sent (then: the next one failed). */
        int acceptPerCall = Integer.MAX_VALUE;
        int errorsCleared;

        @Override
        public synchronized long sendto(int fd, long buffer, int length) {
            calls.add("sendto fd " + fd + " x1");
            frames.add(new Pointer(buffer).getByteArray(0, length));
            return length;
        }

        @Override
        public synchronized int sendmmsg(int fd, long vector, int count) {
            calls.add("sendmmsg fd " + fd + " x" + count);
            int n = Math.min(count, acceptPerCall);
            for (int i = 0; i < n; i++) {
                Pointer msg = new Pointer(vector + (long) i * SendBatch.MMSGHDR);
                assertEquals(1, msg.getLong(SendBatch.MSG_IOVLEN));
                Pointer iov = msg.getPointer(SendBatch.MSG_IOV);
                frames.add(iov.getPointer(0).getByteArray(0, (int) iov.getLong(SendBatch.IOV_LEN)));
            }
            return n;
        }

        @Override
        public synchronized void clearError(int fd, long scratch) {
            assertEquals(4, new Pointer(scratch).getInt(4), "socklen_t of SO_ERROR's int");
            errorsCleared++;
        }
    }

    private final Recorder recorder = new Recorder();
    private final ChannelSender channel = new ChannelSender(7, 1500, recorder);

    private static byte[] frame(int length, int seed) {
        byte[] f = new byte[length];
        for (int i = 0; i < length; i++) f[i] = (byte) (seed + i);
        return f;
    }

    /** Runs {@code body} on a new receive thread (one with a sweep) and waits for it. */
    private static void onReceiveThread(ThrowingConsumer<Sweep> body) throws Exception {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                body.accept(Sweep.forCurrentThread());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        if (failure.get() instanceof Exception e) throw e;
        if (failure.get() instanceof Error e) throw e;
    }

    interface ThrowingConsumer<T> {
        void accept(T value) throws Exception;
    }

    @Test
    void framesSentDuringAPassGoInOneCallWhenThePassEnds() throws Exception {
        onReceiveThread(sweep -> {
            sweep.begin();
            for (int i = 0; i < 3; i++) assertTrue(channel.send(frame(60 + i, i), 0, 60 + i));
            assertEquals(List.of(), recorder.calls, "nothing sent before the pass ends");
            sweep.end();
        });
        assertEquals(List.of("sendmmsg fd 7 x3"), recorder.calls);
        for (int i = 0; i < 3; i++) assertArrayEquals(frame(60 + i, i), recorder.frames.get(i));
        assertEquals(3, channel.sent());
        assertEquals(0, channel.failures());
    }

    @Test
    void aFullBatchGoesAtOnceAndTheRestAtTheEnd() throws Exception {
        int n = ChannelSender.BATCH_FRAMES + 1;
        onReceiveThread(sweep -> {
            sweep.begin();
            for (int i = 0; i < n; i++) {
                channel.send(frame(100, i), 0, 100);
                if (i == ChannelSender.BATCH_FRAMES - 1) {
                    assertEquals(List.of("sendmmsg fd 7 x" + ChannelSender.BATCH_FRAMES), recorder.calls);
                }
            }
            sweep.end();
        });
        assertEquals(List.of("sendmmsg fd 7 x" + ChannelSender.BATCH_FRAMES, "sendmmsg fd 7 x1"), recorder.calls);
        for (int i = 0; i < n; i++) assertArrayEquals(frame(100, i), recorder.frames.get(i), "frame " + i);
        assertEquals(n, channel.sent());
    }

    @Test
    void aSendFromAnotherThreadGoesAtOnceWhileAPassIsOpen() throws Exception {
        CountDownLatch queued = new CountDownLatch(1);
        CountDownLatch otherSent = new CountDownLatch(1);
        Thread receive = new Thread(() -> {
            Sweep sweep = Sweep.forCurrentThread();
            sweep.begin();
            channel.send(frame(60, 1), 0, 60);
            queued.countDown();
            try {
                otherSent.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sweep.end();
        });
        receive.start();
        queued.await();
        assertTrue(channel.send(frame(42, 9), 0, 42)); // this thread has no sweep: a timer, ARP, VRRP, the shell
        assertEquals(List.of("sendto fd 7 x1"), recorder.calls, "sent at once, before the open pass ends");
        otherSent.countDown();
        receive.join();
        assertEquals(List.of("sendto fd 7 x1", "sendmmsg fd 7 x1"), recorder.calls);
        assertArrayEquals(frame(42, 9), recorder.frames.get(0));
        assertEquals(2, channel.sent());
    }

    @Test
    void aReceiveThreadOutsideAPassSendsAtOnce() throws Exception {
        onReceiveThread(sweep -> {
            channel.send(frame(60, 1), 0, 60);
            assertEquals(List.of("sendto fd 7 x1"), recorder.calls);
            sweep.begin();
            sweep.end(); // nothing queued: no call
        });
        assertEquals(List.of("sendto fd 7 x1"), recorder.calls);
    }

    @Test
    void aFrameTooLargeForASlotGoesAtOnceAfterTheFramesQueuedBeforeIt() throws Exception {
        int large = ChannelSender.slotSize(1500) + 1;
        onReceiveThread(sweep -> {
            sweep.begin();
            channel.send(frame(60, 1), 0, 60);
            channel.send(frame(large, 2), 0, large);
            channel.send(frame(60, 3), 0, 60);
            sweep.end();
        });
        assertEquals(List.of("sendmmsg fd 7 x1", "sendto fd 7 x1", "sendmmsg fd 7 x1"), recorder.calls);
        assertArrayEquals(frame(large, 2), recorder.frames.get(1));
    }

    @Test
    void eachChannelOfAPassGetsItsOwnCall() throws Exception {
        ChannelSender other = new ChannelSender(8, 1500, recorder);
        onReceiveThread(sweep -> {
            sweep.begin();
            channel.send(frame(60, 1), 0, 60);
            other.send(frame(60, 2), 0, 60);
            channel.send(frame(60, 3), 0, 60);
            sweep.end();
        });
        assertEquals(List.of("sendmmsg fd 7 x2", "sendmmsg fd 8 x1"), recorder.calls);
        assertEquals(2, channel.sent());
        assertEquals(1, other.sent());
    }

    @Test
    void aRefusedFrameInTheMiddleIsCountedAndTheRestStillGo() throws Exception {
        recorder.acceptPerCall = 1; // the second of each call fails: the kernel reports one sent
        onReceiveThread(sweep -> {
            sweep.begin();
            for (int i = 0; i < 4; i++) channel.send(frame(60, i), 0, 60);
            sweep.end();
        });
        // 1 sent, #2 failed; then #3 sent, #4 failed... as the kernel answers: 2 sent, 2 failed
        assertEquals(List.of("sendmmsg fd 7 x4", "sendmmsg fd 7 x2"), recorder.calls);
        assertEquals(2, channel.sent());
        assertEquals(2, channel.failures());
        assertEquals(2, recorder.errorsCleared, "the failed message's error taken off the socket each time");
        assertArrayEquals(frame(60, 0), recorder.frames.get(0));
        assertArrayEquals(frame(60, 2), recorder.frames.get(1));
    }

    @Test
    void framesQueuedForAChannelClosedDuringThePassAreCountedNotSent() throws Exception {
        onReceiveThread(sweep -> {
            sweep.begin();
            channel.send(frame(60, 1), 0, 60);
            channel.close();
            sweep.end();
        });
        assertEquals(List.of(), recorder.calls);
        assertEquals(1, channel.failures());
    }

    @Test
    void batchedSendsAllocateNothing() throws Exception {
        ChannelSender quiet = new ChannelSender(9, 1500, new SendCalls() {
            @Override public long sendto(int fd, long buffer, int length) { return length; }
            @Override public int sendmmsg(int fd, long vector, int count) { return count; }
            @Override public void clearError(int fd, long scratch) { }
        });
        byte[] f = frame(1000, 5);
        long[] passes = new long[1];
        onReceiveThread(sweep -> {
            Runnable pass = () -> {
                passes[0]++;
                sweep.begin();
                for (int i = 0; i < 3; i++) quiet.send(f, 0, f.length);
                sweep.end();
            };
            for (int i = 0; i < 20_000; i++) pass.run();
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long id = Thread.currentThread().getId();
            long allocated = Long.MAX_VALUE; // best of three passes: a one-off while the JIT settles is not per frame
            for (int round = 0; round < 3 && allocated != 0; round++) {
                long before = threads.getThreadAllocatedBytes(id);
                for (int i = 0; i < 10_000; i++) pass.run();
                allocated = Math.min(allocated, threads.getThreadAllocatedBytes(id) - before);
            }
            assertEquals(0L, allocated, "bytes allocated for 30,000 batched sends");
        });
        assertEquals(3 * passes[0], quiet.sent());
    }
}
