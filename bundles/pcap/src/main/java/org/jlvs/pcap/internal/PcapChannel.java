package org.jlvs.pcap.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.jlvs.api.spi.PacketIo;
import org.pcap4j.core.BpfProgram.BpfCompileMode;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface.PromiscuousMode;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.RawPacketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One interface: a receive handle driven by its own thread through {@code pcap_loop}, and one send handle
 * per sending thread so that no handle is shared between threads and no lock is held across a send.
 */
final class PcapChannel implements PacketIo.Channel {
    private static final Logger LOG = LoggerFactory.getLogger(PcapChannel.class);
    private static final int SNAPLEN = 65535;
    /** Send handles must not collect a copy of every frame in their receive ring: capture nothing. */
    private static final String CAPTURE_NOTHING = "less 1";

    private final String name;
    private final int mtu;
    private final PcapHandle receiveHandle;
    private final Thread receiveThread;
    private final Consumer<PcapChannel> onClose;
    private final List<PcapHandle> sendHandles = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Sender> senders = ThreadLocal.withInitial(this::newSender);
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong sendFailures = new AtomicLong();
    private volatile boolean closed;

    private PcapChannel(String name, int mtu, PcapHandle receiveHandle,
                        PacketIo.FrameReceiver receiver, Consumer<PcapChannel> onClose) {
        this.name = name;
        this.mtu = mtu;
        this.receiveHandle = receiveHandle;
        this.onClose = onClose;
        RawPacketListener listener = bytes -> {
            received.incrementAndGet();
            receiver.onFrame(bytes, bytes.length);
        };
        this.receiveThread = new Thread(() -> receiveLoop(listener), "jlvs-rx-" + name);
        this.receiveThread.setDaemon(true);
    }

    static PcapChannel open(String name, String filter, PacketIo.FrameReceiver receiver,
                            Consumer<PcapChannel> onClose) throws PcapNativeException {
        int mtu = readMtu(name);
        PcapHandle handle = new PcapHandle.Builder(name)
                .snaplen(SNAPLEN)
                .promiscuousMode(PromiscuousMode.NONPROMISCUOUS)
                .timeoutMillis(1)
                .immediateMode(true) // without it the block timeout adds latency per direction
                .bufferSize(16 << 20)
                .build();
        try {
            if (filter != null && !filter.isBlank()) {
                handle.setFilter(filter, BpfCompileMode.OPTIMIZE);
            }
        } catch (NotOpenException e) {
            handle.close();
            throw new PcapNativeException(e.getMessage());
        } catch (PcapNativeException e) {
            handle.close();
            throw e;
        }
        PcapChannel channel = new PcapChannel(name, mtu, handle, receiver, onClose);
        channel.receiveThread.start();
        return channel;
    }

    private void receiveLoop(RawPacketListener listener) {
        try {
            receiveHandle.loop(-1, listener);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            if (!closed) LOG.error("receive loop on {} ended: {}", name, e.toString(), e);
        }
    }

    /** A thread's own send handle with a scratch buffer, because pcap4j sends from offset 0 only. */
    private static final class Sender {
        final PcapHandle handle;
        final byte[] scratch = new byte[SNAPLEN];

        Sender(PcapHandle handle) {
            this.handle = handle;
        }
    }

    private Sender newSender() {
        try {
            PcapHandle handle = new PcapHandle.Builder(name).snaplen(64).timeoutMillis(1)
                    .immediateMode(true).bufferSize(1 << 20).build();
            handle.setFilter(CAPTURE_NOTHING, BpfCompileMode.OPTIMIZE);
            sendHandles.add(handle);
            return new Sender(handle);
        } catch (PcapNativeException | NotOpenException e) {
            LOG.error("cannot open a send handle on {}: {}", name, e.toString());
            return null;
        }
    }

    @Override
    public boolean send(byte[] frame, int offset, int length) {
        if (closed) return false;
        Sender sender = senders.get();
        if (sender == null) {
            sendFailures.incrementAndGet();
            return false;
        }
        byte[] bytes = frame;
        if (offset != 0) {
            System.arraycopy(frame, offset, sender.scratch, 0, length);
            bytes = sender.scratch;
        }
        try {
            sender.handle.sendPacket(bytes, length);
            sent.incrementAndGet();
            return true;
        } catch (PcapNativeException | NotOpenException e) {
            sendFailures.incrementAndGet();
            return false;
        }
    }

    @Override
    public String name() { return name; }

    @Override
    public int mtu() { return mtu; }

    @Override
    public long receivedFrames() { return received.get(); }

    @Override
    public long sentFrames() { return sent.get(); }

    @Override
    public long droppedFrames() {
        long dropped = sendFailures.get();
        try {
            PcapStat stats = receiveHandle.getStats();
            dropped += stats.getNumPacketsDropped() + stats.getNumPacketsDroppedByIf();
        } catch (PcapNativeException | NotOpenException | RuntimeException e) {
            // closed or not supported: only the send failures are known
        }
        return dropped;
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try {
            receiveHandle.breakLoop();
        } catch (NotOpenException e) {
            // already closed
        }
        try {
            receiveThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        receiveHandle.close();
        for (PcapHandle handle : sendHandles) {
            handle.close();
        }
        onClose.accept(this);
    }

    private static int readMtu(String name) {
        try {
            return Integer.parseInt(Files.readString(Path.of("/sys/class/net", name, "mtu")).trim());
        } catch (Exception e) {
            return 1500;
        }
    }
}
