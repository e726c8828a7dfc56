package org.jlvs.packetio.afpacket.internal;

/**
 * The system calls of the send side, by address: libc in production, a recorder in the tests of the batching.
 */
interface SendCalls {
    /** One frame of {@code length} bytes at {@code buffer}; returns the bytes sent or -1. */
    long sendto(int fd, long buffer, int length);

    /** {@code count} messages of a {@code struct mmsghdr[]} at {@code vector}; returns how many went, or -1. */
    int sendmmsg(int fd, long vector, int count);

    /**
     * Reads (and so clears) the socket's pending error: after a partial sendmmsg the kernel keeps the failed
     * message's error on the socket, and the next send would fail on it. {@code scratch}: an int for the value,
     * then an int (socklen_t) holding 4.
     */
    void clearError(int fd, long scratch);

    SendCalls LIBC = new SendCalls() {
        @Override
        public long sendto(int fd, long buffer, int length) {
            return LibC.sendto(fd, buffer, length, 0, 0, 0);
        }

        @Override
        public int sendmmsg(int fd, long vector, int count) {
            return LibC.sendmmsg(fd, vector, count, 0);
        }

        @Override
        public void clearError(int fd, long scratch) {
            LibC.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_ERROR, scratch, scratch + 4);
        }
    };
}
