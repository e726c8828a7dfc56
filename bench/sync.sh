#!/usr/bin/env bash
# Benchmark of connection sync in the pair lab (lab.sh up pair; run as root). One table, one run:
#   - keep-alive HTTP req/s through director A (wrk -t3 -c51 to VIP:8080, nginx in the real servers) with A's
#     master daemon off and on, RUNS times after one warm-up run, in alternating order, and the ratio on/off
#     of the medians (goal >= 0.95);
#   - entries synced per second while wrk opens a new connection per request through A (master on): the
#     master's entries_sent over the run, B's entries_installed over the same run, and the CPU time of A's
#     sync thread (jlvs-sync-master, from /proc/PID/task/TID/stat) and of A's whole JVM over it, per second
#     and per 1,000 entries.
# B runs the backup daemon throughout; the client's neighbour entry for the VIP is pinned to A's MAC (both
# appliances answer ARP for it). The machine's two cores are shared by the client, both directors and the
# servers, so every figure is a whole-machine figure. Exits 1, listing what is missing, when a row could not
# be measured (an appliance did not start, wrk reported errors or non-2xx answers, no entry was synced).
#
# Environment (defaults): RUNS=5 DURATION=10 WRK_THREADS=3 WRK_CONNS=51 KEEP_LAB=0 LAB_NS_PREFIX=jlvs
# Results also go to lab/.work/bench/sync-result-*.txt.
set -euo pipefail

BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$BENCH")"
LAB="$ROOT/lab"
WORK="$LAB/.work/bench"
RUNS="${RUNS:-5}"
DURATION="${DURATION:-10}"
WRK_THREADS="${WRK_THREADS:-3}"
WRK_CONNS="${WRK_CONNS:-51}"
export DIRECTOR_WAIT="${DIRECTOR_WAIT:-300}"
P=${LAB_NS_PREFIX:-jlvs}
NS_CLIENT=$P-client
NS_DIR=$P-dir
VIP=10.99.1.100
PORT=8080
HZ=$(getconf CLK_TCK)

log() { echo "bench-sync: $*" >&2; }
MISSING=()
missing() { MISSING+=("$1"); log "MISSING $1"; }

[ "$(id -u)" = 0 ] || { echo "sync.sh: run as root" >&2; exit 1; }
command -v wrk >/dev/null || { echo "sync.sh: wrk is missing (lab/setup-host.sh)" >&2; exit 1; }
mkdir -p "$WORK"

