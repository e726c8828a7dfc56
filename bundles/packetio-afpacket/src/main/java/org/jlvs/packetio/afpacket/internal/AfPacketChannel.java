package org.jlvs.packetio.afpacket.internal;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import org.jlvs.api.spi.PacketIo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One interface on AF_PACKET: a receive socket with a memory-mapped ring (read in place by the channel's own
 * thread, which sleeps in poll only when the ring is empty), and a send socket shared by every sending thread
 * (sendto on a packet socket is thread-safe; each thread copies into its own native buffer).
 *
 * <p>The core's contract takes a {@code byte[]}: each frame is copied once, from the ring into the receive
 * thread's reused array, and the ring slot goes back to the kernel at once.
 */
final class AfPacketChannel implements PacketIo.Channel, RxRing.FrameSink {
    private static final Logger LOG = LoggerFactory.getLogger(AfPacketChannel.class);
    private static final int MAX_FRAME = 65536;
    /** Slots drained per wake-up before the status word of the next is looked at again from poll's side. */
    private static final int BATCH = 64;
    private static final int POLL_MILLIS = 200;

    private final String name;
    private final int mtu;
    private final int ifindex;
    private final PacketIo.FrameReceiver receiver;
    private final Consumer<AfPacketChannel> onClose;
    private final RingSettings settings;
    private final boolean qdiscBypass;
    private int rxFd = -1;
    private int txFd = -1;
    private long ringAddress;
    private RxRing ring;
    private final Memory pollFd = new Memory(8); // struct pollfd { int fd; short events; short revents; }
    private final byte[] rx = new byte[MAX_FRAME];
    private final Thread receiveThread;
    private final List<Sender> senders = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Sender> sender = ThreadLocal.withInitial(this::newSender);
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private final AtomicLong truncated = new AtomicLong();
    private final AtomicLong socketErrors = new AtomicLong();
    private final AtomicLong receiverErrors = new AtomicLong();
    private final Memory errorValue = new Memory(8); // int SO_ERROR value, socklen_t length (receive thread)
    private int lastSocketError;
    private volatile boolean closed;
    private final AtomicBoolean closing = new AtomicBoolean();
    /** Guards the receive socket's release against the readers of its statistics. */
    private final Object rxLock = new Object();
    private long kernelDrops; // under rxLock
    private static volatile boolean warnedIgnoreOutgoing;

    private AfPacketChannel(String name, int mtu, int ifindex, PacketIo.FrameReceiver receiver, RingSettings settings,
                            boolean qdiscBypass, Consumer<AfPacketChannel> onClose) {
        this.name = name;
        this.mtu = mtu;
        this.ifindex = ifindex;
        this.receiver = receiver;
        this.settings = settings;
        this.qdiscBypass = qdiscBypass;
        this.onClose = onClose;
        this.receiveThread = new Thread(this::receiveLoop, "jlvs-rx-" + name);
        this.receiveThread.setDaemon(true);
    }

    static AfPacketChannel open(String name, String filter, PacketIo.FrameReceiver receiver, AfPacketSettings config,
                                Consumer<AfPacketChannel> onClose) throws IOException {
        int mtu = readInt(name, "mtu", 1500);
        int ifindex = readInt(name, "ifindex", -1);
        if (ifindex <= 0) throw new IOException("no interface " + name);
        RingSettings ring = RingSettings.of(config.immediate(), mtu, config.ringBytes(), config.retireMillis());
        AfPacketChannel channel = new AfPacketChannel(name, mtu, ifindex, receiver, ring, config.qdiscBypass(),
                onClose);
        try {
            channel.openReceive(filter);
            channel.txFd = channel.openSend();
        } catch (IOException | RuntimeException | Error e) {
            channel.release();
            throw e instanceof IOException io ? io : new IOException(e.toString(), e);
        }
        channel.receiveThread.start();
        return channel;
    }

