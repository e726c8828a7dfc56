#!/usr/bin/env bash
# End-to-end benchmark of the director in the namespace lab (run as root). In one run, one table: for each path
# keep-alive and new-connection HTTP req/s with p50/p99 latency (wrk --latency), UDP echo replies/s
# (bench/udpblast.c), and the machine's CPU time per packet that the real servers received or sent (from
# /proc/stat over each measurement). Every path uses the same client (wrk -t$WRK_THREADS, thread k to server
# k mod 3 where the client balances itself; UDP_SOCKETS flows, flow i to server i mod 3), the same three real
# servers and the same UDP echo threads:
#   direct         client -> the three real servers, client-side round robin, routed by the director's kernel
#   nft            the director's kernel: nftables DNAT with numgen round robin
#   haproxy        HAProxy (Debian's), TCP mode, round robin, in the director's namespace (no UDP: n/a)
#   appliance      the built jlvs appliance (ip_forward=0), NAT (-m) round robin, its default PacketIo (AF_PACKET rings)
#   appliance-pcap the same on the portable PacketIo (jlvs-pcap booted instead: LAB_PACKETIO=pcap)
# and, in the routed lab (lab.sh up routed: a router between client and server LAN, replies skip the director),
#   routed-direct  client -> router -> the three real servers, client-side round robin, replies via the router
#   dr             the appliance, direct routing (-g) round robin
#   tun            the appliance, IPIP tunnelling (-i), decapsulated by tools/tunnel-endpoint on the servers
#   tun-gue        the same with GUE (-i --tun-type gue --tun-port 6080); not in the default PATHS
# with the ratios jlvs/nftables, jlvs/HAProxy, AF_PACKET/pcap, nftables/direct and dr, tun, tun-gue to routed-direct.
#
# A path is one function pair, path_up_NAME (set the director up, print the targets) and optionally
# path_down_NAME, plus one line in the PATHS table below: adding the next PacketIo, a sync-on or a scrape-on run
# is a few lines.
#
# The bench fails (exit 1) when any figure is missing: the appliance was not built, a path could not be set
# up, wrk reported socket errors or non-2xx answers, or no UDP echo came back.
#
# Environment (defaults): RUNS=3 DURATION=10 PATHS="direct nft haproxy appliance-pcap appliance dr tun"
#   WRK_THREADS=3
#   WRK_CONNS=51 UDP_SOCKETS=9 UDP_PAYLOAD=64 UDP_WINDOW=4 UDP_ECHO_THREADS=1 WARMUP=2 (seconds of uncounted
#   wrk per path), KEEP_LAB=0 (1: leave the lab up afterwards), DIRECTOR_TARBALL (default: the newest build)
# Every path restores the director to ip_forward=0 with no nft table, no HAProxy and no address for the VIP.
# Total time is about RUNS x paths x (3 x DURATION + WARMUP), plus the appliance's start per appliance path
# and run; naming dr, tun or tun-gue adds routed-direct, and a second lab (routed) after the first.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
LAB="$ROOT/lab"
WORK="$LAB/.work/bench"
RUNS="${RUNS:-3}"
DURATION="${DURATION:-10}"
PATHS="${PATHS:-direct nft haproxy appliance-pcap appliance dr tun}"
WRK_THREADS="${WRK_THREADS:-3}"
WRK_CONNS="${WRK_CONNS:-51}"
UDP_SOCKETS="${UDP_SOCKETS:-9}"
UDP_PAYLOAD="${UDP_PAYLOAD:-64}"
UDP_WINDOW="${UDP_WINDOW:-4}"
UDP_ECHO_THREADS="${UDP_ECHO_THREADS:-1}"
WARMUP="${WARMUP:-2}"
UDP_PORT=7007
# the appliance's start is slow on a loaded machine: wait for it generously
export DIRECTOR_WAIT="${DIRECTOR_WAIT:-300}"