cleanup() {
    if [ "${KEEP_LAB:-0}" != 1 ]; then
        DIRECTOR=b bash "$LAB/director.sh" stop >/dev/null 2>&1 || true
        bash "$LAB/director.sh" stop >/dev/null 2>&1 || true
        bash "$LAB/lab.sh" down >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT

cli() { # which commands... (the console's answer on failure, to stderr)
    local which=$1
    shift
    local out
    out=$(printf '%s\n' "$@" | DIRECTOR=$which bash "$LAB/director.sh" cli 2>&1) || {
        log "console of $which failed on: $*"
        printf '%s\n' "$out" >&2
        return 1
    }
    printf '%s\n' "$out"
}

# The JVM of director A and the tid of its sync thread ("jlvs-sync-maste": comm holds 15 characters).
jvm_pid() { ip netns pids "$NS_DIR" | while read -r p; do [ "$(cat /proc/$p/comm 2>/dev/null)" = java ] && echo "$p"; done | head -n 1; }
sync_tid() {
    local pid=$1 t
    for t in /proc/"$pid"/task/*; do
        [ "$(cat "$t/comm" 2>/dev/null)" = "jlvs-sync-maste" ] && { basename "$t"; return 0; }
    done
    return 1
}
ticks() { awk '{print $14 + $15}' "$1"; } # utime + stime of a /proc stat file (comm without spaces)

counter() { # which role name -> the counter's value in lvs:sync status ROLE
    cli "$1" "lvs:sync status $2" | awk -v n="$3" '$1 == n {print $2}'
}

wrk_rps() { # close|keepalive -> req/s, or "- why"
    local extra=() out rps errs
    [ "$1" = close ] && extra=(-H "Connection: close")
    out=$(ip netns exec "$NS_CLIENT" timeout $((DURATION + 30)) wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${DURATION}s" \
        "${extra[@]}" "http://$VIP:$PORT/" 2>&1) || true
    printf '%s\n' "$out" >>"$WORK/sync-raw.log"
    rps=$(printf '%s\n' "$out" | awk '/^Requests\/sec:/ {printf "%.0f", $2}')
    errs=$(printf '%s\n' "$out" | grep -E 'Socket errors|Non-2xx' | tr -s ' ' | tr '\n' ' ' || true)
    if [ -n "$errs" ]; then echo "- wrk reported $errs"
    elif [ -z "$rps" ] || [ "$rps" = 0 ]; then echo "- no wrk result"
    else echo "$rps"; fi
}

median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.6g\n", (a[NR/2]+a[NR/2+1])/2}'; }

log "lab (pair) and two appliances"
bash "$LAB/lab.sh" up pair
ip netns exec "$P-rs1" ss -Hltn "sport = :$PORT" | grep -q . || { echo "sync.sh: nginx does not run in the real servers" >&2; exit 1; }
bash "$LAB/director.sh" start
DIRECTOR=b bash "$LAB/director.sh" start
svc=("lvs:add-service -t $VIP:$PORT -s rr")
for ip in 10.99.2.11 10.99.2.12 10.99.2.13; do svc+=("lvs:add-server -t $VIP:$PORT -r $ip:$PORT -m -w 1"); done
cli a "${svc[@]}" >/dev/null
cli b "${svc[@]}" "lvs:sync start backup --mcast-interface eth0 --syncid 7" >/dev/null
mac=$(ip -n "$NS_DIR" -br link show eth0 | awk '{print $3}')
ip -n "$NS_CLIENT" neigh replace "$VIP" lladdr "$mac" dev eth0 nud permanent
ip netns exec "$NS_CLIENT" sysctl -qw net.ipv4.tcp_tw_reuse=1
: >"$WORK/sync-raw.log"

keepalive_run() { # off|on run -> appends to OFF or ON
    log "run $2: keep-alive, sync $1"
    local r
    r=$(wrk_rps keepalive)
    case "$r" in
    -*) missing "keep-alive $1, run $2: $r" ;;
    *) if [ "$1" = off ]; then OFF+=("$r"); else ON+=("$r"); fi ;;
    esac
}

OFF=() ON=() EPS=() INST=() SYNC_CPU=() JVM_CPU=() SYNC_PER_K=()
log "warm-up: keep-alive, not counted (the JIT compiles the data path)"
wrk_rps keepalive >/dev/null
for run in $(seq 1 "$RUNS"); do
    # The order alternates (off, on / on, off), so that neither case always runs first after the previous
    # run's new-connection load.
    if [ $((run % 2)) = 1 ]; then
        keepalive_run off "$run"
        cli a "lvs:sync start master --mcast-interface eth0 --syncid 7" >/dev/null
        keepalive_run on "$run"
    else
        cli a "lvs:sync start master --mcast-interface eth0 --syncid 7" >/dev/null
        keepalive_run on "$run"
        cli a "lvs:sync stop master" >/dev/null
        keepalive_run off "$run"
        cli a "lvs:sync start master --mcast-interface eth0 --syncid 7" >/dev/null
    fi

    log "run $run: new connections, sync on"
    pid=$(jvm_pid)
    tid=$(sync_tid "$pid" || true)
    [ -n "$tid" ] || { missing "run $run: no jlvs-sync-master thread in A's JVM"; cli a "lvs:sync stop master" >/dev/null; continue; }
    s0=$(counter a master entries_sent); b0=$(counter b backup entries_installed)
    j0=$(ticks /proc/"$pid"/stat); t0=$(ticks /proc/"$pid"/task/"$tid"/stat); w0=$(date +%s.%N)
    r=$(wrk_rps close)
    j1=$(ticks /proc/"$pid"/stat); t1=$(ticks /proc/"$pid"/task/"$tid"/stat); w1=$(date +%s.%N)
    sleep 3 # the last partly filled datagram goes within 2 s
    s1=$(counter a master entries_sent); b1=$(counter b backup entries_installed)
    case "$r" in -*) missing "new connections, run $run: $r" ;; esac
    read -r eps inst scpu jcpu perk < <(awk -v s=$((s1 - s0)) -v b=$((b1 - b0)) -v t=$((t1 - t0)) -v j=$((j1 - j0)) \
        -v hz="$HZ" -v w0="$w0" -v w1="$w1" 'BEGIN {
            secs = w1 - w0; if (secs <= 0) secs = 1
            printf "%.0f %.0f %.1f %.1f %.1f\n", s / secs, b / secs, 100 * t / hz / secs, 100 * j / hz / secs,
                   (s > 0 ? 1000 * 1000 * t / hz / s : -1) }')
    if [ $((s1 - s0)) -le 0 ]; then
        missing "run $run: the master sent no entry"
    else
        EPS+=("$eps"); INST+=("$inst"); SYNC_CPU+=("$scpu"); JVM_CPU+=("$jcpu"); SYNC_PER_K+=("$perk")
    fi
    cli a "lvs:sync stop master" >/dev/null
done

result="$WORK/sync-result-$(date +%Y%m%d-%H%M%S).txt"
{
    echo "connection sync through director A, backup on B ($RUNS runs of ${DURATION}s, median, per run in brackets)"
    printf '%-58s %12s  %s\n' "row" "median" "runs"
    row() { local label=$1; shift; if [ $# -gt 0 ]; then printf '%-58s %12s  [%s]\n' "$label" "$(median "$@")" "$*"; else printf '%-58s %12s\n' "$label" "-"; fi; }
    row "keep-alive req/s, sync off" "${OFF[@]}"
    row "keep-alive req/s, sync on" "${ON[@]}"
    if [ ${#OFF[@]} -gt 0 ] && [ ${#ON[@]} -gt 0 ]; then
        printf '%-58s %12s\n' "keep-alive on/off (goal >= 0.95)" "$(awk -v a="$(median "${ON[@]}")" -v b="$(median "${OFF[@]}")" 'BEGIN {printf "%.3f", a / b}')"
    else
        printf '%-58s %12s\n' "keep-alive on/off (goal >= 0.95)" "-"
    fi
    row "entries synced/s (master entries_sent), new connections" "${EPS[@]}"
    row "entries installed/s on B" "${INST[@]}"
    row "master sync thread CPU % of one core" "${SYNC_CPU[@]}"
    row "A's JVM CPU % (data path + sync) during it" "${JVM_CPU[@]}"
    row "sync thread CPU ms per 1,000 entries" "${SYNC_PER_K[@]}"
} | tee "$result"
if [ ${#OFF[@]} -eq 0 ] || [ ${#ON[@]} -eq 0 ] || [ ${#EPS[@]} -eq 0 ]; then missing "a row has no figure"; fi
if [ ${#MISSING[@]} -gt 0 ]; then
    printf 'MISSING: %s\n' "${MISSING[@]}" | tee -a "$result"
    exit 1
fi
