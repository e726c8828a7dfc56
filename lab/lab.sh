#!/usr/bin/env bash
# The jlvs network-namespace lab: lab.sh up [routed|vrrp|pair]|down|status
#
#   jlvs-client eth0 10.99.1.2 ──┐                       ┌── eth0 10.99.2.11 jlvs-rs1
#                                brc (jlvs-sw)   brs (jlvs-sw) ── eth0 10.99.2.12 jlvs-rs2
#   jlvs-dir    eth0 10.99.1.1 ──┘                       └── eth0 10.99.2.13 jlvs-rs3
#   jlvs-dir    eth1 10.99.2.1 ──────────────────────────┘
#   VIP 10.99.1.100 is on no interface: the appliance answers ARP for it.
#
# `up routed`: a router between the client LAN and the server LAN, the director on the server LAN only, so that
# direct routing and tunnelling work and replies that skip the director are observable (dual stack: the router
# 2001:db8:99:1::1 / 2001:db8:99:2::fe, jlvs-dir 2001:db8:99:2::1, VIP6 2001:db8:99:2::100 on each server's lo):
#
#   jlvs-client eth0 10.99.1.2 ── brc ── eth0 10.99.1.1 jlvs-router eth1 10.99.2.254 ── brs
#   jlvs-dir    eth0 10.99.2.1 ── brs;   jlvs-rs1..3 eth0 10.99.2.11..13 ── brs
#   VIP 10.99.2.100: the appliance answers ARP for it on brs. Each real server holds it on lo and on jlvstun0
#   (tools/tunnel-endpoint, which decapsulates IPIP and GUE on UDP 6080 from 10.99.2.1), answers no ARP for
#   it, and routes replies from the VIP (DR, TUN) to the router, others (NAT) to the director.
#
# `up vrrp`: one LAN for director failover against a real keepalived (lab/e2e_ha.py):
#
#   jlvs-dir eth0 10.99.4.1 ── brv (jlvs-sw, no multicast snooping) ── eth0 10.99.4.2 jlvs-ka (keepalived)
#   VRRP instance VI_1: VRID 51, VIP 10.99.4.100.
#   IPv6: eth0 2001:db8:99:4::1 (jlvs-dir) and ::2 (jlvs-ka), nodad; the adverts of an IPv6 instance go from
#   each side's link-local address (fe80::/64, from its MAC) to ff02::12.
#
# `up pair`: the first topology plus a second director on the same two LANs (connection sync, failover):
#
#   jlvs-dirb   eth0 10.99.1.3 ── brc;   eth1 10.99.2.3 ── brs   (director.sh with DIRECTOR=b runs its appliance)
#   The real servers keep their default route via jlvs-dir (10.99.2.1); both bridges flood multicast
#   (no snooping), so the sync group 224.0.0.81 reaches the other director on either LAN.
#   For direct routing each real server also has eth1 on brc (10.99.1.21..23, no prefix route: NAT replies still
#   go through the gateway) and holds the DR VIP 10.99.1.101 on lo without announcing it; replies from that VIP
#   go straight to the client LAN through eth1 (policy table 101).
#
# Dual stack (the first and the pair topologies): the client LAN is also 2001:db8:99:1::/64 (client ::2, jlvs-dir
# ::1, jlvs-dirb ::3, VIP6 2001:db8:99:1::100 on no interface), the server LAN 2001:db8:99:2::/64 (jlvs-dir ::1,
# jlvs-dirb ::3, jlvs-rs1..3 ::11..13 with their default IPv6 route via 2001:db8:99:2::1). LAB_IPV6=0 leaves
# IPv6 addresses out.
#
# Environment: LAB_NGINX=0 to skip nginx (port 8080) in the real servers, LAB_NGINX_WORKERS (2) its workers.
set -euo pipefail

LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$LAB_DIR")"
WORK="$LAB_DIR/.work"
PY="${LAB_PYTHON:-$(command -v python3)}"

