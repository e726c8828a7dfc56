#!/usr/bin/env bash
# End-to-end benchmark of the director in the namespace lab (run as root). In one run it measures, for
#   direct     client -> real server 10.99.2.11, routed by the director's kernel (ip_forward=1), no balancing
#   nft        the director's kernel: nftables DNAT with numgen round robin to the three real servers
#   appliance  the built jlvs appliance (ip_forward=0), NAT (-m) round robin to the three real servers
# and, in the routed lab (lab.sh up routed: a router between client and server LAN, replies skip the director),
#   routed-direct  client -> router -> real server 10.99.2.11 holding the VIP (the router sends the VIP to it)
#   dr             the appliance, direct routing (-g) round robin to the three real servers
#   tun            the appliance, IPIP tunnelling (-i), decapsulated by tools/tunnel-endpoint on the servers
#   tun-gue        the same with GUE (-i --tun-type gue --tun-port 6080); not in the default PATHS
# keep-alive HTTP req/s (wrk), new-connection HTTP req/s (wrk, Connection: close) and UDP echo replies/s
# (bench/udpblast.c), and prints the medians with the ratios nft/direct, appliance/direct, appliance/nft, and
# dr, tun, tun-gue to routed-direct (the direct path of their own topology, one router hop longer).
#
# Environment (defaults): RUNS=3 DURATION=10 PATHS="direct nft appliance dr tun" WRK_THREADS=2 WRK_CONNS=50
#   UDP_SOCKETS=8 UDP_PAYLOAD=64 UDP_WINDOW=4 UDP_ECHO_THREADS=1 WARMUP=2 (seconds of uncounted wrk per cell)
#   KEEP_LAB=0 (1: leave the lab up afterwards), DIRECTOR_TARBALL (default: the newest build)
# Every path restores the director to ip_forward=0 with no nft table. Total time is about
# RUNS x paths x (3 x DURATION + WARMUP), plus the appliance's start per appliance path and run (about 10 s);
# naming dr, tun or tun-gue adds routed-direct, and a second lab (routed) after the first.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
LAB="$ROOT/lab"
WORK="$LAB/.work/bench"
RUNS="${RUNS:-3}"
DURATION="${DURATION:-10}"
PATHS="${PATHS:-direct nft appliance dr tun}"
WRK_THREADS="${WRK_THREADS:-2}"
WRK_CONNS="${WRK_CONNS:-50}"
UDP_SOCKETS="${UDP_SOCKETS:-8}"
UDP_PAYLOAD="${UDP_PAYLOAD:-64}"
UDP_WINDOW="${UDP_WINDOW:-4}"
UDP_ECHO_THREADS="${UDP_ECHO_THREADS:-1}"
WARMUP="${WARMUP:-2}"
UDP_PORT=7007

VIP=10.99.1.100
ROUTED_VIP=10.99.2.100
GUE_PORT=6080
RS_IPS=(10.99.2.11 10.99.2.12 10.99.2.13)
P=${LAB_NS_PREFIX:-jlvs}
NS_CLIENT=$P-client
NS_DIR=$P-dir
NS_ROUTER=$P-router
NFT_TABLE=jlvs_bench

STD_PATHS=()
ROUTED_PATHS=()
for path in $PATHS; do
    case "$path" in
    direct|nft|appliance) STD_PATHS+=("$path") ;;
    dr|tun|tun-gue) ROUTED_PATHS+=("$path") ;;
    *) echo "bench.sh: unknown path $path (direct nft appliance dr tun tun-gue)" >&2; exit 2 ;;
    esac
