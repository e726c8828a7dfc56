/*
 * jlvs-tunnel-endpoint: the real-server end of jlvs's (and IPVS's) tunnel forwarding, in user space, for real
 * servers whose kernel cannot decapsulate (no ipip / fou modules).
 *
 * It receives the director's IPIP packets (IP protocol 4, on a raw socket), IPv6-in-IPv6 packets (next header
 * 41, on a raw IPv6 socket) and GUE packets over IPv4 or IPv6 (UDP to --gue-port), takes out the inner IPv4 or
 * IPv6 packet and writes it into a TUN device that it creates and brings up. The kernel then receives the inner packet as if it had arrived on that device: with the virtual address
 * on lo it is delivered to the local service, whose reply goes to the client directly.
 *
 * Sockets rather than packet capture: the kernel reassembles fragmented tunnel packets before a raw or UDP
 * socket sees them, and it answers neither with "protocol unreachable" (IPIP: a raw socket for protocol 4
 * exists) nor with "port unreachable" (GUE: the port is bound), so no firewall rule is needed.
 *
 *   jlvs-tunnel-endpoint [--dev NAME] [--no-ipip] [--gue-port PORT] [--allow ADDR]... [--stats-every SECONDS]
 *
 *   --dev NAME        the TUN device (default jlvstun0): an existing persistent one (start.sh creates it with
 *                     the virtual addresses on it), else a new one that goes when the program exits
 *   --no-ipip         do not take IPIP (only GUE)
 *   --gue-port PORT   take GUE (version 0 carrying IPIP, or version 1 direct IPv4) on this UDP port
 *   --allow ADDR      accept tunnel packets only from this outer source (the director, IPv4 or IPv6);
 *                     repeatable (16 of each family at most). Without any, any host that reaches this one can
 *                     inject packets with any source; with only IPv4 ones, no IPv6 tunnel packet is accepted.
 *   --stats-every S   print the counters to stderr every S seconds (also on SIGUSR1 and at exit)
 *
 * Exits 0 on SIGTERM/SIGINT, 1 on a setup error. IPv4 and IPv6 inner packets are delivered, each only in a
 * tunnel of its own family (IPVS tunnels IPv4 in IPv4 and IPv6 in IPv6).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_ALLOWED 16
#define BUFFER 65536
#define BATCH 32

static volatile sig_atomic_t stop, dump;
static struct {
    unsigned long long ipip, ip6ip6, gue, delivered, not_allowed, malformed, write_errors;
} count;
static uint32_t allowed[MAX_ALLOWED];
static int n_allowed;
static struct in6_addr allowed6[MAX_ALLOWED];
static int n_allowed6;

static void on_stop(int sig) { (void)sig; stop = 1; }
static void on_dump(int sig) { (void)sig; dump = 1; }

static void print_counters(void) {
    fprintf(stderr, "jlvs-tunnel-endpoint: ipip %llu ip6ip6 %llu gue %llu delivered %llu not_allowed %llu "
            "malformed %llu write_errors %llu\n", count.ipip, count.ip6ip6, count.gue, count.delivered,
            count.not_allowed, count.malformed, count.write_errors);
}

static int is_allowed6(const struct in6_addr *source) {
    if (n_allowed == 0 && n_allowed6 == 0) return 1;
    for (int i = 0; i < n_allowed6; i++)
        if (!memcmp(&allowed6[i], source, sizeof *source)) return 1;
    return 0;
}

/* Writes the IPv6 packet at p (at most len bytes available) into the TUN device, if it is one. */
static void deliver6(int tun, const unsigned char *p, size_t len) {
    if (len < 40 || (p[0] >> 4) != 6) { count.malformed++; return; }
    size_t total = 40 + ((size_t)p[4] << 8 | p[5]);
    if (total > len) { count.malformed++; return; }
    if (write(tun, p, total) != (ssize_t)total) { count.write_errors++; return; }
    count.delivered++;
}

/* An IPv6-in-IPv6 packet from the raw IPv6 socket: it comes without its outer header (the kernel strips it). */
static void on_ip6ip6(int tun, const unsigned char *p, size_t len, const struct in6_addr *source) {
    count.ip6ip6++;
    if (!is_allowed6(source)) { count.not_allowed++; return; }
    deliver6(tun, p, len);
}

static int is_allowed(uint32_t source) {
    if (n_allowed == 0 && n_allowed6 == 0) return 1;
    for (int i = 0; i < n_allowed; i++)
        if (allowed[i] == source) return 1;
    return 0;
}