# LAB_NS_PREFIX (default jlvs) names the namespaces, so that labs of two checkouts can run side by side.
P=${LAB_NS_PREFIX:-jlvs}
NS_SW=$P-sw
NS_CLIENT=$P-client
NS_DIR=$P-dir
NS_DIRB=$P-dirb
NS_ROUTER=$P-router
NS_KA=$P-ka
RS_NAMES=($P-rs1 $P-rs2 $P-rs3)
ALL_NS=("$NS_CLIENT" "$NS_ROUTER" "$NS_DIR" "$NS_DIRB" "$NS_KA" "${RS_NAMES[@]}" "$NS_SW")

VIP=10.99.1.100
CLIENT_IP=10.99.1.2
DIR_CLIENT_IP=10.99.1.1
DIR_SERVER_IP=10.99.2.1
# the second director of the pair topology
DIRB_CLIENT_IP=10.99.1.3
DIRB_SERVER_IP=10.99.2.3
# the direct-routing VIP of the pair topology (on the real servers' lo)
PAIR_DR_VIP=10.99.1.101
# the routed topology
ROUTED_VIP=10.99.2.100
ROUTER_CLIENT_IP=10.99.1.1
ROUTER_SERVER_IP=10.99.2.254
GUE_PORT=6080
NET6_CLIENT=2001:db8:99:1
NET6_SERVER=2001:db8:99:2
ROUTED_VIP6=$NET6_SERVER::100

# addr6 ns dev address: an IPv6 address usable at once (no duplicate address detection)
addr6() {
    [ "${LAB_IPV6:-1}" = 1 ] || return 0
    ip -n "$1" -6 addr add "$3/64" dev "$2" nodad
}

log() { echo "lab: $*" >&2; }

ns_exists() { [ -e "/var/run/netns/$1" ]; }

# Kills every process in a namespace: TERM, a short grace period, then KILL.
kill_ns_procs() {
    local ns=$1 pids i
    ns_exists "$ns" || return 0
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [ -n "$pids" ] || return 0
    kill -TERM $pids 2>/dev/null || true
    for i in $(seq 1 30); do
        pids=$(ip netns pids "$ns" 2>/dev/null || true)
        [ -n "$pids" ] || return 0
        sleep 0.1
    done
    kill -KILL $pids 2>/dev/null || true
    sleep 0.2
}

offload_off() { # ns dev
    ip netns exec "$1" ethtool -K "$2" tso off gso off gro off >/dev/null 2>&1 ||
        log "warning: ethtool -K $2 in $1 failed"
}

# Creates a veth pair: $2 inside namespace $1, $4 inside jlvs-sw attached to bridge $3.
plug() { # ns dev bridge swport
    ip -n "$NS_SW" link add "$4" type veth peer name "$2" netns "$1"
    ip -n "$1" link set "$2" mtu 1500
    ip -n "$NS_SW" link set "$4" mtu 1500 master "$3" up
    offload_off "$NS_SW" "$4"
    offload_off "$1" "$2"
    ip -n "$1" link set "$2" up
}

wait_listen() { # ns proto port
    local i opt=-Hltn
    [ "$2" = udp ] && opt=-Hlun
    for i in $(seq 1 100); do
        if ip netns exec "$1" ss $opt "sport = :$3" 2>/dev/null | grep -q .; then return 0; fi
        sleep 0.05
    done
    log "$1: nothing listens on $2/$3 (see $WORK/$1.log)"
    return 1
}

nginx_conf() { # name port -> writes $WORK/nginx-<name>/nginx.conf
    local d="$WORK/nginx-$1"
    mkdir -p "$d/www" "$d/tmp"
    printf '%s\n' "$1" >"$d/www/index.html"
    cat >"$d/nginx.conf" <<EOF
user root;
worker_processes ${LAB_NGINX_WORKERS:-2};
pid $d/nginx.pid;
error_log $d/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000;
    keepalive_timeout 65;
    client_body_temp_path $d/tmp/body;
    proxy_temp_path $d/tmp/proxy;
    fastcgi_temp_path $d/tmp/fastcgi;
    uwsgi_temp_path $d/tmp/uwsgi;
    scgi_temp_path $d/tmp/scgi;
    default_type text/plain;
    server {
        listen $2 reuseport backlog=4096;
        root $d/www;
        index index.html;
    }
}
EOF
}

