/*
 * UDP echo load for the jlvs bench (compiled at run time by bench.sh; python is too slow for this).
 *
 *   udpblast echo PORT [THREADS] [LIFETIME_S]
 *       echo server: THREADS sockets bound to PORT with SO_REUSEPORT, each echoing every datagram back to its
 *       sender in batches (recvmmsg/sendmmsg), from the address it was sent to (IP_PKTINFO: behind direct
 *       routing or a tunnel that is the VIP, held on lo, not the address of the outgoing interface). Exits by
 *       itself after LIFETIME_S (default 3600).
 *   udpblast blast HOST[,HOST...] PORT SOCKETS SECONDS [PAYLOAD] [WINDOW]
 *       client: SOCKETS connected sockets (each its own source port, so its own flow; socket i to the
 *       (i mod n)-th HOST: client-side round robin when the hosts are the real servers), each keeping WINDOW
 *       datagrams of PAYLOAD bytes (64) in flight; a reply frees a slot. Runs SECONDS (bounded), then prints
 *       "replies_per_sec N sent S received R". A socket that hears nothing for 200 ms gets its window again,
 *       so losses do not stall it.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH 64
#define MAXPAY 1472

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what) {
    perror(what);
    exit(1);
}

/* ---------------------------------------------------------------- echo */

static int echo_port;
static double echo_until;

static void *echo_loop(void *arg) {
    (void)arg;
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    if (fd < 0) die("socket");
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    struct timeval tv = {1, 0}; /* wake up now and then to honour the lifetime */
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(echo_port), .sin_addr.s_addr = INADDR_ANY};
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0) die("bind");

    static __thread char bufs[BATCH][MAXPAY];
    struct sockaddr_in peers[BATCH];
    struct iovec iov[BATCH];
    struct mmsghdr msgs[BATCH];
    static __thread char ctrl[BATCH][CMSG_SPACE(sizeof(struct in_pktinfo))];
    while (now() < echo_until) {
        for (int i = 0; i < BATCH; i++) {
            iov[i].iov_base = bufs[i];
            iov[i].iov_len = MAXPAY;
            memset(&msgs[i], 0, sizeof msgs[i]);
            msgs[i].msg_hdr.msg_iov = &iov[i];
            msgs[i].msg_hdr.msg_iovlen = 1;
            msgs[i].msg_hdr.msg_name = &peers[i];
            msgs[i].msg_hdr.msg_namelen = sizeof peers[i];
            msgs[i].msg_hdr.msg_control = ctrl[i];
            msgs[i].msg_hdr.msg_controllen = sizeof ctrl[i];
        }
        /* block for the first datagram, then take whatever else is already queued */
        int n = recvmmsg(fd, msgs, BATCH, MSG_WAITFORONE, NULL);
        if (n <= 0) continue;
        for (int i = 0; i < n; i++) {
            iov[i].iov_len = msgs[i].msg_len;
            /* reply from the datagram's destination (ipi_spec_dst), routed as the kernel likes (no ifindex) */
            for (struct cmsghdr *c = CMSG_FIRSTHDR(&msgs[i].msg_hdr); c; c = CMSG_NXTHDR(&msgs[i].msg_hdr, c)) {
                if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
                    ((struct in_pktinfo *)CMSG_DATA(c))->ipi_ifindex = 0;
                }
            }
        }
        int sent = 0;
        while (sent < n) {
            int k = sendmmsg(fd, msgs + sent, n - sent, 0);
            if (k <= 0) break; /* a full buffer: drop the rest, as a real server would */
            sent += k;
        }
    }
    close(fd);
    return NULL;
}

static int echo_main(int argc, char **argv) {
    if (argc < 3) return 2;
    echo_port = atoi(argv[2]);
    int threads = argc > 3 ? atoi(argv[3]) : 1;
    double lifetime = argc > 4 ? atof(argv[4]) : 3600;
    echo_until = now() + lifetime;
    pthread_t t[64];
    if (threads < 1 || threads > 64) threads = 1;
    for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, echo_loop, NULL);
    fprintf(stderr, "udpblast: echo on %d with %d threads\n", echo_port, threads);
    for (int i = 0; i < threads; i++) pthread_join(t[i], NULL);
    return 0;
}

/* ---------------------------------------------------------------- blast */

