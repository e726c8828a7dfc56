#!/usr/bin/env bash
# Benchmark of the metrics endpoint in the lab (run as root), one table, one run:
#   - the cost of one scrape of /metrics with 1,000 services x 10 real servers in the table (plus the lab's
#     service): wall time of curl on the director's loopback (median and best of SCRAPES), its size, and the
#     appliance JVM's CPU time per scrape (from /proc/PID/stat, over the SCRAPES scrapes);
#   - keep-alive HTTP req/s through the appliance (wrk, as bench/bench.sh) with no scraping and while a
#     Prometheus server in the director's namespace scrapes it every second, alternated RUNS times;
#   - whether that Prometheus keeps its 1 s interval against the big scrape: from its own
#     prometheus_target_interval_length_seconds (p50, p99), the longest scrape_duration_seconds and the count
#     of failed scrapes (up 0, the 1 s scrape_timeout exceeded) over each run.
# It reuses bench/bench.sh's settings and helpers (sourced with BENCH_LIB=1: lab_up, appliance_up, wrk_run).
# Exits 1, listing what is missing, when a row could not be measured.
#
# Environment (defaults): RUNS=3 DURATION=10 SCRAPES=20 KEEP_LAB=0 LAB_NS_PREFIX=jlvs
set -euo pipefail
BENCH_LIB=1
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/bench.sh"
SCRAPES="${SCRAPES:-20}"
METRICS_MISSING=()
mlog() { echo "bench-metrics: $*" >&2; }
mmissing() { METRICS_MISSING+=("$1"); mlog "MISSING $1"; }
PROM_DIR="$WORK/prometheus"
PROM_PID=

[ "$(id -u)" = 0 ] || { echo "metrics.sh: run as root" >&2; exit 1; }
command -v prometheus >/dev/null || { echo "metrics.sh: prometheus is missing (apt-get install prometheus)" >&2; exit 1; }

finish() { # Prometheus, then bench.sh's cleanup (the appliance, the lab)
    [ -n "$PROM_PID" ] && kill "$PROM_PID" 2>/dev/null || true
    cleanup
}
trap finish EXIT
trap 'mlog "failed at line $LINENO: $BASH_COMMAND"' ERR

in_dir() { ip netns exec "$NS_DIR" "$@"; }
jvm_pid() { in_dir ss -Hltnp 'sport = :8181' | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2; }
jvm_jiffies() { awk '{print $14 + $15}' "/proc/$1/stat"; }

prom_start() {
    rm -rf "$PROM_DIR"; mkdir -p "$PROM_DIR/data"
    # Prometheus scrapes itself too: its prometheus_target_interval_length_seconds is one of its own series.
    printf 'global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n  - job_name: jlvs\n    static_configs:\n      - targets: [127.0.0.1:8181]\n  - job_name: prometheus\n    static_configs:\n      - targets: [127.0.0.1:9090]\n' >"$PROM_DIR/prometheus.yml"
    # Not through in_dir (a function: $! would be a subshell, and killing it would leave Prometheus running);
    # ip netns exec execs Prometheus in its own process.
    ip netns exec "$NS_DIR" prometheus --config.file="$PROM_DIR/prometheus.yml" --storage.tsdb.path="$PROM_DIR/data" \
        --web.listen-address=127.0.0.1:9090 >"$PROM_DIR/log" 2>&1 &
    PROM_PID=$!
    local i
    for i in $(seq 1 60); do
        if in_dir curl -s --max-time 5 'http://127.0.0.1:9090/api/v1/query?query=up%7Bjob%3D%22jlvs%22%7D' | grep -q '"value":\[[^]]*,"1"\]'; then return 0; fi
        sleep 1
    done
    return 1
}
# The first value of a PromQL instant query to the lab's Prometheus, or "-".
prom_value() {
    in_dir curl -s --max-time 10 --get --data-urlencode "query=$1" http://127.0.0.1:9090/api/v1/query \
        | python3 -c 'import json, sys
r = json.load(sys.stdin)["data"]["result"]
v = r[0]["value"][1] if r else "-"
print(f"{float(v):.3f}".rstrip("0").rstrip(".") if "." in v else v)' 2>/dev/null || echo -
}
prom_stop() { [ -n "$PROM_PID" ] && kill "$PROM_PID" 2>/dev/null; wait "$PROM_PID" 2>/dev/null || true; PROM_PID=; }