VIP=10.99.1.100
ROUTED_VIP=10.99.2.100
ROUTER_SERVER_IP=10.99.2.254
GUE_PORT=6080
RS_IPS=(10.99.2.11 10.99.2.12 10.99.2.13)
RS_LIST=$(IFS=,; echo "${RS_IPS[*]}")
P=${LAB_NS_PREFIX:-jlvs}
NS_CLIENT=$P-client
NS_DIR=$P-dir
NS_ROUTER=$P-router
NFT_TABLE=jlvs_bench

# name | topology (std or routed) | UDP (udp or -) | label in the table
PATH_TABLE="
direct|std|udp|direct (client -> the 3 servers)
nft|std|udp|nftables DNAT, numgen rr
haproxy|std|-|HAProxy VERSION, TCP mode, rr
appliance-pcap|std|udp|jlvs appliance (pcap)
appliance|std|udp|jlvs appliance (AF_PACKET)
routed-direct|routed|udp|routed direct (-> the 3 servers)
dr|routed|udp|jlvs DR (AF_PACKET)
tun|routed|udp|jlvs TUN IPIP (AF_PACKET)
tun-gue|routed|udp|jlvs TUN GUE (AF_PACKET)
"
path_field() { # name field(2..4)
    printf '%s\n' "$PATH_TABLE" | awk -F'|' -v n="$1" -v f="$2" '$1 == n {print $f}'
}
is_appliance() { case "$1" in appliance*|dr*|tun*) return 0 ;; *) return 1 ;; esac; }

STD_PATHS=()
ROUTED_PATHS=()
for path in $PATHS; do
    case "$(path_field "$path" 2)" in
    std) STD_PATHS+=("$path") ;;
    routed) ROUTED_PATHS+=("$path") ;;
    *) echo "bench.sh: unknown path $path ($(printf '%s\n' "$PATH_TABLE" | cut -d'|' -f1 | tr '\n' ' '))" >&2; exit 2 ;;
    esac
