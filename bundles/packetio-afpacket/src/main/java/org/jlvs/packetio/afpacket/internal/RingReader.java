package org.jlvs.packetio.afpacket.internal;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

import org.jlvs.api.spi.PacketIo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One receive socket of a channel with its memory-mapped ring and its own thread, which reads the ring in place
 * and sleeps in poll only when the ring is empty. A channel has one, or with PACKET_FANOUT several in one
 * fanout group (the kernel spreads the flows over them by hash), each with its own receiver.
 *
 * <p>The core's contract takes a {@code byte[]}: each frame is copied once, from the ring into the thread's
 * reused array, and the ring slot goes back to the kernel at once. Each pass over the ready slots is a
 * {@link Sweep}: what the receiver sends meanwhile goes out in batches when the pass ends.
 */
final class RingReader implements RxRing.FrameSink {
    private static final Logger LOG = LoggerFactory.getLogger(RingReader.class);
    /** Slots drained per pass before the sends are flushed and the status word of the next is looked at again. */
    private static final int BATCH = 64;
    static final int POLL_MILLIS = 200;
    private static volatile boolean warnedIgnoreOutgoing;

    private final String name;
    private final int ifindex;
    private final RingSettings settings;
    private final PacketIo.FrameReceiver receiver;
    private int rxFd = -1;
    private long ringAddress;
    private RxRing ring;
    private final Memory pollFd = new Memory(8); // struct pollfd { int fd; short events; short revents; }
    private final byte[] rx = new byte[ChannelSender.MAX_FRAME];
    private final Thread thread;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong truncated = new AtomicLong();
    private final AtomicLong socketErrors = new AtomicLong();
    private final AtomicLong receiverErrors = new AtomicLong();
    private final Memory errorValue = new Memory(8); // int SO_ERROR value, socklen_t length (receive thread)
    private int lastSocketError;
    private volatile boolean closed;
    /** Guards the receive socket's release against the readers of its statistics. */
    private final Object rxLock = new Object();
    private long kernelDrops; // under rxLock

    private RingReader(String name, int ifindex, RingSettings settings, PacketIo.FrameReceiver receiver, int index) {
        this.name = name;
        this.ifindex = ifindex;
        this.settings = settings;
        this.receiver = receiver;
        this.thread = new Thread(this::receiveLoop, "jlvs-rx-" + name + (index == 0 ? "" : "-" + index));
        this.thread.setDaemon(true);
    }

    /**
     * Opens a receive socket (its thread not started yet). {@code fanout}: 0 for none, else the PACKET_FANOUT
     * value to join with (the first reader of a group asks the kernel for a new id with
     * {@link LibC#PACKET_FANOUT_FLAG_UNIQUEID}, the others join its id: {@link #fanoutGroup()}).
     */
    static RingReader open(String name, int ifindex, String filter, RingSettings settings,
                           PacketIo.FrameReceiver receiver, int index, int fanout) throws IOException {
        RingReader reader = new RingReader(name, ifindex, settings, receiver, index);
        try {
            reader.openSocket(filter);
            if (fanout != 0) AfPacketChannel.setInt(reader.rxFd, LibC.SOL_PACKET, LibC.PACKET_FANOUT, fanout,
                    "PACKET_FANOUT");
        } catch (IOException | RuntimeException | Error e) {
            reader.releaseSocket();
            throw e;
        }
        return reader;
    }

    /** The group this reader's socket is in, as the kernel reports it (the id a further reader joins). */
    int fanoutGroup() throws IOException {
        Memory value = new Memory(8);
        value.setInt(0, 0);
        value.setInt(4, 4);
        AfPacketChannel.check(LibC.getsockopt(rxFd, LibC.SOL_PACKET, LibC.PACKET_FANOUT, Pointer.nativeValue(value),
                Pointer.nativeValue(value) + 4), "getsockopt PACKET_FANOUT");
        return value.getInt(0) & 0xffff;
    }

