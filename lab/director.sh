#!/usr/bin/env bash
# Runs the built appliance inside the lab's director namespace.
#   director.sh start            unpack the newest karaf-distribution/target/jlvs-*.tar.gz into lab/.work/director
#                                (fresh each time), start it in jlvs-dir, wait until the console answers
#   director.sh stop             bin/stop, then kill whatever is left in jlvs-dir
#   director.sh restart          stop, then bin/start of the same home (its configuration and etc/ kept)
#   director.sh cli CMD ARGS...  run one console command (the arguments joined by spaces)
#   director.sh cli < file       run console commands read from stdin, one a line
#   director.sh log [N]          the last N (100) lines of karaf.log
# DIRECTOR=b runs the second appliance of `lab.sh up pair` instead: namespace jlvs-dirb, home lab/.work/director-b
# (each appliance has its own unpacked distribution, so two can run at once).
# Files in lab/director-etc/ (if any) are copied into the distribution's etc/ before it starts.
# Environment: DIRECTOR_TARBALL (default: newest build), DIRECTOR_WAIT (seconds, default 90),
#              DIRECTOR_READY_CMD (the command that must succeed, default "lvs:list -n").
#              LAB_PACKETIO=pcap boots jlvs-pcap instead of jlvs-packetio-afpacket.
set -euo pipefail

LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$LAB_DIR")"
WORK="$LAB_DIR/.work"
case "${DIRECTOR:-a}" in
a | "") DEST="$WORK/director"; NS=${LAB_NS_PREFIX:-jlvs}-dir ;;
b) DEST="$WORK/director-b"; NS=${LAB_NS_PREFIX:-jlvs}-dirb ;;
*) echo "director.sh: DIRECTOR must be a or b: ${DIRECTOR}" >&2; exit 2 ;;
esac
WAIT="${DIRECTOR_WAIT:-90}"
READY_CMD="${DIRECTOR_READY_CMD:-lvs:list -n}"

log() { echo "director: $*" >&2; }

# Karaf 4.4 needs Java 17 (not the machine's newer JDK): take the default java's home unless told.
if [ -z "${JAVA_HOME:-}" ] && command -v java >/dev/null; then
    JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
    export JAVA_HOME
fi

home() { # the unpacked distribution
    local h
    h=$(ls -d "$DEST"/jlvs-*/ 2>/dev/null | head -n 1)
    [ -n "$h" ] || { log "no unpacked distribution under $DEST (run start)"; return 1; }
    echo "${h%/}"
}

karaf_log() {
    local h f
    h=$(home 2>/dev/null) || return 0
    f="$h/data/log/karaf.log"
    [ -f "$f" ] && { echo "---- tail of $f" >&2; tail -n "${1:-100}" "$f" >&2; }
    return 0
}

# Runs console commands from stdin in batch mode; output on stdout. Fails when the client fails or the
# console reports an error (the client's exit code alone does not tell).
console() {
    local h out rc
    h=$(home)
    set +e
    out=$(ip netns exec "$NS" "$h/bin/client" -r 1 -d 1 -b 2>&1)
    rc=$?
    # colours stripped so callers can parse the text
    out=$(printf '%s\n' "$out" | sed 's/\x1b\[[0-9;]*m//g' | grep -v '^client: JAVA_HOME not set' || true)
    printf '%s\n' "$out"
    [ $rc = 0 ] || return $rc
    if printf '%s\n' "$out" | grep -qE '^(Error executing command|Command not found|Failed to get the session|Unable to connect|Error: )'; then
        return 1
    fi
    return 0
}

start() {
    [ -e "/var/run/netns/$NS" ] || { log "namespace $NS is missing: run lab.sh up first"; exit 1; }
    local tarball="${DIRECTOR_TARBALL:-}"
    if [ -z "$tarball" ]; then
        tarball=$(ls -t "$ROOT"/karaf-distribution/target/jlvs-*.tar.gz 2>/dev/null | head -n 1 || true)
    fi
    [ -n "$tarball" ] && [ -f "$tarball" ] || { log "no karaf-distribution/target/jlvs-*.tar.gz: build the distribution first"; exit 1; }
    stop quiet
    rm -rf "$DEST"
    mkdir -p "$DEST"
    tar -xzf "$tarball" -C "$DEST"
    local h
    h=$(home)
    if [ -d "$LAB_DIR/director-etc" ]; then cp -r "$LAB_DIR/director-etc/." "$h/etc/"; fi
    # LAB_PACKETIO=pcap boots the portable PacketIo instead of the default AF_PACKET one
    if [ "${LAB_PACKETIO:-}" = pcap ]; then
        sed -i 's/jlvs-packetio-afpacket/jlvs-pcap/' "$h/etc/org.apache.karaf.features.cfg"
        grep -q 'jlvs-pcap' "$h/etc/org.apache.karaf.features.cfg" || { log "LAB_PACKETIO=pcap: no boot feature to replace"; exit 1; }
    fi
    log "starting $(basename "$tarball") in $NS"
    launch
}

# Starts the unpacked home and waits until its console answers.
launch() {
    local h
    h=$(home)
    # the JVM (and libpcap) see only the namespace's interfaces; JNA unpacks its stub under the home dir
    ip netns exec "$NS" env KARAF_REDIRECT="$DEST/console.out" "$h/bin/start" </dev/null >/dev/null 2>&1 ||
        { log "bin/start failed"; karaf_log; exit 1; }
    local deadline=$((SECONDS + WAIT)) out
    while [ $SECONDS -lt $deadline ]; do
        if out=$(printf '%s\n' "$READY_CMD" | console 2>&1); then
            log "ready after ${SECONDS}s"
            return 0
        fi
        if [ -z "$(ip netns pids "$NS")" ]; then
            log "the appliance exited"
            karaf_log
            exit 1
        fi
        sleep 2
    done
    log "the console did not answer '$READY_CMD' within ${WAIT}s; last answer:"
    printf '%s\n' "$out" | tail -n 20 >&2
    karaf_log
    exit 1
}

stop() {
    local h pids i
    if [ -e "/var/run/netns/$NS" ]; then
        if h=$(home 2>/dev/null) && [ -n "$(ip netns pids "$NS")" ]; then
            ip netns exec "$NS" "$h/bin/stop" >/dev/null 2>&1 || true
            for i in $(seq 1 100); do
                [ -z "$(ip netns pids "$NS")" ] && break
                sleep 0.2
            done
        fi
        pids=$(ip netns pids "$NS" || true)
        if [ -n "$pids" ]; then
            kill -TERM $pids 2>/dev/null || true
            sleep 1
            pids=$(ip netns pids "$NS" || true)
            [ -z "$pids" ] || kill -KILL $pids 2>/dev/null || true
        fi
    fi
    [ "${1:-}" = quiet ] || log "stopped"
}

[ "$(id -u)" = 0 ] || { echo "director.sh: run as root" >&2; exit 1; }
cmd="${1:-}"
shift || true
case "$cmd" in
start) start ;;
stop) stop ;;
restart)
    stop quiet
    log "restarting $(basename "$(home)") in $NS"
    launch
    ;;
cli)
    if [ $# -gt 0 ]; then printf '%s\n' "$*" | console; else console; fi
    ;;
log) karaf_log "${1:-100}" 2>&1 ;;
*) echo "usage: $0 start|stop|restart|cli [COMMAND...]|log [N]" >&2; exit 2 ;;
esac