# The services of the real servers: realserver.py (http :80, udp echo :7) and nginx (:8080, for the bench).
start_servers() {
    local i=1 rs
    for rs in "${RS_NAMES[@]}"; do
        ip netns exec "$rs" sysctl -qw net.core.somaxconn=4096 net.ipv4.tcp_max_syn_backlog=4096
        ip netns exec "$rs" setsid "$PY" "$LAB_DIR/realserver.py" --name "rs$i" \
            >"$WORK/$rs.log" 2>&1 </dev/null &
        if [ "${LAB_NGINX:-1}" = 1 ] && command -v nginx >/dev/null; then
            nginx_conf "rs$i" 8080
            ip netns exec "$rs" nginx -p "$WORK/nginx-rs$i" -c "$WORK/nginx-rs$i/nginx.conf" -e "$WORK/nginx-rs$i/error.log" \
                </dev/null >>"$WORK/$rs.log" 2>&1 || log "warning: nginx failed in $rs"
        fi
        i=$((i + 1))
    done
    for rs in "${RS_NAMES[@]}"; do
        wait_listen "$rs" tcp 80
        wait_listen "$rs" udp 7
        if [ "${LAB_NGINX:-1}" = 1 ] && command -v nginx >/dev/null; then wait_listen "$rs" tcp 8080 || true; fi
    done
}

make_namespaces() { # names...: fresh namespaces with lo up, and the two bridges in jlvs-sw
    local ns k
    for ns in "$@" "$NS_SW"; do
        ip netns add "$ns"
        ip -n "$ns" link set lo up
    done
    ip -n "$NS_SW" link add brc type bridge stp_state 0 forward_delay 0
    ip -n "$NS_SW" link add brs type bridge stp_state 0 forward_delay 0
    ip -n "$NS_SW" link set brc up
    # A switch passes any frame; with br_netfilter loaded (docker does) the bridge would validate IP headers
    # and drop malformed frames before they reach the director, hiding them from the flood test.
    for k in iptables ip6tables arptables; do
        ip netns exec "$NS_SW" sysctl -qw "net.bridge.bridge-nf-call-$k=0" 2>/dev/null || true
    done
    ip -n "$NS_SW" link set brs up
}

