package org.jlvs.packetio.afpacket.internal;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The libc calls of an AF_PACKET socket, by JNA direct mapping: every argument is a primitive (addresses as
 * {@code long}), so a call allocates nothing and costs one JNI transition. Errors: -1 and
 * {@link Native#getLastError()} (errno, kept per thread by JNA).
 */
final class LibC {
    static final int AF_UNIX = 1;
    static final int SOCK_DGRAM = 2;
    static final int AF_PACKET = 17;
    static final int SOCK_RAW = 3;
    static final int ETH_P_ALL = 0x0003;
    static final int SOL_SOCKET = 1;
    static final int SO_ATTACH_FILTER = 26;
    static final int SO_ERROR = 4;
    static final int SOL_PACKET = 263;
    static final int PACKET_ADD_MEMBERSHIP = 1;
    static final int PACKET_MR_ALLMULTI = 2;
    static final int PACKET_RX_RING = 5;
    static final int PACKET_STATISTICS = 6;
    static final int PACKET_VERSION = 10;
    static final int PACKET_FANOUT = 18;
    static final int PACKET_QDISC_BYPASS = 20;
    static final int PACKET_IGNORE_OUTGOING = 23;
    static final int TPACKET_V2 = 1;
    static final int TPACKET_V3 = 2;
    static final int PROT_READ = 1, PROT_WRITE = 2;
    static final int MAP_SHARED = 1;
    static final int POLLIN = 1, POLLERR = 8;
    static final int EINTR = 4, EAGAIN = 11, ENOBUFS = 105;
    static final int MSG_DONTWAIT = 0x40;
    /** PACKET_FANOUT's value: group id (low 16 bits), then the mode and its flags. */
    static final int PACKET_FANOUT_HASH = 0;
    static final int PACKET_FANOUT_FLAG_UNIQUEID = 0x2000;
    /** The group's own PACKET_IGNORE_OUTGOING: joining a group replaces each socket's hook by the group's. */
    static final int PACKET_FANOUT_FLAG_IGNORE_OUTGOING = 0x4000;
    static final int AF_INET = 2;
    static final long SIOCETHTOOL = 0x8946;
    static final int ETHTOOL_GFLAGS = 0x25, ETHTOOL_GGRO = 0x2b;
    static final int ETH_FLAG_LRO = 1 << 15;

    static {
        Native.register(LibC.class, NativeLibrary.getInstance("c", LibC.class.getClassLoader()));
    }

    private LibC() {
    }

    static native int socket(int domain, int type, int protocol);

    static native int setsockopt(int fd, int level, int name, long value, int length);

    static native int getsockopt(int fd, int level, int name, long value, long lengthAddress);

    static native int bind(int fd, long address, int length);

    static native long mmap(long address, long length, int prot, int flags, int fd, long offset);

    static native int munmap(long address, long length);

    static native int poll(long fds, long count, int timeoutMillis);

    static native long sendto(int fd, long buffer, long length, int flags, long address, int addressLength);

    /** struct mmsghdr[count] at {@code vector}; returns how many were sent, -1 when the first one failed. */
    static native int sendmmsg(int fd, long vector, int count, int flags);

    static native int ioctl(int fd, long request, long argument);

    static native int close(int fd);

    static native int dup2(int oldFd, int newFd);

    static native long strerror(int errno);

    /** htons: the protocol field of sockaddr_ll and socket() is in network byte order. */
    static int htons(int value) {
        return ((value & 0xff) << 8) | ((value >> 8) & 0xff);
    }

    static String error(String call) {
        int errno = Native.getLastError();
        return call + " failed: errno " + errno;
    }
}