/* Writes the IPv4 packet at p (at most len bytes available) into the TUN device, if it is one. */
static void deliver(int tun, const unsigned char *p, size_t len) {
    if (len < 20 || (p[0] >> 4) != 4) { count.malformed++; return; }
    size_t ihl = (size_t)(p[0] & 0x0f) * 4;
    size_t total = (size_t)p[2] << 8 | p[3];
    if (ihl < 20 || total < ihl || total > len) { count.malformed++; return; }
    if (write(tun, p, total) != (ssize_t)total) { count.write_errors++; return; }
    count.delivered++;
}

/* An IPIP packet from the raw socket: the outer IPv4 header comes with it. */
static void on_ipip(int tun, const unsigned char *p, size_t len) {
    count.ipip++;
    if (len < 20 || (p[0] >> 4) != 4) { count.malformed++; return; }
    size_t ihl = (size_t)(p[0] & 0x0f) * 4;
    if (ihl < 20 || ihl > len || p[9] != IPPROTO_IPIP) { count.malformed++; return; }
    uint32_t source;
    memcpy(&source, p + 12, 4);
    if (!is_allowed(source)) { count.not_allowed++; return; }
    deliver(tun, p + ihl, len - ihl);
}

/*
 * A GUE payload from a UDP socket (RFC draft-ietf-intarea-gue): version 0 with IPIP (or IPv6, next header 41)
 * inside, or version 1 (direct IP: the inner header's own version nibble). The inner family must be the outer's.
 */
static void on_gue(int tun, const unsigned char *p, size_t len, int allowed_source, int outer6) {
    count.gue++;
    if (!allowed_source) { count.not_allowed++; return; }
    if (len < 4) { count.malformed++; return; }
    int version = p[0] >> 6;
    if (version == 1) { /* direct IP encapsulation: an IPv4 header starts with 0100, an IPv6 one with 0110 */
        if (outer6) deliver6(tun, p, len);
        else deliver(tun, p, len);
        return;
    }
    int inner = outer6 ? IPPROTO_IPV6 : IPPROTO_IPIP;
    if (version != 0 || (p[0] & 0x20) || p[1] != inner) { count.malformed++; return; } /* control, other family */
    size_t header = 4 + (size_t)(p[0] & 0x1f) * 4;
    if (header > len) { count.malformed++; return; }
    if (outer6) deliver6(tun, p + header, len - header);
    else deliver(tun, p + header, len - header);
}

static int open_tun(const char *name) {
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0) { perror("open /dev/net/tun"); return -1; }
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
    snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) { perror("TUNSETIFF"); close(fd); return -1; }
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0) { perror("SIOCGIFFLAGS"); close(fd); return -1; }
    ifr.ifr_flags |= IFF_UP;
    if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0) { perror("SIOCSIFFLAGS"); close(s); close(fd); return -1; }
    close(s);
    /* The inner packets come from clients that this host reaches through another interface: strict reverse-
     * path filtering on the TUN device would drop them, loose mode keeps the check against spoofed sources.
     * (Any mode but 0 also needs an IPv4 address on the device: start.sh puts the VIPs there.) */
    char path[128];
    snprintf(path, sizeof path, "/proc/sys/net/ipv4/conf/%s/rp_filter", name);
    int rp = open(path, O_WRONLY | O_CLOEXEC);
    if (rp < 0 || write(rp, "2\n", 2) != 2) fprintf(stderr, "jlvs-tunnel-endpoint: warning: cannot set %s\n", path);
    if (rp >= 0) close(rp);
    return fd;
}

static void grow_receive_buffer(int fd) {
    int size = 4 << 20;
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
}

static void usage(void) {
    fprintf(stderr, "usage: jlvs-tunnel-endpoint [--dev NAME] [--no-ipip] [--gue-port PORT] [--allow ADDR]... "
            "[--stats-every SECONDS]\n");
}