done
[ ${#ROUTED_PATHS[@]} = 0 ] || ROUTED_PATHS=(routed-direct "${ROUTED_PATHS[@]}")

log() { echo "bench: $*" >&2; }
in_client() { ip netns exec "$NS_CLIENT" "$@"; }

[ "$(id -u)" = 0 ] || { echo "bench.sh: run as root" >&2; exit 1; }
[[ "$RUNS" =~ ^[1-9][0-9]*$ && "$DURATION" =~ ^[1-9][0-9]*$ && "$DURATION" -le 600 ]] ||
    { echo "bench.sh: RUNS must be >= 1 and DURATION 1..600 seconds" >&2; exit 2; }
for tool in wrk gcc nft; do
    command -v "$tool" >/dev/null || { echo "bench.sh: $tool missing (run lab/setup-host.sh)" >&2; exit 1; }
done

# ------------------------------------------------------------------ director modes

restore_director() { # back to the lab's contract: no forwarding, no nft table, no static VIP entry
    ip netns exec "$NS_DIR" nft delete table ip "$NFT_TABLE" 2>/dev/null || true
    ip netns exec "$NS_DIR" sysctl -qw net.ipv4.ip_forward=0 2>/dev/null || true
    ip -n "$NS_CLIENT" neigh del "$VIP" dev eth0 2>/dev/null || true
    ip -n "$NS_ROUTER" neigh del "$ROUTED_VIP" dev eth1 2>/dev/null || true
}

cleanup() {
    trap - EXIT INT TERM HUP
    bash "$LAB/director.sh" stop >/dev/null 2>&1 || true
    restore_director
    if [ "${KEEP_LAB:-0}" = 1 ]; then
        local i
        for i in 1 2 3; do kill_in_ns "$P-rs$i" udpblast; done
    else
        bash "$LAB/lab.sh" down >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM HUP

kill_in_ns() { # ns comm: kill the namespace's processes with that name (our own echo servers)
    local p
    for p in $(ip netns pids "$1" 2>/dev/null); do
        [ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$2" ] && kill "$p" 2>/dev/null || true
    done
}

nft_rules() {
    local tcp_map="" udp_map="" i=0 ip
    for ip in "${RS_IPS[@]}"; do
        tcp_map+="${tcp_map:+, }$i : $ip . $HTTP_PORT"
        udp_map+="${udp_map:+, }$i : $ip . $UDP_PORT"
        i=$((i + 1))
    done
    cat <<EOF
table ip $NFT_TABLE {
  chain vs_pre {
    type nat hook prerouting priority dstnat; policy accept;
    ip daddr $VIP tcp dport $HTTP_PORT dnat ip addr . port to numgen inc mod ${#RS_IPS[@]} map { $tcp_map }
    ip daddr $VIP udp dport $UDP_PORT dnat ip addr . port to numgen inc mod ${#RS_IPS[@]} map { $udp_map }
  }
}
EOF
}

path_up() { # path -> prints the target address. Runs where errexit is off: every step checks itself.
    restore_director
    case "$1" in
    direct)
        ip netns exec "$NS_DIR" sysctl -qw net.ipv4.ip_forward=1 || return 1
        echo "${RS_IPS[0]}"
        ;;
    nft)
        ip netns exec "$NS_DIR" sysctl -qw net.ipv4.ip_forward=1 || return 1
        nft_rules | ip netns exec "$NS_DIR" nft -f - || return 1
        # nobody answers ARP for the VIP in this mode
        local mac
        mac=$(ip -n "$NS_DIR" -br link show eth0 | awk '{print $3}')
        ip -n "$NS_CLIENT" neigh replace "$VIP" lladdr "$mac" dev eth0 nud permanent || return 1
        echo "$VIP"
        ;;
    appliance) appliance_up "$VIP" -m ;;
    routed-direct)
        # the router delivers the VIP straight to rs1 (which holds it on lo): DR's path without a director
        local mac
        mac=$(ip -n $P-rs1 -br link show eth0 | awk '{print $3}')
        ip -n "$NS_ROUTER" neigh replace "$ROUTED_VIP" lladdr "$mac" dev eth1 nud permanent || return 1
        echo "$ROUTED_VIP"
        ;;
    dr) appliance_up "$ROUTED_VIP" -g ;;
    tun) appliance_up "$ROUTED_VIP" -i ;;
    tun-gue) appliance_up "$ROUTED_VIP" -i --tun-type gue --tun-port "$GUE_PORT" ;;
    esac
}

appliance_up() { # vip method-options... -> starts the appliance, round robin over the three real servers
    local vip=$1 cmds ip out
    shift
    bash "$LAB/director.sh" start >&2 || return 1
    cmds="lvs:add-service -t $vip:$HTTP_PORT -s rr"$'\n'"lvs:add-service -u $vip:$UDP_PORT -s rr"
    for ip in "${RS_IPS[@]}"; do
        cmds+=$'\n'"lvs:add-server -t $vip:$HTTP_PORT -r $ip:$HTTP_PORT $* -w 1"
        cmds+=$'\n'"lvs:add-server -u $vip:$UDP_PORT -r $ip:$UDP_PORT $* -w 1"
    done
    out=$(printf '%s\n' "$cmds" | bash "$LAB/director.sh" cli 2>&1) || { printf '%s\n' "$out" >&2; return 1; }
    echo "$vip"
}

path_down() {
    case "$1" in appliance|dr|tun|tun-gue) bash "$LAB/director.sh" stop >&2 ;; esac
    restore_director
}

# ------------------------------------------------------------------ measurements (print one number)

