package org.jlvs.packetio.afpacket.internal;

import java.io.IOException;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import org.jlvs.api.spi.PacketIo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One interface on AF_PACKET: one receive socket with its ring and thread ({@link RingReader}), or with
 * {@code fanout_threads} > 1 several in one PACKET_FANOUT group, and a send socket for every sending thread
 * ({@link ChannelSender}: receive threads batch their sends per pass over the ring, the others send at once).
 */
final class AfPacketChannel implements PacketIo.Channel {
    private static final Logger LOG = LoggerFactory.getLogger(AfPacketChannel.class);

    private final String name;
    private final int mtu;
    private final int ifindex;
    private final Consumer<AfPacketChannel> onClose;
    private final RingSettings settings;
    private final boolean qdiscBypass;
    private final List<RingReader> readers = new ArrayList<>();
    private ChannelSender sender;
    private final AtomicBoolean closing = new AtomicBoolean();

    private AfPacketChannel(String name, int mtu, int ifindex, RingSettings settings, boolean qdiscBypass,
                            Consumer<AfPacketChannel> onClose) {
        this.name = name;
        this.mtu = mtu;
        this.ifindex = ifindex;
        this.settings = settings;
        this.qdiscBypass = qdiscBypass;
        this.onClose = onClose;
    }

    static AfPacketChannel open(String name, String filter, PacketIo.FrameReceiver receiver, AfPacketSettings config,
                                Consumer<AfPacketChannel> onClose) throws IOException {
        int mtu = readInt(name, "mtu", 1500);
        int ifindex = readInt(name, "ifindex", -1);
        if (ifindex <= 0) throw new IOException("no interface " + name);
        ReceiveOffloads offloads = ReceiveOffloads.of(name);
        String offloadWarning = offloads == null ? null : offloads.warning(name);
        if (offloadWarning != null) LOG.warn(offloadWarning);
        RingSettings ring = RingSettings.of(config.immediate(), mtu, config.ringBytes(), config.retireMillis());
        AfPacketChannel channel = new AfPacketChannel(name, mtu, ifindex, ring, config.qdiscBypass(), onClose);
        try {
            channel.openReaders(filter, receiver, config.fanoutThreads());
            channel.sender = new ChannelSender(channel.openSend(), mtu, SendCalls.LIBC);
        } catch (IOException | RuntimeException | Error e) {
            channel.release();
            throw e instanceof IOException io ? io : new IOException(e.toString(), e);
        }
        for (RingReader r : channel.readers) r.start();
        return channel;
    }

    /**
     * One reader, or {@code threads} readers in a new fanout group (by flow hash: a connection's frames stay on
     * one thread, in order), each with a receiver of its own. A receiver that cannot be called from several
     * threads (its {@link PacketIo.FrameReceiver#forAnotherThread()} is null) gets one reader.
     */
    private void openReaders(String filter, PacketIo.FrameReceiver receiver, int threads) throws IOException {
        List<PacketIo.FrameReceiver> receivers = new ArrayList<>(List.of(receiver));
        for (int i = 1; i < threads; i++) {
            PacketIo.FrameReceiver another = receiver.forAnotherThread();
            if (another == null) {
                LOG.warn("fanout_threads = {}: the receiver of {} takes frames on one thread only; receiving on one",
                        threads, name);
                break;
            }
            receivers.add(another);
        }
        if (receivers.size() == 1) {
            readers.add(RingReader.open(name, ifindex, filter, settings, receiver, 0, 0));
            return;
        }
        int mode = (LibC.PACKET_FANOUT_HASH | LibC.PACKET_FANOUT_FLAG_IGNORE_OUTGOING) << 16;
        RingReader first = RingReader.open(name, ifindex, filter, settings, receivers.get(0), 0,
                mode | (LibC.PACKET_FANOUT_FLAG_UNIQUEID << 16));
        readers.add(first);
        int group = first.fanoutGroup();
        for (int i = 1; i < receivers.size(); i++) {
            readers.add(RingReader.open(name, ifindex, filter, settings, receivers.get(i), i, mode | group));
        }
    }

    String describe() {
        return (settings.version() == LibC.TPACKET_V3 ? "TPACKET_V3, block timeout " + settings.retireMillis() + " ms"
                : "TPACKET_V2 (immediate)") + ", ring " + (settings.bytes() >> 10) + " KiB, mtu " + mtu
                + (readers.size() > 1 ? ", fanout over " + readers.size() + " receive threads" : "")
                + (qdiscBypass ? ", qdisc bypass" : "") + ", sends batched per ring pass";
    }