static int blast_main(int argc, char **argv) {
    if (argc < 6) return 2;
    const char *host = argv[2];
    int port = atoi(argv[3]);
    int nsock = atoi(argv[4]);
    double seconds = atof(argv[5]);
    int payload = argc > 6 ? atoi(argv[6]) : 64;
    int window = argc > 7 ? atoi(argv[7]) : 32;
    if (nsock < 1 || nsock > 1024 || payload < 1 || payload > MAXPAY || window < 1 || window > BATCH || seconds <= 0 ||
        seconds > 3600) {
        fprintf(stderr, "udpblast: bad arguments\n");
        return 2;
    }
    struct sockaddr_in dst[16];
    int ndst = 0;
    char hosts[256];
    snprintf(hosts, sizeof hosts, "%s", host);
    for (char *save = NULL, *h = strtok_r(hosts, ",", &save); h; h = strtok_r(NULL, ",", &save)) {
        if (ndst == 16) {
            fprintf(stderr, "udpblast: at most 16 hosts\n");
            return 2;
        }
        dst[ndst] = (struct sockaddr_in){.sin_family = AF_INET, .sin_port = htons(port)};
        if (inet_pton(AF_INET, h, &dst[ndst].sin_addr) != 1) die("address");
        ndst++;
    }
    if (ndst == 0) die("address");

    int ep = epoll_create1(0);
    int *fds = calloc(nsock, sizeof(int));
    int *inflight = calloc(nsock, sizeof(int));
    double *last_reply = calloc(nsock, sizeof(double));
    char out[MAXPAY];
    memset(out, 'j', sizeof out);
    static char in[BATCH][MAXPAY];
    struct iovec oiov = {.iov_base = out, .iov_len = payload};
    struct mmsghdr omsg[BATCH];
    for (int i = 0; i < BATCH; i++) {
        memset(&omsg[i], 0, sizeof omsg[i]);
        omsg[i].msg_hdr.msg_iov = &oiov;
        omsg[i].msg_hdr.msg_iovlen = 1;
    }
    struct iovec iiov[BATCH];
    struct mmsghdr imsg[BATCH];

    long long sent = 0, received = 0, counted = 0;
    double start = now();
    double warm = start + (seconds >= 5 ? 1.0 : seconds / 5); /* replies before this are not counted */
    double end = warm + seconds;
    for (int s = 0; s < nsock; s++) {
        fds[s] = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
        if (fds[s] < 0 || connect(fds[s], (struct sockaddr *)&dst[s % ndst], sizeof dst[0]) < 0) die("socket/connect");
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = s};
        epoll_ctl(ep, EPOLL_CTL_ADD, fds[s], &ev);
        int k = sendmmsg(fds[s], omsg, window, 0);
        if (k > 0) sent += k, inflight[s] = k;
        last_reply[s] = start;
    }
    struct epoll_event evs[256];
    double t = start, next_check = start + 0.1;
    while (t < end) {
        int n = epoll_wait(ep, evs, 256, 10);
        t = now();
        for (int e = 0; e < n; e++) {
            int s = evs[e].data.u32;
            for (int i = 0; i < BATCH; i++) {
                iiov[i].iov_base = in[i];
                iiov[i].iov_len = MAXPAY;
                memset(&imsg[i], 0, sizeof imsg[i]);
                imsg[i].msg_hdr.msg_iov = &iiov[i];
                imsg[i].msg_hdr.msg_iovlen = 1;
            }
            int r = recvmmsg(fds[s], imsg, BATCH, MSG_DONTWAIT, NULL);
            if (r <= 0) continue;
            received += r;
            if (t >= warm) counted += r;
            inflight[s] = inflight[s] > r ? inflight[s] - r : 0;
            last_reply[s] = t;
            int want = window - inflight[s];
            if (want > 0) {
                int k = sendmmsg(fds[s], omsg, want, 0);
                if (k > 0) sent += k, inflight[s] += k;
            }
        }
        if (t >= next_check) { /* refill sockets whose datagrams were lost */
            next_check = t + 0.1;
            for (int s = 0; s < nsock; s++) {
                if (t - last_reply[s] > 0.2) {
                    int k = sendmmsg(fds[s], omsg, window, 0);
                    if (k > 0) sent += k;
                    inflight[s] = window;
                    last_reply[s] = t;
                }
            }
        }
    }
    double counted_for = now() - warm;
    printf("replies_per_sec %.0f sent %lld received %lld\n", counted / counted_for, sent, received);
    return 0;
}

int main(int argc, char **argv) {
    int rc = 2;
    if (argc > 1 && strcmp(argv[1], "echo") == 0) rc = echo_main(argc, argv);
    else if (argc > 1 && strcmp(argv[1], "blast") == 0) rc = blast_main(argc, argv);
    if (rc == 2)
        fprintf(stderr, "usage: udpblast echo PORT [THREADS] [LIFETIME_S]\n"
                        "       udpblast blast HOST[,HOST...] PORT SOCKETS SECONDS [PAYLOAD] [WINDOW]\n");
    return rc;
}
