package org.jlvs.core.internal;

import org.jlvs.api.spi.PacketIo;

/** The channel of a link whose interface could not be reopened: it sends nothing, until a PacketIo opens it again. */
record DownChannel(String name, int mtu) implements PacketIo.Channel {
    @Override public boolean send(byte[] frame, int offset, int length) { return false; }
    @Override public long receivedFrames() { return 0; }
    @Override public long sentFrames() { return 0; }
    @Override public long droppedFrames() { return 0; }
    @Override public void close() {}
}