    /**
     * The receive socket: created with protocol 0 so that it sees nothing until bound, given its filter and
     * ring first, then bound to the interface for every protocol.
     */
    private void openSocket(String filter) throws IOException {
        rxFd = AfPacketChannel.check(LibC.socket(LibC.AF_PACKET, LibC.SOCK_RAW, 0), "socket");
        AfPacketChannel.setInt(rxFd, LibC.SOL_PACKET, LibC.PACKET_VERSION, settings.version(), "PACKET_VERSION");
        if (filter != null && !filter.isBlank()) attachFilter(filter);
        // The kernel's own outgoing frames (its ARP, its replies) are not ours to see. Kernels before 4.20 lack
        // the option: the filter's "not ether src" then drops them, one filter run later.
        if (!AfPacketChannel.trySetInt(rxFd, LibC.SOL_PACKET, LibC.PACKET_IGNORE_OUTGOING, 1) && !warnedIgnoreOutgoing) {
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
        AfPacketChannel.check(LibC.setsockopt(rxFd, LibC.SOL_PACKET, LibC.PACKET_RX_RING, Pointer.nativeValue(req),
                reqLength), "PACKET_RX_RING");
        Reference.reachabilityFence(req); // only its address went to the kernel
        long bytes = settings.bytes();
        long address = LibC.mmap(0, bytes, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, rxFd, 0);
        if (address == -1) throw new IOException(LibC.error("mmap of the receive ring"));
        ringAddress = address;
        ByteBuffer view = new Pointer(address).getByteBuffer(0, bytes).order(ByteOrder.nativeOrder());
        ring = settings.version() == LibC.TPACKET_V3
                ? new V3Ring(view, settings.blockSize(), settings.blockCount())
                : new V2Ring(view, settings.frameSize(), settings.frameCount());
        AfPacketChannel.bind(rxFd, ifindex, LibC.ETH_P_ALL, name);
        receiveAllMulticast();
        pollFd.setInt(0, rxFd);
        pollFd.setShort(4, (short) (LibC.POLLIN | LibC.POLLERR));
    }

    /**
     * The interface passes every multicast frame up while this socket is open (PACKET_MR_ALLMULTI): a Neighbour
     * Solicitation for a VIP6 goes to the VIP's solicited-node group, which the kernel never joined, and a
     * NIC filters groups nobody joined. The capture filter keeps only what the director wants of them.
     */
    private void receiveAllMulticast() {
        Memory mreq = new Memory(16); // struct packet_mreq { int ifindex; u16 type; u16 alen; u8 address[8]; }
        mreq.clear();
        mreq.setInt(0, ifindex);
        mreq.setShort(4, (short) LibC.PACKET_MR_ALLMULTI);
        if (LibC.setsockopt(rxFd, LibC.SOL_PACKET, LibC.PACKET_ADD_MEMBERSHIP, Pointer.nativeValue(mreq), 16) != 0) {
            LOG.warn("{}: PACKET_MR_ALLMULTI refused (errno {}): Neighbour Solicitations for IPv6 VIPs may not"
                    + " reach the director", name, Native.getLastError());
        }
        Reference.reachabilityFence(mreq);
    }

    private void attachFilter(String filter) throws IOException {
        Memory insns = BpfCompiler.compile(filter);
        Memory program = new Memory(16); // struct sock_fprog { unsigned short len; struct sock_filter *filter; }
        program.clear();
        program.setShort(0, (short) (insns.size() / 8));
        program.setPointer(8, insns);
        AfPacketChannel.check(LibC.setsockopt(rxFd, LibC.SOL_SOCKET, LibC.SO_ATTACH_FILTER,
                Pointer.nativeValue(program), 16), "SO_ATTACH_FILTER");
        Reference.reachabilityFence(program);
        Reference.reachabilityFence(insns);
    }

    void start() {
        thread.start();
    }

    /** Asks the thread to stop; it releases the ring and socket itself when it sees the flag. */
    void stop() {
        closed = true;
    }

    /** Waits for the thread to end; returns whether it did. */
    boolean join(long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !thread.isAlive();
    }

    private void receiveLoop() {
        try {
            receiveUntilClosed(Sweep.forCurrentThread());
        } finally {
            releaseSocket(); // the ring and socket are this thread's: only it knows when it no longer reads them
        }
    }

    private void receiveUntilClosed(Sweep sweep) {
        long pollAddress = Pointer.nativeValue(pollFd);
        RxRing ring = this.ring;
        while (!closed) {
            try {
                int n;
                sweep.begin();
                try {
                    n = ring.drain(this, BATCH);
                } finally {
                    sweep.end(); // the frames sent during the pass go now, before the thread may sleep
                }
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

    long received() {
        return received.get();
    }

    /** Frames cut at the ring's slot size, frames the receiver threw on, and the kernel's drops for a full ring. */
    long dropped() {
        return truncated.get() + receiverErrors.get() + kernelDrops();
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

    /** Releases the ring and the socket (the thread at its end, or a failed open before any thread runs). */
    void releaseSocket() {
        synchronized (rxLock) {
            if (ringAddress != 0) {
                LibC.munmap(ringAddress, settings.bytes());
                ringAddress = 0;
            }
            if (rxFd >= 0) LibC.close(rxFd);
            rxFd = -1;
        }
    }
}
