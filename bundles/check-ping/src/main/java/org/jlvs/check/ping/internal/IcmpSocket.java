package org.jlvs.check.ping.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * An ICMP socket through libc (Java has none): SOCK_RAW (root or CAP_NET_RAW), else the kernel's unprivileged
 * SOCK_DGRAM ICMP socket (net.ipv4.ping_group_range). Receives block at most {@link #RECEIVE_TIMEOUT_MILLIS}.
 */
final class IcmpSocket implements AutoCloseable {
    static final int RECEIVE_TIMEOUT_MILLIS = 200;
    private static final int AF_INET = 2, SOCK_RAW = 3, SOCK_DGRAM = 2, IPPROTO_ICMP = 1;
    private static final int SOL_SOCKET = 1, SO_RCVTIMEO = 20, EAGAIN = 11, EINTR = 4;

    interface LibC extends Library {
        int socket(int domain, int type, int protocol);

        long sendto(int fd, byte[] buf, long len, int flags, byte[] addr, int addrlen);

        long recvfrom(int fd, byte[] buf, long len, int flags, byte[] addr, int[] addrlen);

        int setsockopt(int fd, int level, int name, byte[] value, int length);

        int close(int fd);

        String strerror(int errno);
    }

    private final LibC libc;
    private final int fd;
    /** Raw sockets see IP headers and every ICMP message of the host; datagram sockets only their own echo replies. */
    final boolean raw;
    private volatile boolean closed;

    IcmpSocket() throws IOException {
        libc = Native.load("c", LibC.class);
        int s = libc.socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
        boolean isRaw = s >= 0;
        if (s < 0) s = libc.socket(AF_INET, SOCK_DGRAM, IPPROTO_ICMP);
        if (s < 0) {
            throw new IOException("cannot open an ICMP socket (" + error() + "): run as root, give CAP_NET_RAW,"
                    + " or allow the group in net.ipv4.ping_group_range");
        }
        fd = s;
        raw = isRaw;
        ByteBuffer tv = ByteBuffer.allocate(16).order(ByteOrder.nativeOrder());
        tv.putLong(0).putLong(RECEIVE_TIMEOUT_MILLIS * 1000L); // struct timeval {tv_sec, tv_usec}
        if (libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, tv.array(), 16) != 0) {
            String e = error();
            libc.close(fd);
            throw new IOException("setsockopt SO_RCVTIMEO: " + e);
        }
    }

    /** Sends an ICMP message to {@code address}; null when sent, else the error. */
    String send(byte[] message, int length, int address) {
        byte[] sa = new byte[16]; // struct sockaddr_in
        ByteBuffer.wrap(sa).order(ByteOrder.nativeOrder()).putShort((short) AF_INET);
        ByteBuffer.wrap(sa, 4, 4).putInt(address); // network order
        long n = libc.sendto(fd, message, length, 0, sa, 16);
        return n < 0 ? error() : null;
    }

    /** Receives one message: its length, 0 when the timeout passed, -1 when closed or failing. */
    int receive(byte[] buffer) {
        if (closed) return -1;
        long n = libc.recvfrom(fd, buffer, buffer.length, 0, null, null);
        if (n >= 0) return (int) n;
        int errno = Native.getLastError();
        if (errno == EAGAIN || errno == EINTR) return 0;
        return closed ? -1 : 0;
    }

    private String error() {
        int errno = Native.getLastError();
        return libc.strerror(errno) + " (errno " + errno + ")";
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        libc.close(fd);
    }
}