up_routed() {
    down quiet
    mkdir -p "$WORK"
    log "creating namespaces (routed)"
    make_namespaces "$NS_CLIENT" "$NS_ROUTER" "$NS_DIR" "${RS_NAMES[@]}"
    plug "$NS_CLIENT" eth0 brc client0
    plug "$NS_ROUTER" eth0 brc router0
    plug "$NS_ROUTER" eth1 brs router1
    plug "$NS_DIR" eth0 brs dir0
    local i=1 rs
    for rs in "${RS_NAMES[@]}"; do
        plug "$rs" eth0 brs "rs$i"
        i=$((i + 1))
    done

    ip -n "$NS_CLIENT" addr add "$CLIENT_IP/24" dev eth0
    ip -n "$NS_CLIENT" route add default via "$ROUTER_CLIENT_IP"
    ip netns exec "$NS_CLIENT" sysctl -qw net.ipv4.ip_local_port_range="1024 65535" net.ipv4.tcp_tw_reuse=1
    addr6 "$NS_CLIENT" eth0 "$NET6_CLIENT::2"
    [ "${LAB_IPV6:-1}" = 1 ] && ip -n "$NS_CLIENT" -6 route add default via "$NET6_CLIENT::1"

    ip -n "$NS_ROUTER" addr add "$ROUTER_CLIENT_IP/24" dev eth0
    ip -n "$NS_ROUTER" addr add "$ROUTER_SERVER_IP/24" dev eth1
    ip netns exec "$NS_ROUTER" sysctl -qw net.ipv4.ip_forward=1 \
        net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.default.send_redirects=0
    addr6 "$NS_ROUTER" eth0 "$NET6_CLIENT::1"
    addr6 "$NS_ROUTER" eth1 "$NET6_SERVER::fe"
    [ "${LAB_IPV6:-1}" = 1 ] && ip netns exec "$NS_ROUTER" sysctl -qw net.ipv6.conf.all.forwarding=1

    # director: one interface, on the real servers' LAN; its kernel neither forwards nor owns the VIP
    ip -n "$NS_DIR" addr add "$DIR_SERVER_IP/24" dev eth0
    ip -n "$NS_DIR" route add default via "$ROUTER_SERVER_IP"
    ip netns exec "$NS_DIR" sysctl -qw net.ipv4.ip_forward=0 \
        net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.default.send_redirects=0 net.ipv6.conf.all.forwarding=0
    addr6 "$NS_DIR" eth0 "$NET6_SERVER::1"
    [ "${LAB_IPV6:-1}" = 1 ] && ip -n "$NS_DIR" -6 route add default via "$NET6_SERVER::fe"

    # real servers: NAT replies (from their own address) through the director, DR/TUN replies (from the VIP)
    # straight to the router; the VIP on lo and on the tunnel endpoint's device, never announced
    i=1
    for rs in "${RS_NAMES[@]}"; do
        ip -n "$rs" addr add "10.99.2.1$i/24" dev eth0
        ip -n "$rs" route add default via "$DIR_SERVER_IP"
        ip -n "$rs" route add default via "$ROUTER_SERVER_IP" table 100
        ip -n "$rs" rule add from "$ROUTED_VIP" lookup 100 pref 100
        if [ "${LAB_IPV6:-1}" = 1 ]; then # the same for IPv6: NAT replies via the director, DR replies via the router
            addr6 "$rs" eth0 "$NET6_SERVER::1$i"
            ip -n "$rs" -6 route add default via "$NET6_SERVER::1"
            ip -n "$rs" -6 route add default via "$NET6_SERVER::fe" table 100
            ip -n "$rs" -6 rule add from "$ROUTED_VIP6" lookup 100 pref 100
        fi
        local six=()
        [ "${LAB_IPV6:-1}" = 1 ] && six=(--vip "$ROUTED_VIP6" --allow "$NET6_SERVER::1")
        ip netns exec "$rs" bash "$ROOT/tools/tunnel-endpoint/start.sh" --vip "$ROUTED_VIP" --gue-port "$GUE_PORT" \
            --allow "$DIR_SERVER_IP" "${six[@]}" --build-dir "$WORK/tunnel-endpoint" --daemon \
            --pidfile "$WORK/$rs-tunnel.pid" --log "$WORK/$rs-tunnel.log"
        i=$((i + 1))
    done
    start_servers
    for i in 1 2 3; do
        ip netns exec "$NS_DIR" ping -c 1 -W 2 "10.99.2.1$i" >/dev/null ||
            { log "director cannot reach 10.99.2.1$i"; return 1; }
        ip netns exec "$P-rs$i" ip link show jlvstun0 2>/dev/null | grep -q UP ||
            { log "$P-rs$i: the tunnel endpoint is not up (see $WORK/$P-rs$i-tunnel.log)"; return 1; }
    done
    ip netns exec "$NS_CLIENT" ping -c 1 -W 2 "$ROUTER_SERVER_IP" >/dev/null ||
        { log "client cannot reach the router"; return 1; }
    log "up (routed)"
}