wrk_run() { # target mode
    local out rps extra=()
    [ "$2" = close ] && extra=(-H "Connection: close")
    out=$(in_client timeout $((DURATION + 30)) wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${DURATION}s" "${extra[@]}" \
        "http://$1:$HTTP_PORT/" 2>&1) || true
    printf '%s\n' "$out" >>"$WORK/raw.log"
    rps=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ {printf "%.0f", $2}')
    if printf '%s\n' "$out" | grep -qE 'Socket errors|Non-2xx'; then
        log "  wrk $2 $1: $(printf '%s\n' "$out" | grep -E 'Socket errors|Non-2xx' | tr -s ' ' | tr '\n' ' ')"
    fi
    echo "${rps:-0}"
}

udp_run() { # target
    local out
    out=$(in_client timeout $((DURATION + 30)) "$WORK/udpblast" blast "$1" "$UDP_PORT" "$UDP_SOCKETS" "$DURATION" \
        "$UDP_PAYLOAD" "$UDP_WINDOW" 2>&1) || true
    printf '%s\n' "$out" >>"$WORK/raw.log"
    printf '%s\n' "$out" | awk '/^replies_per_sec/ {print $2; found=1} END {if (!found) print 0}'
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.0f\n", (a[NR/2]+a[NR/2+1])/2}'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (b > 0 && a > 0) printf "%.2f", a / b; else print "-"}'; }

# ------------------------------------------------------------------ main

mkdir -p "$WORK"
: >"$WORK/raw.log"
gcc -O2 -Wall -pthread -o "$WORK/udpblast" "$BENCH/udpblast.c"

lab_up() { # [routed]: the lab, the HTTP port to measure, the UDP echo servers
    bash "$LAB/lab.sh" up "$@"
    # HTTP: nginx (port 8080) in the real servers when it runs, else the python real server
    HTTP_PORT=8080
    if ! ip netns exec $P-rs1 ss -Hltn 'sport = :8080' | grep -q .; then
        HTTP_PORT=80
        log "nginx is not running in the real servers: measuring the python real server (much slower)"
    fi
    local lifetime=$((RUNS * DURATION * 12 + 900)) i # the echo servers exit by themselves even if nobody kills them
    for i in 1 2 3; do
        ip netns exec "$P-rs$i" setsid "$WORK/udpblast" echo "$UDP_PORT" "$UDP_ECHO_THREADS" "$lifetime" \
            </dev/null >>"$WORK/echo.log" 2>&1 &
    done
    sleep 0.3
}

# Paths alternate within each run, so that a change in the machine's background load hits them all alike.
declare -A RES
skip_appliance=0
if [ -z "${DIRECTOR_TARBALL:-}" ] && ! ls "$ROOT"/karaf-distribution/target/jlvs-*.tar.gz >/dev/null 2>&1; then
    log "no karaf-distribution/target/jlvs-*.tar.gz: skipping the appliance"
    skip_appliance=1
fi
run_paths() { # paths...: RUNS rounds over them in the lab that is up
    local run path target test v
    for run in $(seq 1 "$RUNS"); do
        for path in "$@"; do
            case "$path" in appliance|dr|tun|tun-gue) [ $skip_appliance = 1 ] && continue ;; esac
            log "run $run path $path (load $(cut -d' ' -f1 /proc/loadavg))"
            if ! target=$(path_up "$path"); then
                log "could not set up $path"
                path_down "$path" || true
                continue
            fi
            # warm-up, not counted: ARP, JIT, caches
            in_client timeout 20 wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${WARMUP}s" "http://$target:$HTTP_PORT/" >/dev/null 2>&1 || true
            for test in keepalive close udp; do
                case "$test" in
                udp) v=$(udp_run "$target") ;;
                *) v=$(wrk_run "$target" "$test") ;;
                esac
                log "  $path run $run $test: $v"
                RES[$path,$test]="${RES[$path,$test]:-} $v"
            done
            path_down "$path"
        done
    done
}
if [ ${#STD_PATHS[@]} -gt 0 ]; then
    lab_up
    run_paths "${STD_PATHS[@]}"
fi
if [ ${#ROUTED_PATHS[@]} -gt 0 ]; then
    lab_up routed
    run_paths "${ROUTED_PATHS[@]}"
fi

ALL_PATHS="direct nft appliance routed-direct dr tun tun-gue"
{
    echo
    echo "jlvs bench: medians of $RUNS x ${DURATION}s; wrk -t$WRK_THREADS -c$WRK_CONNS on port $HTTP_PORT; UDP: $UDP_SOCKETS sockets, ${UDP_PAYLOAD}-byte payloads, window $UDP_WINDOW"
    printf '%-24s %18s %20s %20s\n' "path" "keep-alive req/s" "new-conn req/s" "UDP echo replies/s"
    declare -A MED
    for path in $ALL_PATHS; do
        [ -n "${RES[$path,udp]:-}" ] || continue
        for test in keepalive close udp; do
            # shellcheck disable=SC2086
            MED[$path,$test]=$(median ${RES[$path,$test]})
        done
        printf '%-24s %18s %20s %20s\n' "$path" "${MED[$path,keepalive]}" "${MED[$path,close]}" "${MED[$path,udp]}"
    done
    for pair in "nft direct" "appliance direct" "appliance nft" "dr routed-direct" "tun routed-direct" \
        "tun-gue routed-direct"; do
        set -- $pair
        [ -n "${MED[$1,udp]:-}" ] && [ -n "${MED[$2,udp]:-}" ] || continue
        printf '%-24s %18s %20s %20s\n' "$1/$2" "$(ratio "${MED[$1,keepalive]}" "${MED[$2,keepalive]}")" \
            "$(ratio "${MED[$1,close]}" "${MED[$2,close]}")" "$(ratio "${MED[$1,udp]}" "${MED[$2,udp]}")"
    done
    echo "all runs:"
    for path in $ALL_PATHS; do
        [ -n "${RES[$path,udp]:-}" ] || continue
        echo "  $path: keep-alive${RES[$path,keepalive]} | new-conn${RES[$path,close]} | udp${RES[$path,udp]}"
    done
    echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the numbers)"
} | tee "$WORK/result-$(date +%Y%m%d-%H%M%S).txt"