lab_up
[ -n "${DIRECTOR_TARBALL:-}" ] || ls "$ROOT"/karaf-distribution/target/jlvs-*.tar.gz >/dev/null 2>&1 || { mlog "build the distribution first"; exit 1; }
appliance_up "$VIP" -m >/dev/null || { mlog "the appliance did not start"; exit 1; }
mlog "installing jlvs-metrics"
bash "$LAB/director.sh" cli feature:install jlvs-metrics >&2
for i in $(seq 1 90); do in_dir curl -sf --max-time 10 http://127.0.0.1:8181/metrics >/dev/null && break; sleep 2; done

# 1,000 services x 10 real servers, restored from ipvsadm rules in one command (a restore replaces the whole
# table: the rules carry the lab's service too).
RULES="$WORK/metrics-1000x10.rules"
{ echo "-A -t $VIP:$HTTP_PORT -s rr"; for ip in "${RS_IPS[@]}"; do echo "-a -t $VIP:$HTTP_PORT -r $ip:$HTTP_PORT -m -w 1"; done; } >"$RULES"
awk 'BEGIN {for (s = 0; s < 1000; s++) {vip = sprintf("10.98.%d.%d:80", int(s / 250), s % 250 + 1);
    print "-A -t " vip " -s wlc"; for (r = 0; r < 10; r++) printf "-a -t %s -r 10.97.%d.%d:8080 -m -w 1\n", vip, int(s / 25), (s % 25) * 10 + r + 1}}' >>"$RULES"