up_vrrp() {
    down quiet
    mkdir -p "$WORK"
    log "creating namespaces (vrrp)"
    local ns
    for ns in "$NS_DIR" "$NS_KA" "$NS_SW"; do
        ip netns add "$ns"
        ip -n "$ns" link set lo up
    done
    # every port sees every advert, as on a switch without IGMP snooping
    ip -n "$NS_SW" link add brv type bridge stp_state 0 forward_delay 0 mcast_snooping 0
    ip -n "$NS_SW" link set brv up
    plug "$NS_DIR" eth0 brv dir0
    plug "$NS_KA" eth0 brv ka0
    ip -n "$NS_DIR" addr add 10.99.4.1/24 dev eth0
    ip -n "$NS_KA" addr add 10.99.4.2/24 dev eth0
    # IPv6 (VRRPv3 over IPv6 goes between the link-local addresses; the global ones are for the lab's checks)
    ip -n "$NS_DIR" addr add 2001:db8:99:4::1/64 dev eth0 nodad
    ip -n "$NS_KA" addr add 2001:db8:99:4::2/64 dev eth0 nodad
    ip netns exec "$NS_DIR" sysctl -qw net.ipv4.ip_forward=0
    local i
    for i in $(seq 1 100); do # the link-local addresses leave DAD (tentative) within about 2 s
        [ -z "$(ip -n "$NS_DIR" -6 addr show dev eth0 tentative)$(ip -n "$NS_KA" -6 addr show dev eth0 tentative)" ] && break
        sleep 0.1
    done
    ip -n "$NS_DIR" -6 addr show dev eth0 scope link | grep -q "inet6 fe80" || { log "jlvs-dir has no link-local address"; return 1; }
    ip netns exec "$NS_DIR" ping -c 1 -W 2 10.99.4.2 >/dev/null || { log "the director cannot reach 10.99.4.2"; return 1; }
    log "up (vrrp)"
}

up() { # [pair]
    local pair=${1:-}
    down quiet
    mkdir -p "$WORK"
    log "creating namespaces${pair:+ ($pair)}"
    if [ -n "$pair" ]; then
        make_namespaces "$NS_CLIENT" "$NS_DIR" "$NS_DIRB" "${RS_NAMES[@]}"
        # the sync group must reach the other director even where no IGMP querier runs
        ip -n "$NS_SW" link set brc type bridge mcast_snooping 0
        ip -n "$NS_SW" link set brs type bridge mcast_snooping 0
    else
        make_namespaces "$NS_CLIENT" "$NS_DIR" "${RS_NAMES[@]}"
    fi

    plug "$NS_CLIENT" eth0 brc client0
    plug "$NS_DIR" eth0 brc dir0
    plug "$NS_DIR" eth1 brs dir1
    if [ -n "$pair" ]; then
        plug "$NS_DIRB" eth0 brc dirb0
        plug "$NS_DIRB" eth1 brs dirb1
        ip -n "$NS_DIRB" addr add "$DIRB_CLIENT_IP/24" dev eth0
        ip -n "$NS_DIRB" addr add "$DIRB_SERVER_IP/24" dev eth1
        ip netns exec "$NS_DIRB" sysctl -qw net.ipv4.ip_forward=0 \
            net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.default.send_redirects=0 net.ipv6.conf.all.forwarding=0
        addr6 "$NS_DIRB" eth0 "$NET6_CLIENT::3"
        addr6 "$NS_DIRB" eth1 "$NET6_SERVER::3"
    fi
    local i=1
    for rs in "${RS_NAMES[@]}"; do
        plug "$rs" eth0 brs "rs$i"
        [ -z "$pair" ] || plug "$rs" eth1 brc "rsc$i"
        i=$((i + 1))
    done

    # client
    ip -n "$NS_CLIENT" addr add "$CLIENT_IP/24" dev eth0
    ip -n "$NS_CLIENT" route add 10.99.2.0/24 via "$DIR_CLIENT_IP"
    ip netns exec "$NS_CLIENT" sysctl -qw net.ipv4.ip_local_port_range="1024 65535" net.ipv4.tcp_tw_reuse=1
    addr6 "$NS_CLIENT" eth0 "$NET6_CLIENT::2"

    # director: the kernel must not forward nor own the VIP
    ip -n "$NS_DIR" addr add "$DIR_CLIENT_IP/24" dev eth0
    ip -n "$NS_DIR" addr add "$DIR_SERVER_IP/24" dev eth1
    ip netns exec "$NS_DIR" sysctl -qw net.ipv4.ip_forward=0 \
        net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.default.send_redirects=0 net.ipv6.conf.all.forwarding=0
    addr6 "$NS_DIR" eth0 "$NET6_CLIENT::1"
    addr6 "$NS_DIR" eth1 "$NET6_SERVER::1"

    # real servers: NAT, so the default route points back at the director
    i=1
    for rs in "${RS_NAMES[@]}"; do
        ip -n "$rs" addr add "10.99.2.1$i/24" dev eth0
        ip -n "$rs" route add default via "$DIR_SERVER_IP"
        if [ "${LAB_IPV6:-1}" = 1 ]; then
            addr6 "$rs" eth0 "$NET6_SERVER::1$i"
            ip -n "$rs" -6 route add default via "$NET6_SERVER::1"
        fi
        if [ -n "$pair" ]; then
            ip -n "$rs" addr add "10.99.1.2$i/24" dev eth1 noprefixroute
            ip -n "$rs" addr add "$PAIR_DR_VIP/32" dev lo
            ip netns exec "$rs" sysctl -qw net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.all.arp_announce=2 \
                net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0 net.ipv4.conf.eth1.rp_filter=0
            ip -n "$rs" route add 10.99.1.0/24 dev eth1 table 101
            ip -n "$rs" rule add from "$PAIR_DR_VIP" lookup 101 pref 101
        fi
        i=$((i + 1))
    done
    start_servers
    # the lab is ready when the director reaches every real server
    for i in 1 2 3; do
        ip netns exec "$NS_DIR" ping -c 1 -W 2 "10.99.2.1$i" >/dev/null ||
            { log "director cannot reach 10.99.2.1$i"; return 1; }
    done
    ip netns exec "$NS_CLIENT" ping -c 1 -W 2 "$DIR_CLIENT_IP" >/dev/null ||
        { log "client cannot reach the director"; return 1; }
    if [ -n "$pair" ]; then
        for i in 1 2 3; do
            ip netns exec "$NS_DIRB" ping -c 1 -W 2 "10.99.2.1$i" >/dev/null ||
                { log "the second director cannot reach 10.99.2.1$i"; return 1; }
        done
        ip netns exec "$NS_DIRB" ping -c 1 -W 2 "$DIR_CLIENT_IP" >/dev/null ||
            { log "the second director cannot reach the first"; return 1; }
    fi
    log "up${pair:+ ($pair)}"
}

