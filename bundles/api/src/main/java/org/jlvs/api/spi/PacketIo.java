package org.jlvs.api.spi;

import java.io.IOException;

import org.osgi.annotation.versioning.ConsumerType;
import org.osgi.annotation.versioning.ProviderType;

/** Frame capture and injection on named network interfaces. */
@ConsumerType
public interface PacketIo {
    /**
     * Opens an interface: frames that match {@code bpfFilter} (libpcap syntax; null for all) are handed to
     * {@code receiver} on a receive thread owned by the channel.
     */
    Channel open(String interfaceName, String bpfFilter, FrameReceiver receiver) throws IOException;

    /**
     * Receives the frames of one channel (a receiver is given to one {@link #open} call, so it knows its
     * channel); {@code frame} is only valid during the call.
     */
    @ProviderType
    interface FrameReceiver {
        /** A frame from a PacketIo that cannot tell whether its TCP/UDP checksum is complete. */
        void onFrame(byte[] frame, int length);

        /**
         * A frame from a PacketIo that knows from the kernel whether its TCP/UDP checksum is only partial
         * (Linux's {@code TP_STATUS_CSUMNOTREADY}: a local sender's TX checksum offload, as on veth, left only
         * the pseudo-header sum in the field). The receiver completes the checksum exactly when
         * {@code checksumPartial} is true, instead of guessing from the field's value.
         *
         * @since 1.1
         */
        default void onFrame(byte[] frame, int length, boolean checksumPartial) {
            onFrame(frame, length);
        }

        /**
         * A receiver for one more receive thread of the same channel (a PacketIo that spreads an interface's
         * frames over several threads, as AF_PACKET's fanout does), with working state of its own; or null when
         * this receiver must only ever be called from one thread, as the default says: the PacketIo then
         * receives on one thread. Called when the channel opens, never per frame.
         *
         * @since 1.2
         */
        default FrameReceiver forAnotherThread() {
            return null;
        }
    }

    /** An open interface. */
    @ConsumerType
    interface Channel extends AutoCloseable {
        String name();

        int mtu();

        /**
         * Sends one frame. Safe to call from any thread: each calling thread uses its own send handle. A PacketIo
         * may queue the frames a receive thread sends while it handles received frames and send them together
         * before it waits for more (true then means queued; a frame the kernel refuses later counts in
         * {@link #droppedFrames()}); the frame's bytes are copied before the call returns.
         */
        boolean send(byte[] frame, int offset, int length);

        long receivedFrames();

        long sentFrames();

        /** Frames the send call refused or that libpcap reports as dropped. */
        long droppedFrames();

        @Override
        void close();
    }
}