done
if [ ${#ROUTED_PATHS[@]} -gt 0 ] && [[ " ${ROUTED_PATHS[*]} " != *" routed-direct "* ]]; then
    ROUTED_PATHS=(routed-direct "${ROUTED_PATHS[@]}")
fi

log() { echo "bench: $*" >&2; }
in_client() { ip netns exec "$NS_CLIENT" "$@"; }

[ "$(id -u)" = 0 ] || { echo "bench.sh: run as root" >&2; exit 1; }
[[ "$RUNS" =~ ^[1-9][0-9]*$ && "$DURATION" =~ ^[1-9][0-9]*$ && "$DURATION" -le 600 ]] ||
    { echo "bench.sh: RUNS must be >= 1 and DURATION 1..600 seconds" >&2; exit 2; }
[[ "$WRK_THREADS" =~ ^[1-9][0-9]*$ && "$WRK_CONNS" =~ ^[1-9][0-9]*$ && "$WRK_CONNS" -ge "$WRK_THREADS" ]] ||
    { echo "bench.sh: WRK_THREADS >= 1 and WRK_CONNS >= WRK_THREADS" >&2; exit 2; }
for tool in wrk gcc nft; do
    command -v "$tool" >/dev/null || { echo "bench.sh: $tool missing (run lab/setup-host.sh)" >&2; exit 1; }
done
if [[ " $PATHS " == *" haproxy "* ]] && ! command -v haproxy >/dev/null; then
    echo "bench.sh: haproxy missing (run lab/setup-host.sh)" >&2; exit 1
fi

# ------------------------------------------------------------------ director modes

restore_director() { # back to the lab's contract: no forwarding, no nft table, no HAProxy, the VIP nowhere
    ip netns exec "$NS_DIR" nft delete table ip "$NFT_TABLE" 2>/dev/null || true
    ip netns exec "$NS_DIR" sysctl -qw net.ipv4.ip_forward=0 2>/dev/null || true
    ip -n "$NS_CLIENT" neigh del "$VIP" dev eth0 2>/dev/null || true
    ip -n "$NS_DIR" addr del "$VIP/32" dev eth0 2>/dev/null || true
    if [ -f "$WORK/haproxy.pid" ]; then
        kill "$(cat "$WORK/haproxy.pid")" 2>/dev/null || true
        rm -f "$WORK/haproxy.pid"
    fi
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

director_mac() { ip -n "$NS_DIR" -br link show eth0 | awk '{print $3}'; }

# path_up_NAME: sets the path up and prints its targets (comma-separated: the client balances over them
# itself; one address: the director balances). Runs where errexit is off: every step checks itself.

path_up_direct() {
    ip netns exec "$NS_DIR" sysctl -qw net.ipv4.ip_forward=1 || return 1
    echo "$RS_LIST"
}

path_up_nft() {
    ip netns exec "$NS_DIR" sysctl -qw net.ipv4.ip_forward=1 || return 1
    nft_rules | ip netns exec "$NS_DIR" nft -f - || return 1
    # nobody answers ARP for the VIP in this mode
    ip -n "$NS_CLIENT" neigh replace "$VIP" lladdr "$(director_mac)" dev eth0 nud permanent || return 1
    echo "$VIP"
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

path_up_haproxy() {
    # a user-space proxy terminates both connections: it needs the VIP as a local address
    ip -n "$NS_DIR" addr add "$VIP/32" dev eth0 || return 1
    local cfg="$WORK/haproxy.cfg" i=1 ip
    {
        printf 'global\n    maxconn 4096\n    pidfile %s\n    daemon\n' "$WORK/haproxy.pid"
        printf 'defaults\n    mode tcp\n    timeout connect 5s\n    timeout client 60s\n    timeout server 60s\n'
        printf 'listen bench\n    bind %s:%s\n    balance roundrobin\n' "$VIP" "$HTTP_PORT"
        for ip in "${RS_IPS[@]}"; do printf '    server rs%d %s:%s\n' $i "$ip" "$HTTP_PORT"; i=$((i + 1)); done
    } >"$cfg"
    ip netns exec "$NS_DIR" haproxy -f "$cfg" >>"$WORK/haproxy.log" 2>&1 || { log "haproxy: $(tail -n 3 "$WORK/haproxy.log")"; return 1; }
    echo "$VIP"
}

path_up_appliance() { appliance_up "$VIP" -m; }
path_up_appliance_pcap() { LAB_PACKETIO=pcap appliance_up "$VIP" -m; }

path_up_routed_direct() {
    # the servers answer their own addresses through the router (in the lab, only VIP replies go there)
    local i
    for i in 1 2 3; do
        ip -n "$P-rs$i" route replace 10.99.1.0/24 via "$ROUTER_SERVER_IP" || return 1
    done
    echo "$RS_LIST"
}
path_down_routed_direct() {
    local i
    for i in 1 2 3; do ip -n "$P-rs$i" route del 10.99.1.0/24 via "$ROUTER_SERVER_IP" 2>/dev/null || true; done
}

path_up_dr() { appliance_up "$ROUTED_VIP" -g; }
path_up_tun() { appliance_up "$ROUTED_VIP" -i; }
path_up_tun_gue() { appliance_up "$ROUTED_VIP" -i --tun-type gue --tun-port "$GUE_PORT"; }

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

path_up() { restore_director; "path_up_${1//-/_}"; }

path_down() {
    if declare -F "path_down_${1//-/_}" >/dev/null; then "path_down_${1//-/_}"; fi
    if is_appliance "$1"; then bash "$LAB/director.sh" stop >&2 || true; fi
    restore_director
}

# ------------------------------------------------------------------ measurements

cpu_busy() { # jiffies the machine's CPUs were not idle
    awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat # user nice system irq softirq (not idle, iowait, steal)
}
server_packets() { # packets the three real servers received and sent
    local i n=0 rx tx
    for i in 1 2 3; do
        rx=$(ip netns exec "$P-rs$i" cat /sys/class/net/eth0/statistics/rx_packets)
        tx=$(ip netns exec "$P-rs$i" cat /sys/class/net/eth0/statistics/tx_packets)
        n=$((n + rx + tx))
    done
    echo "$n"
}
HZ=$(getconf CLK_TCK)
us_per_packet() { # busy-jiffies packets
    awk -v j="$1" -v p="$2" -v hz="$HZ" 'BEGIN {if (p > 0) printf "%.1f", j * 1e6 / hz / p; else print "-"}'
}

to_ms() { # wrk's latency (850.00us, 1.23ms, 1.01s) in ms
    awk -v v="$1" 'BEGIN {n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.2f", n}'
}

# Each prints "value [p50 p99] cpu-us-per-packet", or "- reason" when the figure is missing.
wrk_run() { # targets mode
    local out rps extra=() first=${1%%,*} j0 p0 j1 p1 p50 p99 errs
    [ "$2" = close ] && extra=(-H "Connection: close")
    j0=$(cpu_busy); p0=$(server_packets)
    out=$(in_client env BENCH_TARGETS="$1" timeout $((DURATION + 30)) wrk -t"$WRK_THREADS" -c"$WRK_CONNS" \
        -d"${DURATION}s" --latency -s "$WORK/targets.lua" "${extra[@]}" "http://$first:$HTTP_PORT/" 2>&1) || true
    j1=$(cpu_busy); p1=$(server_packets)
    printf '%s\n' "$out" >>"$WORK/raw.log"
    rps=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ {printf "%.0f", $2}')
    p50=$(printf '%s\n' "$out" | awk '$1 == "50%" {print $2}')
    p99=$(printf '%s\n' "$out" | awk '$1 == "99%" {print $2}')
    errs=$(printf '%s\n' "$out" | grep -E 'Socket errors|Non-2xx' | tr -s ' ' | tr '\n' ' ' || true)
    if [ -n "$errs" ]; then
        echo "- wrk reported $errs"
    elif [ -z "$rps" ] || [ "$rps" = 0 ] || [ -z "$p50" ] || [ -z "$p99" ]; then
        echo "- no wrk result ($(printf '%s\n' "$out" | tail -n 1))"
    else
        echo "$rps $(to_ms "$p50") $(to_ms "$p99") $(us_per_packet $((j1 - j0)) $((p1 - p0)))"
    fi
}

udp_run() { # targets
    local out v j0 p0 j1 p1
    j0=$(cpu_busy); p0=$(server_packets)
    out=$(in_client timeout $((DURATION + 30)) "$WORK/udpblast" blast "$1" "$UDP_PORT" "$UDP_SOCKETS" "$DURATION" \
        "$UDP_PAYLOAD" "$UDP_WINDOW" 2>&1) || true
    j1=$(cpu_busy); p1=$(server_packets)
    printf '%s\n' "$out" >>"$WORK/raw.log"
    v=$(printf '%s\n' "$out" | awk '/^replies_per_sec/ {print $2}')
    if [ -z "$v" ] || [ "$v" = 0 ]; then
        echo "- no UDP echo came back ($(printf '%s\n' "$out" | tail -n 1))"
    else
        echo "$v $(us_per_packet $((j1 - j0)) $((p1 - p0)))"
    fi
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.2f\n", (a[NR/2]+a[NR/2+1])/2}'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0 && a > 0) printf "%.2f", a / b; else print "-"}'; }

# ------------------------------------------------------------------ main

mkdir -p "$WORK"
: >"$WORK/raw.log"
# wrk's threads connect to the targets in turn (thread k to target k mod n): client-side round robin
cat >"$WORK/targets.lua" <<'EOF'
local targets, n = {}, 0
for a in string.gmatch(os.getenv("BENCH_TARGETS") or "", "[^,]+") do targets[#targets + 1] = a end
function setup(thread)
    n = n + 1
    if #targets > 1 then thread.addr = wrk.lookup(targets[(n - 1) % #targets + 1], wrk.port)[1] end
end
EOF
gcc -O2 -Wall -pthread -o "$WORK/udpblast" "$BENCH/udpblast.c"

lab_up() { # [routed]: the lab, the HTTP port to measure, the UDP echo servers
    bash "$LAB/lab.sh" up "$@"
    # HTTP: nginx (port 8080) in the real servers when it runs, else the python real server
    HTTP_PORT=8080
    if ! ip netns exec $P-rs1 ss -Hltn 'sport = :8080' | grep -q .; then
        HTTP_PORT=80
        log "nginx is not running in the real servers: measuring the python real server (much slower)"
    fi
    local lifetime=$((RUNS * DURATION * 16 + 900)) i # the echo servers exit by themselves even if nobody kills them
    for i in 1 2 3; do
        ip netns exec "$P-rs$i" setsid "$WORK/udpblast" echo "$UDP_PORT" "$UDP_ECHO_THREADS" "$lifetime" \
            </dev/null >>"$WORK/echo.log" 2>&1 &
    done
    sleep 0.3
}

# Sourced with BENCH_LIB=1 (bench/metrics.sh): the settings, helpers and lab_up above, no run.
[ "${BENCH_LIB:-0}" = 1 ] && return 0

# RES[path,metric]: the values of every run. MISSING: what has no figure, and why.
declare -A RES
MISSING=()
missing() { MISSING+=("$1: $2"); log "  MISSING $1: $2"; }
add() { RES[$1,$2]="${RES[$1,$2]:-} $3"; }

APPLIANCE_TARBALL=1
if [ -z "${DIRECTOR_TARBALL:-}" ] && ! ls "$ROOT"/karaf-distribution/target/jlvs-*.tar.gz >/dev/null 2>&1; then
    log "no karaf-distribution/target/jlvs-*.tar.gz: the appliance's rows will have no figures (build it first)"
    APPLIANCE_TARBALL=0
fi

measure() { # path run targets
    local path=$1 run=$2 targets=$3 test r
    # warm-up, not counted: ARP, JIT, caches
    in_client env BENCH_TARGETS="$targets" timeout 30 wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${WARMUP}s" \
        -s "$WORK/targets.lua" "http://${targets%%,*}:$HTTP_PORT/" >/dev/null 2>&1 || true
    for test in keepalive close; do
        r=$(wrk_run "$targets" "$test")
        log "  $path run $run $test: $r"
        if [ "${r%% *}" = - ]; then missing "$path $test (run $run)" "${r#- }"; continue; fi
        set -- $r
        add "$path" "$test" "$1"; add "$path" "$test-p50" "$2"; add "$path" "$test-p99" "$3"; add "$path" "$test-cpu" "$4"
    done
    if [ "$(path_field "$path" 3)" = udp ]; then
        r=$(udp_run "$targets")
        log "  $path run $run udp: $r"
        if [ "${r%% *}" = - ]; then missing "$path udp (run $run)" "${r#- }"; return; fi
        set -- $r
        add "$path" udp "$1"; add "$path" udp-cpu "$2"
    fi
}

# Paths alternate within each run, so that a change in the machine's background load hits them all alike.
run_paths() { # paths...: RUNS rounds over them in the lab that is up
    local run path targets
    for run in $(seq 1 "$RUNS"); do
        for path in "$@"; do
            if is_appliance "$path" && [ $APPLIANCE_TARBALL = 0 ]; then
                missing "$path (run $run)" "the appliance is not built"
                continue
            fi
            log "run $run path $path (load $(cut -d' ' -f1 /proc/loadavg))"
            if ! targets=$(path_up "$path") || [ -z "$targets" ]; then
                missing "$path (run $run)" "could not be set up"
                path_down "$path" || true
                continue
            fi
            measure "$path" "$run" "$targets"
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

# ------------------------------------------------------------------ the table

HAPROXY_VERSION=$(haproxy -v 2>/dev/null | awk 'NR == 1 {split($3, v, "."); print v[1] "." v[2]}' || true)
METRICS="keepalive keepalive-p50 keepalive-p99 close close-p50 close-p99 udp keepalive-cpu close-cpu udp-cpu"
declare -A MED
row() { # label values...
    local label=$1
    shift
    printf '%-36s %9s %7s %7s %9s %7s %7s %9s %7s %7s %7s\n' "$label" "$@"
}
{
    echo
    echo "jlvs bench: medians of $RUNS x ${DURATION}s on one machine ($(nproc) cores shared by client, director and"
    echo "servers); wrk -t$WRK_THREADS -c$WRK_CONNS --latency on port $HTTP_PORT; UDP: $UDP_SOCKETS flows x ${UDP_PAYLOAD} B, window $UDP_WINDOW;"
    echo "the same three real servers, $UDP_ECHO_THREADS UDP echo thread(s) each, on every path. Latency in ms;"
    echo "CPU: the machine's busy time per packet received or sent by the real servers, in us (from /proc/stat)."
    row "" "keep-alive" "" "" "new-conn" "" "" "UDP" "CPU us/packet" "" ""
    row "path" "req/s" "p50" "p99" "req/s" "p50" "p99" "echo/s" "k-a" "new" "UDP"
    for path in $(printf '%s\n' "$PATH_TABLE" | cut -d'|' -f1); do
        [[ " $PATHS ${ROUTED_PATHS[*]:-} " == *" $path "* ]] || continue
        vals=()
        for m in $METRICS; do
            if [[ $m == udp* ]] && [ "$(path_field "$path" 3)" != udp ]; then
                MED[$path,$m]=n/a
            elif [ -n "${RES[$path,$m]:-}" ]; then
                # shellcheck disable=SC2086
                MED[$path,$m]=$(median ${RES[$path,$m]})
            else
                MED[$path,$m]=MISSING
            fi
            vals+=("${MED[$path,$m]}")
        done
        row "$(path_field "$path" 4 | sed "s/VERSION/${HAPROXY_VERSION:-?}/")" "${vals[@]}"
    done
    for pair in "appliance nft jlvs / nftables" "appliance haproxy jlvs / HAProxy" \
        "appliance-pcap nft jlvs pcap / nftables" "appliance appliance-pcap AF_PACKET / pcap" "nft direct nftables / direct" \
        "dr routed-direct DR / routed direct" "tun routed-direct TUN / routed direct" "tun-gue routed-direct TUN GUE / routed direct"; do
        set -- $pair
        a=$1 b=$2
        shift 2
        [ -n "${MED[$a,keepalive]:-}" ] && [ -n "${MED[$b,keepalive]:-}" ] || continue
        vals=()
        for m in $METRICS; do vals+=("$(ratio "${MED[$a,$m]}" "${MED[$b,$m]}")"); done
        row "$*" "${vals[@]}"
    done
    echo "all runs:"
    for path in $(printf '%s\n' "$PATH_TABLE" | cut -d'|' -f1); do
        [ -n "${RES[$path,keepalive]:-}${RES[$path,udp]:-}" ] || continue
        echo "  $path: keep-alive${RES[$path,keepalive]:-} | new-conn${RES[$path,close]:-} | udp${RES[$path,udp]:-}"
    done
    echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine skews the numbers)"
    if [ ${#MISSING[@]} -gt 0 ]; then
        echo "FAILED: ${#MISSING[@]} figure(s) missing:"
        printf '  %s\n' "${MISSING[@]}"
    fi
} | tee "$WORK/result-$(date +%Y%m%d-%H%M%S).txt"
[ ${#MISSING[@]} = 0 ]