    String describe() {
        return (settings.version() == LibC.TPACKET_V3 ? "TPACKET_V3, block timeout " + settings.retireMillis() + " ms"
                : "TPACKET_V2 (immediate)") + ", ring " + (settings.bytes() >> 10) + " KiB, mtu " + mtu
                + (qdiscBypass ? ", qdisc bypass" : "");
    }

    /**
     * The receive socket: created with protocol 0 so that it sees nothing until bound, given its filter and
     * ring first, then bound to the interface for every protocol.
     */
    private void openReceive(String filter) throws IOException {
        rxFd = check(LibC.socket(LibC.AF_PACKET, LibC.SOCK_RAW, 0), "socket");
        setInt(rxFd, LibC.SOL_PACKET, LibC.PACKET_VERSION, settings.version(), "PACKET_VERSION");
        if (filter != null && !filter.isBlank()) attachFilter(filter);
        // The kernel's own outgoing frames (its ARP, its replies) are not ours to see. Kernels before 4.20 lack
        // the option: the filter's "not ether src" then drops them, one filter run later.
        if (!trySetInt(rxFd, LibC.SOL_PACKET, LibC.PACKET_IGNORE_OUTGOING, 1) && !warnedIgnoreOutgoing) {
            warnedIgnoreOutgoing = true;
            LOG.warn("PACKET_IGNORE_OUTGOING is not supported here (errno {}, kernel before 4.20): outgoing frames"
                    + " are dropped by the filter instead", Native.getLastError());
        }
        Memory req = new Memory(28); // struct tpacket_req3 (its first four fields are tpacket_req, for V2)
        req.clear();
        req.setInt(0, settings.blockSize());
        req.setInt(4, settings.blockCount());
        req.setInt(8, settings.frameSize());
        req.setInt(12, settings.frameCount());
        if (settings.version() == LibC.TPACKET_V3) req.setInt(16, settings.retireMillis());
        int reqLength = settings.version() == LibC.TPACKET_V3 ? 28 : 16;
        check(LibC.setsockopt(rxFd, LibC.SOL_PACKET, LibC.PACKET_RX_RING, Pointer.nativeValue(req), reqLength),
                "PACKET_RX_RING");
        Reference.reachabilityFence(req); // only its address went to the kernel
        long bytes = settings.bytes();
        long address = LibC.mmap(0, bytes, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, rxFd, 0);
        if (address == -1) throw new IOException(LibC.error("mmap of the receive ring"));
        ringAddress = address;
        ByteBuffer view = new Pointer(address).getByteBuffer(0, bytes).order(ByteOrder.nativeOrder());
        ring = settings.version() == LibC.TPACKET_V3
                ? new V3Ring(view, settings.blockSize(), settings.blockCount())
                : new V2Ring(view, settings.frameSize(), settings.frameCount());
        bind(rxFd, LibC.ETH_P_ALL);
        pollFd.setInt(0, rxFd);
        pollFd.setShort(4, (short) (LibC.POLLIN | LibC.POLLERR));
    }

    /** The send socket: bound with protocol 0, so the kernel never queues a received frame on it. */
    private int openSend() throws IOException {
        int fd = check(LibC.socket(LibC.AF_PACKET, LibC.SOCK_RAW, 0), "socket");
        try {
            if (qdiscBypass) setInt(fd, LibC.SOL_PACKET, LibC.PACKET_QDISC_BYPASS, 1, "PACKET_QDISC_BYPASS");
            bind(fd, 0);
            return fd;
        } catch (IOException e) {
            LibC.close(fd);
            throw e;
        }
    }

    private void attachFilter(String filter) throws IOException {
        Memory insns = BpfCompiler.compile(filter);
        Memory program = new Memory(16); // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
        program.clear();
        program.setShort(0, (short) (insns.size() / 8));
        program.setPointer(8, insns);
        check(LibC.setsockopt(rxFd, LibC.SOL_SOCKET, LibC.SO_ATTACH_FILTER, Pointer.nativeValue(program), 16),
                "SO_ATTACH_FILTER");
        Reference.reachabilityFence(program);
        Reference.reachabilityFence(insns);
    }