    /** The send socket: bound with protocol 0, so the kernel never queues a received frame on it. */
    private int openSend() throws IOException {
        int fd = check(LibC.socket(LibC.AF_PACKET, LibC.SOCK_RAW, 0), "socket");
        try {
            if (qdiscBypass) setInt(fd, LibC.SOL_PACKET, LibC.PACKET_QDISC_BYPASS, 1, "PACKET_QDISC_BYPASS");
            bind(fd, ifindex, 0, name);
            return fd;
        } catch (IOException e) {
            LibC.close(fd);
            throw e;
        }
    }

    static void bind(int fd, int ifindex, int protocol, String name) throws IOException {
        Memory sll = new Memory(20); // struct sockaddr_ll
        sll.clear();
        sll.setShort(0, (short) LibC.AF_PACKET);
        sll.setShort(2, (short) LibC.htons(protocol));
        sll.setInt(4, ifindex);
        check(LibC.bind(fd, Pointer.nativeValue(sll), 20), "bind to " + name);
        Reference.reachabilityFence(sll);
    }

    /**
     * Sends a frame. From a receive thread inside its pass over the ring the frame is queued and sent with the
     * pass's other frames for this interface when the pass ends (true: queued); from any other thread at once.
     */
    @Override
    public boolean send(byte[] frame, int offset, int length) {
        return sender.send(frame, offset, length);
    }

    @Override
    public String name() { return name; }

    @Override
    public int mtu() { return mtu; }

    @Override
    public long receivedFrames() {
        long n = 0;
        for (RingReader r : readers) n += r.received();
        return n;
    }

    @Override
    public long sentFrames() { return sender.sent(); }

    /** Send failures, frames cut at the ring's slot size, frames the receiver threw on, and the kernel's drops for a full ring. */
    @Override
    public long droppedFrames() {
        long n = sender.failures();
        for (RingReader r : readers) n += r.dropped();
        return n;
    }

    /** The receive threads (tests). */
    int readerCount() {
        return readers.size();
    }

    /**
     * Once. Senders on other threads may be inside {@code send} right now: the send socket's number is taken
     * over by a placeholder (dup2, atomic), so that a late sendto fails instead of writing to whatever socket
     * the number would be given to next; the placeholder is closed later, when no send can still be running.
     * Each receive thread releases its own ring and socket when it sees the flag.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) return;
        sender.close();
        for (RingReader r : readers) r.stop();
        retireSendSocket();
        for (RingReader r : readers) {
            if (!r.join(2 * RingReader.POLL_MILLIS + 1000)) {
                LOG.warn("a receive thread of {} has not stopped yet; it releases its ring when it does", name);
            }
        }
        onClose.accept(this);
    }

    /** The send socket's number (tests: it must not be handed out again while a send may still use it). */
    int sendDescriptor() {
        return sender.descriptor();
    }

    private void retireSendSocket() {
        int fd = sender.descriptor();
        int placeholder = LibC.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM, 0);
        if (placeholder >= 0 && LibC.dup2(placeholder, fd) == fd) {
            LibC.close(placeholder);
            CompletableFuture.delayedExecutor(10, TimeUnit.SECONDS).execute(() -> LibC.close(fd));
        } else {
            if (placeholder >= 0) LibC.close(placeholder);
            LibC.close(fd);
        }
    }

    /** A failed open: nothing runs yet. */
    private void release() {
        for (RingReader r : readers) r.releaseSocket();
        if (sender != null) LibC.close(sender.descriptor());
    }

    static void setInt(int fd, int level, int option, int value, String what) throws IOException {
        Memory m = new Memory(4);
        m.setInt(0, value);
        check(LibC.setsockopt(fd, level, option, Pointer.nativeValue(m), 4), what);
        Reference.reachabilityFence(m);
    }

    static boolean trySetInt(int fd, int level, int option, int value) {
        Memory m = new Memory(4);
        m.setInt(0, value);
        boolean ok = LibC.setsockopt(fd, level, option, Pointer.nativeValue(m), 4) == 0;
        Reference.reachabilityFence(m);
        return ok;
    }

    static int check(int result, String what) throws IOException {
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