mlog "restoring 1,000 services x 10 real servers"
bash "$LAB/director.sh" cli "lvs:restore --format ipvsadm $RULES" >&2 || mmissing "scrape: lvs:restore of the 1,000 x 10 table failed"
SERVICES=$(in_dir curl -sf --max-time 60 http://127.0.0.1:8181/api/v1/services | grep -o '"scheduler"' | wc -l || true)
mlog "services in the table: $SERVICES"
[ "$SERVICES" -ge 1001 ] || mmissing "scrape: only $SERVICES services in the table"

PID=$(jvm_pid)
times=(); bytes=0
j0=$(jvm_jiffies "$PID")
for i in $(seq 1 "$SCRAPES"); do
    out=$(in_dir curl -sf --max-time 60 -o /dev/null -w '%{time_total} %{size_download}' http://127.0.0.1:8181/metrics) || { mmissing "scrape $i failed"; continue; }
    times+=("${out% *}"); bytes=${out#* }
done
j1=$(jvm_jiffies "$PID")
if [ ${#times[@]} -gt 0 ]; then
    SCRAPE_MED=$(awk -v s="$(median "${times[@]}")" 'BEGIN {printf "%.1f", s * 1000}')
    SCRAPE_BEST=$(printf '%s\n' "${times[@]}" | sort -g | head -n 1 | awk '{printf "%.1f", $1 * 1000}')
    SCRAPE_CPU=$(awk -v j=$((j1 - j0)) -v n=${#times[@]} -v hz="$HZ" 'BEGIN {printf "%.1f", j * 1000 / hz / n}')
    SCRAPE_MB=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}')
fi

# Keep-alive req/s, no scraping vs Prometheus every second, alternated.
declare -a OFF ON IV50 IV99 SDMAX UPS
for run in $(seq 1 "$RUNS"); do
    in_client timeout 30 wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"${WARMUP}s" "http://$VIP:$HTTP_PORT/" >/dev/null 2>&1 || true
    r=$(wrk_run "$VIP" keepalive); mlog "run $run no scraping: $r"
    if [ "${r%% *}" = - ]; then mmissing "req/s without scraping (run $run): ${r#- }"; else OFF+=("${r%% *}"); fi
    if prom_start; then
        r=$(wrk_run "$VIP" keepalive); mlog "run $run Prometheus 1 s: $r"
        if [ "${r%% *}" = - ]; then mmissing "req/s while scraping (run $run): ${r#- }"; else ON+=("${r%% *}"); fi
        # Whether Prometheus kept its 1 s interval against the 1,000 x 10 scrape: its own interval summary,
        # the longest scrape and the failed scrapes (up 0: the 1 s scrape_timeout exceeded) over the run.
        w="${DURATION}s"
        IV50+=("$(prom_value 'prometheus_target_interval_length_seconds{interval="1s",quantile="0.5"}')")
        IV99+=("$(prom_value 'prometheus_target_interval_length_seconds{interval="1s",quantile="0.99"}')")
        SDMAX+=("$(prom_value "max_over_time(scrape_duration_seconds{job=\"jlvs\"}[$w])")")
        UPS+=("$(prom_value "count_over_time(up{job=\"jlvs\"}[$w])") scrapes, $(prom_value "count_over_time(up{job=\"jlvs\"}[$w]) - sum_over_time(up{job=\"jlvs\"}[$w])") failed")
        mlog "  Prometheus: interval p50 ${IV50[-1]} s, p99 ${IV99[-1]} s, longest scrape ${SDMAX[-1]} s, ${UPS[-1]} in the last $w"
    else
        mmissing "Prometheus did not scrape the appliance (run $run): $(tail -n 3 "$PROM_DIR/log" | tr '\n' ' ')"
    fi
    prom_stop
done

RESULT="$WORK/metrics-result-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
    echo "jlvs metrics benchmark, $(date -u), load $(cut -d' ' -f1-3 /proc/loadavg), $(nproc) CPUs shared by client, director and servers"
    printf '%-58s %s\n' "row" "figure"
    printf '%-58s %s\n' "one scrape, 1,000 services x 10 servers: wall (median/best)" "${SCRAPE_MED:--} ms / ${SCRAPE_BEST:--} ms"
    printf '%-58s %s\n' "one scrape: JVM CPU" "${SCRAPE_CPU:--} ms"
    printf '%-58s %s\n' "one scrape: size" "${SCRAPE_MB:--} MB"
    printf '%-58s %s\n' "keep-alive req/s, no scraping (median of ${#OFF[@]})" "$( [ ${#OFF[@]} -gt 0 ] && median "${OFF[@]}" || echo -)"
    printf '%-58s %s\n' "keep-alive req/s, Prometheus every 1 s (median of ${#ON[@]})" "$( [ ${#ON[@]} -gt 0 ] && median "${ON[@]}" || echo -)"
    printf '%-58s %s\n' "Prometheus scrape interval p50 / p99 (per run)" "$(paste -d/ <(printf '%s\n' "${IV50[@]:--}") <(printf '%s\n' "${IV99[@]:--}") | paste -sd' ') s"
    printf '%-58s %s\n' "longest scrape_duration_seconds in each run" "$(printf '%s ' "${SDMAX[@]:--}")s"
    printf '%-58s %s\n' "scrapes in each run's last ${DURATION}s" "$(IFS=';'; echo "${UPS[*]:--}")"
    printf '%-58s %s\n' "ratio scraping / no scraping" "$(ratio "$( [ ${#ON[@]} -gt 0 ] && median "${ON[@]}" || echo -)" "$( [ ${#OFF[@]} -gt 0 ] && median "${OFF[@]}" || echo -)")"
    for m in "${METRICS_MISSING[@]}"; do echo "MISSING: $m"; done
} | tee "$RESULT"
[ -n "${SCRAPE_MED:-}" ] || mmissing "no scrape measured"
[ ${#OFF[@]} -gt 0 ] && [ ${#ON[@]} -gt 0 ] || mmissing "a req/s row has no figure"
[ ${#METRICS_MISSING[@]} -eq 0 ]