    private void bind(int fd, int protocol) throws IOException {
        Memory sll = new Memory(20); // struct sockaddr_ll
        sll.clear();
        sll.setShort(0, (short) LibC.AF_PACKET);
        sll.setShort(2, (short) LibC.htons(protocol));
        sll.setInt(4, ifindex);
        check(LibC.bind(fd, Pointer.nativeValue(sll), 20), "bind to " + name);
        Reference.reachabilityFence(sll);
    }

    private void receiveLoop() {
        try {
            receiveUntilClosed();
        } finally {
            releaseReceive(); // the ring and socket are this thread's: only it knows when it no longer reads them
        }
    }

    private void receiveUntilClosed() {
        long pollAddress = Pointer.nativeValue(pollFd);
        RxRing ring = this.ring;
        while (!closed) {
            try {
                int n = ring.drain(this, BATCH);
                if (n > 0) {
                    received.addAndGet(n);
                    continue;
                }
                int ready = LibC.poll(pollAddress, 1, POLL_MILLIS);
                if (ready < 0 && Native.getLastError() != LibC.EINTR) {
                    if (!closed) LOG.error("poll on {} failed (errno {}): receiving stops", name, Native.getLastError());
                    return;
                }
                if (ready > 0 && (pollFd.getShort(6) & LibC.POLLERR) != 0) socketError();
            } catch (RuntimeException e) { // the receiver guards itself; this is the ring's own bug
                LOG.error("receive loop on {}: {}", name, e.toString(), e);
            }
        }
    }