int main(int argc, char **argv) {
    const char *dev = "jlvstun0";
    int ipip = 1, gue_port = 0, stats_every = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--dev") && v) dev = argv[++i];
        else if (!strcmp(a, "--no-ipip")) ipip = 0;
        else if (!strcmp(a, "--gue-port") && v) {
            gue_port = atoi(argv[++i]);
            if (gue_port < 1 || gue_port > 65535) { fprintf(stderr, "bad --gue-port %s\n", v); return 1; }
        } else if (!strcmp(a, "--allow") && v) {
            struct in_addr addr;
            struct in6_addr addr6;
            i++;
            if (n_allowed < MAX_ALLOWED && inet_pton(AF_INET, v, &addr) == 1) allowed[n_allowed++] = addr.s_addr;
            else if (n_allowed6 < MAX_ALLOWED && inet_pton(AF_INET6, v, &addr6) == 1) allowed6[n_allowed6++] = addr6;
            else {
                fprintf(stderr, "bad or too many --allow: %s\n", v);
                return 1;
            }
        } else if (!strcmp(a, "--stats-every") && v) stats_every = atoi(argv[++i]);
        else { usage(); return strcmp(a, "--help") ? 1 : 0; }
    }
    if (!ipip && !gue_port) { fprintf(stderr, "nothing to receive: IPIP is off and no --gue-port\n"); return 1; }

    int tun = open_tun(dev);
    if (tun < 0) return 1;
    struct pollfd fds[4];
    int nfds = 0, raw = -1, raw6 = -1, udp = -1, udp6 = -1;
    if (ipip) {
        raw = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_IPIP);
        if (raw < 0) { perror("raw socket for IPIP (needs CAP_NET_RAW)"); return 1; }
        grow_receive_buffer(raw);
        fds[nfds++] = (struct pollfd){.fd = raw, .events = POLLIN};
        /* IPv6 in IPv6: a host without IPv6 has no such socket, and IPv4 tunnels still work */
        raw6 = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, IPPROTO_IPV6);
        if (raw6 >= 0) {
            grow_receive_buffer(raw6);
            fds[nfds++] = (struct pollfd){.fd = raw6, .events = POLLIN};
        }
    }
    if (gue_port) {
        udp = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(gue_port), .sin_addr.s_addr = INADDR_ANY};
        if (udp < 0 || bind(udp, (struct sockaddr *)&a, sizeof a) < 0) { perror("GUE socket"); return 1; }
        grow_receive_buffer(udp);
        fds[nfds++] = (struct pollfd){.fd = udp, .events = POLLIN};
        udp6 = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        int only = 1;
        struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons(gue_port), .sin6_addr = in6addr_any};
        if (udp6 >= 0 && setsockopt(udp6, IPPROTO_IPV6, IPV6_V6ONLY, &only, sizeof only) == 0
                && bind(udp6, (struct sockaddr *)&a6, sizeof a6) == 0) {
            grow_receive_buffer(udp6);
            fds[nfds++] = (struct pollfd){.fd = udp6, .events = POLLIN};
        } else if (udp6 >= 0) {
            close(udp6);
            udp6 = -1;
        }
    }

    struct sigaction sa = {.sa_handler = on_stop};
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_dump;
    sigaction(SIGUSR1, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    fprintf(stderr, "jlvs-tunnel-endpoint: %s up; ipip %s, ip6ip6 %s, gue %s%d%s, %d allowed source(s)\n", dev,
            ipip ? "on" : "off", raw6 >= 0 ? "on" : "off", gue_port ? "port " : "off", gue_port,
            udp6 >= 0 ? " (also IPv6)" : "", n_allowed + n_allowed6);

    /* one receive system call takes up to BATCH packets (reassembled ones can reach 64 KiB) */
    static unsigned char bufs[BATCH][BUFFER];
    static struct sockaddr_in6 from[BATCH]; /* big enough for either family */
    static struct iovec iov[BATCH];
    static struct mmsghdr msgs[BATCH];
    time_t next_stats = stats_every > 0 ? time(NULL) + stats_every : 0;
    while (!stop) {
        int n = poll(fds, nfds, 1000);
        if (dump || (next_stats && time(NULL) >= next_stats)) {
            dump = 0;
            if (next_stats) next_stats = time(NULL) + stats_every;
            print_counters();
        }
        if (n < 0) {
            if (errno == EINTR) continue;
            perror("poll");
            return 1;
        }
        for (int k = 0; k < nfds; k++) {
            if (!(fds[k].revents & POLLIN)) continue;
            for (int i = 0; i < BATCH; i++) {
                iov[i] = (struct iovec){.iov_base = bufs[i], .iov_len = BUFFER};
                msgs[i].msg_hdr = (struct msghdr){.msg_name = &from[i], .msg_namelen = sizeof from[i],
                                                  .msg_iov = &iov[i], .msg_iovlen = 1};
            }
            /* what is queued now, up to a batch; the other socket gets its turn before the rest */
            int n = recvmmsg(fds[k].fd, msgs, BATCH, MSG_DONTWAIT, NULL);
            for (int i = 0; i < n; i++) {
                int fd = fds[k].fd;
                if (fd == raw) on_ipip(tun, bufs[i], msgs[i].msg_len);
                else if (fd == raw6) on_ip6ip6(tun, bufs[i], msgs[i].msg_len, &from[i].sin6_addr);
                else if (fd == udp6) on_gue(tun, bufs[i], msgs[i].msg_len, is_allowed6(&from[i].sin6_addr), 1);
                else on_gue(tun, bufs[i], msgs[i].msg_len,
                            is_allowed(((struct sockaddr_in *)&from[i])->sin_addr.s_addr), 0);
            }
        }
    }
    print_counters();
    return 0;
}
