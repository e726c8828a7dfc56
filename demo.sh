#!/usr/bin/env bash
# The default demo: build the appliance, create the network-namespace lab (client, director, three real
# servers), start jlvs in the director's namespace, balance one TCP and one UDP service with VS/NAT and wlc,
# send traffic from the client, show how it was spread and `lvs:list -n --stats`, then tear it all down.
# Run as root on Debian 12 (it installs what is missing). DEMO_SKIP_BUILD=1 reuses an existing build.
set -euo pipefail
cd "$(dirname "$0")"
VIP=10.99.1.100
REQUESTS=${DEMO_REQUESTS:-300}

lab/setup-host.sh
[ -d /usr/lib/jvm/java-17-openjdk-amd64 ] && export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64

if [ "${DEMO_SKIP_BUILD:-0}" != 1 ] || ! ls karaf-distribution/target/jlvs-*.tar.gz >/dev/null 2>&1; then
    echo "== building (tests are run by ./run-tests.sh)"
    mvn -B -q -DskipTests -DskipITs install
fi

cleanup() { lab/director.sh stop >/dev/null 2>&1 || true; lab/lab.sh down >/dev/null 2>&1 || true; }
trap cleanup EXIT
echo "== lab up: client 10.99.1.2, director 10.99.1.1/10.99.2.1, real servers 10.99.2.11-13"
lab/lab.sh up
echo "== starting jlvs in the director's namespace"
lab/director.sh start

echo "== configuring (as ipvsadm -A/-a would)"
lab/director.sh cli <<CMDS
lvs:add-service -t $VIP:80 -s wlc
lvs:add-server -t $VIP:80 -r 10.99.2.11:80 -m
lvs:add-server -t $VIP:80 -r 10.99.2.12:80 -m
lvs:add-server -t $VIP:80 -r 10.99.2.13:80 -m
lvs:add-service -u $VIP:7 -s wlc
lvs:add-server -u $VIP:7 -r 10.99.2.11:7 -m
lvs:add-server -u $VIP:7 -r 10.99.2.12:7 -m
lvs:add-server -u $VIP:7 -r 10.99.2.13:7 -m
CMDS

echo "== $REQUESTS HTTP requests to $VIP:80 from the client, each on a new connection; answered by:"
ip netns exec ${LAB_NS_PREFIX:-jlvs}-client bash -c "for i in \$(seq $REQUESTS); do curl -s --max-time 2 http://$VIP/ || echo FAILED; done" \
    | sort | uniq -c

echo "== $REQUESTS UDP datagrams to $VIP:7 from $REQUESTS client ports:"
ip netns exec ${LAB_NS_PREFIX:-jlvs}-client python3 - "$VIP" "$REQUESTS" <<'PY'
import socket, sys
vip, n = sys.argv[1], int(sys.argv[2])
echoed = from_vip = 0
for i in range(n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(1.0)
    s.sendto(b"hello %d" % i, (vip, 7))
    try:
        data, addr = s.recvfrom(2048)
        echoed += data == b"hello %d" % i
        from_vip += addr[0] == vip
    except socket.timeout:
        pass
    s.close()
print(f"   {echoed} of {n} echoed back, {from_vip} of them from {vip}")
PY

echo "== lvs:list -n --stats"
lab/director.sh cli "lvs:list -n --stats"
echo "== lvs:list -n"
lab/director.sh cli "lvs:list -n"
echo "== done: tearing the lab down"