    /**
     * The kernel keeps reporting POLLERR until the socket's pending error is read (the link went down, for
     * example): read it, so that poll blocks again instead of spinning, say it once per kind, and wait a poll
     * interval before looking again.
     */
    private void socketError() {
        Memory value = errorValue;
        value.setInt(0, 0);
        value.setInt(4, 4);
        int errno = LibC.getsockopt(rxFd, LibC.SOL_SOCKET, LibC.SO_ERROR, Pointer.nativeValue(value),
                Pointer.nativeValue(value) + 4) == 0 ? value.getInt(0) : Native.getLastError();
        socketErrors.incrementAndGet();
        if (errno != lastSocketError) {
            lastSocketError = errno;
            LOG.warn("interface {}: socket error (errno {}); receiving goes on", name, errno);
        }
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A frame in the ring: one copy into the reused array, then to the core with the kernel's checksum status. */
    @Override
    public void frame(ByteBuffer ring, int offset, int length, int wireLength, int status) {
        if (length < wireLength || length > rx.length) { // cut at the slot: a super-frame the MTU does not explain
            truncated.incrementAndGet();
            return;
        }
        ring.get(offset, rx, 0, length);
        try {
            receiver.onFrame(rx, length, (status & RxRing.TP_STATUS_CSUMNOTREADY) != 0);
        } catch (RuntimeException | LinkageError e) {
            // a receiver that throws must not stall the ring (its slot would never go back to the kernel)
            if (receiverErrors.getAndIncrement() == 0) LOG.error("receiver on {} threw (logged once)", name, e);
        }
    }

    /** A thread's native send buffer: the frame is copied there and handed to sendto by address. */
    private static final class Sender {
        final ByteBuffer buffer;
        final long address;

        Sender() {
            buffer = ByteBuffer.allocateDirect(MAX_FRAME);
            address = Pointer.nativeValue(Native.getDirectBufferPointer(buffer));
        }
    }

    private Sender newSender() {
        Sender s = new Sender();
        senders.add(s);
        return s;
    }

    @Override
    public boolean send(byte[] frame, int offset, int length) {
        if (closed || length > MAX_FRAME || length < 0) {
            sendFailures.incrementAndGet();
            return false;
        }
        Sender s = sender.get();
        s.buffer.put(0, frame, offset, length);
        long n = LibC.sendto(txFd, s.address, length, 0, 0, 0);
        if (n != length) {
            sendFailures.incrementAndGet();
            return false;
        }
        sent.incrementAndGet();
        return true;
    }

    @Override
    public String name() { return name; }

    @Override
    public int mtu() { return mtu; }

    @Override
    public long receivedFrames() { return received.get(); }

    @Override
    public long sentFrames() { return sent.get(); }

    /** Send failures, frames cut at the ring's slot size, frames the receiver threw on, and the kernel's drops for a full ring. */
    @Override
    public long droppedFrames() {
        return sendFailures.get() + truncated.get() + receiverErrors.get() + kernelDrops();
    }

    private long kernelDrops() {
        synchronized (rxLock) {
            if (rxFd < 0) return kernelDrops;
            // tpacket_stats(_v3): tp_packets, tp_drops (, tp_freeze_q_cnt). The kernel zeroes them at each read.
            Memory stats = new Memory(16);
            Memory length = new Memory(4);
            stats.clear();
            length.setInt(0, 12);
            if (LibC.getsockopt(rxFd, LibC.SOL_PACKET, LibC.PACKET_STATISTICS, Pointer.nativeValue(stats),
                    Pointer.nativeValue(length)) != 0) return kernelDrops;
            Reference.reachabilityFence(length);
            kernelDrops += stats.getInt(4) & 0xffffffffL;
            return kernelDrops;
        }
    }

    /**
     * Once. Senders on other threads may be inside {@code send} right now: the send socket's number is taken
     * over by a placeholder (dup2, atomic), so that a late sendto fails instead of writing to whatever socket
     * the number would be given to next; the placeholder is closed later, when no send can still be running.
     * The receive thread releases its own ring and socket when it sees the flag.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) return;
        closed = true;
        retireSendSocket();
        try {
            receiveThread.join(2 * POLL_MILLIS + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (receiveThread.isAlive()) {
            LOG.warn("the receive thread of {} has not stopped yet; it releases its ring when it does", name);
        }
        onClose.accept(this);
    }

    /** The send socket's number (tests: it must not be handed out again while a send may still use it). */
    int sendDescriptor() {
        return txFd;
    }

    private void retireSendSocket() {
        int fd = txFd;
        if (fd < 0) return;
        int placeholder = LibC.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM, 0);
        if (placeholder >= 0 && LibC.dup2(placeholder, fd) == fd) {
            LibC.close(placeholder);
            CompletableFuture.delayedExecutor(10, TimeUnit.SECONDS).execute(() -> LibC.close(fd));
        } else {
            if (placeholder >= 0) LibC.close(placeholder);
            LibC.close(fd);
        }
    }

    private void releaseReceive() {
        synchronized (rxLock) {
            if (ringAddress != 0) {
                LibC.munmap(ringAddress, settings.bytes());
                ringAddress = 0;
            }
            if (rxFd >= 0) LibC.close(rxFd);
            rxFd = -1;
        }
    }

    /** A failed open: nothing runs yet. */
    private void release() {
        releaseReceive();
        if (txFd >= 0) LibC.close(txFd);
        txFd = -1;
    }

    private static void setInt(int fd, int level, int option, int value, String what) throws IOException {
        Memory m = new Memory(4);
        m.setInt(0, value);
        check(LibC.setsockopt(fd, level, option, Pointer.nativeValue(m), 4), what);
        Reference.reachabilityFence(m);
    }

    private static boolean trySetInt(int fd, int level, int option, int value) {
        Memory m = new Memory(4);
        m.setInt(0, value);
        boolean ok = LibC.setsockopt(fd, level, option, Pointer.nativeValue(m), 4) == 0;
        Reference.reachabilityFence(m);
        return ok;
    }

    private static int check(int result, String what) throws IOException {
        if (result < 0) throw new IOException(LibC.error(what));
        return result;
    }

    private static int readInt(String name, String attribute, int fallback) {
        try {
            return Integer.parseInt(Files.readString(Path.of("/sys/class/net", name, attribute)).trim());
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }
}