down() {
    for ns in "${ALL_NS[@]}"; do
        kill_ns_procs "$ns"
        if ns_exists "$ns"; then ip netns del "$ns" 2>/dev/null || log "warning: cannot delete $ns"; fi
    done
    [ "${1:-}" = quiet ] || log "down"
}

status() {
    local ns rc=0
    for ns in "${ALL_NS[@]}"; do
        if ns_exists "$ns"; then
            echo "== $ns (pids: $(ip netns pids "$ns" | tr '\n' ' '))"
            ip -n "$ns" -br addr | sed 's/^/   /'
        elif [ "$ns" != "$NS_ROUTER" ] && [ "$ns" != "$NS_KA" ] && [ "$ns" != "$NS_DIRB" ]; then # only in routed / vrrp / pair
            echo "== $ns: absent"
            rc=1
        fi
    done
    if ns_exists "$NS_DIR"; then
        echo "== $NS_DIR ip_forward=$(ip netns exec "$NS_DIR" sysctl -n net.ipv4.ip_forward)"
        ip netns exec "$NS_DIR" nft list ruleset 2>/dev/null | sed 's/^/   /'
    fi
    return $rc
}

[ "$(id -u)" = 0 ] || { echo "lab.sh: run as root" >&2; exit 1; }
case "${1:-}" in
up)
    case "${2:-}" in
    "") up ;;
    routed) up_routed ;;
    vrrp) up_vrrp ;;
    pair) up pair ;;
    *) echo "usage: $0 up [routed|vrrp|pair]" >&2; exit 2 ;;
    esac
    ;;
down) down ;;
status) status ;;
*) echo "usage: $0 up [routed|vrrp|pair]|down|status" >&2; exit 2 ;;
esac
