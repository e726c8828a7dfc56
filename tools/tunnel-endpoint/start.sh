#!/usr/bin/env bash
# Starts jlvs-tunnel-endpoint on a real server of a tunnelled (-i) virtual service, for kernels without
# ipip/fou support: builds it with gcc when needed, puts the virtual addresses on lo without answering ARP for
# them, and runs it (in the foreground, or with --daemon in the background). Run as root on the real server.
#
#   start.sh --vip VIP [--vip VIP]... [--gue-port PORT] [--no-ipip] [--allow DIRECTOR_IP]... [--dev NAME]
#            [--build-dir DIR] [--daemon --pidfile FILE [--log FILE]]
#
#   --vip VIP         a virtual address the server answers for (added as VIP/32, or VIP6/128, to lo and to
#                     the TUN device); repeatable
#   --gue-port PORT   also take GUE on this UDP port (the service's --tun-port)
#   --no-ipip         take GUE only
#   --allow ADDR      accept tunnel packets only from this director address; repeatable (recommended)
#   --dev NAME        the TUN device (default jlvstun0), created persistent, holding the VIPs as well
#   --build-dir DIR   where the binary is built (default: $XDG_CACHE_HOME or ~/.cache, /jlvs-tunnel-endpoint)
#   --daemon          run in the background (setsid), writing its pid to --pidfile and its output to --log
#
# Stop it with kill $(cat PIDFILE) (SIGTERM). The TUN device and the addresses stay (a restart reattaches);
# remove them with: ip link del NAME; ip addr del VIP/32 dev lo.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="$HERE/jlvs-tunnel-endpoint.c"
BUILD="${XDG_CACHE_HOME:-$HOME/.cache}/jlvs-tunnel-endpoint"
VIPS=()
ARGS=()
DAEMON=0
PIDFILE=""
LOGFILE=/dev/null
DEV=jlvstun0

die() { echo "tunnel-endpoint: $*" >&2; exit 1; }

while [ $# -gt 0 ]; do
    case "$1" in
    --vip) VIPS+=("${2:?--vip needs an address}"); shift 2 ;;
    --gue-port) ARGS+=(--gue-port "${2:?--gue-port needs a port}"); shift 2 ;;
    --no-ipip) ARGS+=(--no-ipip); shift ;;
    --allow) ARGS+=(--allow "${2:?--allow needs an address}"); shift 2 ;;
    --dev) DEV="${2:?--dev needs a name}"; shift 2 ;;
    --build-dir) BUILD="${2:?--build-dir needs a directory}"; shift 2 ;;
    --daemon) DAEMON=1; shift ;;
    --pidfile) PIDFILE="${2:?--pidfile needs a file}"; shift 2 ;;
    --log) LOGFILE="${2:?--log needs a file}"; shift 2 ;;
    -h|--help) sed -n '2,/^set -e/p' "$0" | sed '$d'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
    esac
done
[ "$(id -u)" = 0 ] || die "run as root (TUN device, raw socket, addresses, sysctls)"
[ ${#VIPS[@]} -gt 0 ] || die "give at least one --vip"
[ $DAEMON = 0 ] || [ -n "$PIDFILE" ] || die "--daemon needs --pidfile"

BIN="$BUILD/jlvs-tunnel-endpoint"
if [ ! -x "$BIN" ] || [ "$SRC" -nt "$BIN" ]; then
    command -v gcc >/dev/null || die "gcc is missing (apt-get install gcc libc6-dev)"
    mkdir -p "$BUILD"
    gcc -O2 -Wall -o "$BIN.tmp" "$SRC" && mv "$BIN.tmp" "$BIN"
fi

# The VIPs are local (the kernel accepts the inner packets and replies from them) but must not be announced:
# only the director answers ARP for them (arp_ignore=1: answer only for addresses of the asking interface;
# arp_announce=2: never use a VIP as the source of an ARP request).
sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2
# The TUN device is persistent, so that its addresses stay while the endpoint restarts. It carries the VIPs
# too (as a kernel tunl0 would): reverse-path filtering drops packets that arrive on a device without any
# IPv4 address whatever its mode, and loose mode (2, set on the device; the kernel uses the larger of "all"
# and the device's value) accepts the clients' sources, which are routed through another interface.
ip link show dev "$DEV" >/dev/null 2>&1 || ip tuntap add dev "$DEV" mode tun
sysctl -qw "net.ipv4.conf.$DEV.rp_filter=2"
for vip in "${VIPS[@]}"; do
    for d in lo "$DEV"; do
        case "$vip" in
        *:*) # IPv6: never announced anyway (the kernel answers Neighbour Solicitations only for the asking
             # interface's addresses), and usable at once (no duplicate address detection)
            ip -6 addr show dev "$d" | grep -qw "inet6 $vip/128" || ip -6 addr add "$vip/128" dev "$d" nodad ;;
        *)  ip -4 addr show dev "$d" | grep -qw "inet $vip/32" || ip addr add "$vip/32" dev "$d" ;;
        esac
    done
done
ip link set dev "$DEV" up

if [ $DAEMON = 1 ]; then
    setsid "$BIN" --dev "$DEV" "${ARGS[@]}" </dev/null >>"$LOGFILE" 2>&1 &
    echo $! >"$PIDFILE"
else
    exec "$BIN" --dev "$DEV" "${ARGS[@]}"
fi
