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
        void onFrame(byte[] frame, int length);
    }

    /** An open interface. */
    @ConsumerType
    interface Channel extends AutoCloseable {
        String name();

        int mtu();

        /** Sends one frame. Safe to call from any thread: each calling thread uses its own send handle. */
        boolean send(byte[] frame, int offset, int length);

        long receivedFrames();

        long sentFrames();

        /** Frames the send call refused or that libpcap reports as dropped. */
        long droppedFrames();

        @Override
        void close();
    }
}
