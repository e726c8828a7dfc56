#!/bin/bash
# Captures the frames embedded in ../java/org/jlvs/packet/Captured.java (run as root; needs ip, ethtool,
# tcpdump, python3). Two network namespaces joined by a veth pair, addresses in 10.250.0.0/24 inside them
# only: pkt-a (va, 10.250.0.1) talks to pkt-b (vb, 10.250.0.2) while tcpdump records on vb. The traffic runs
# twice, with TX checksum offload on (TCP/UDP frames carry Linux's partial checksum) and off.
# Writes on.pcap and off.pcap to the directory given (default: a new temporary one) and then
#   python3 to-java.py DIR > ../java/org/jlvs/packet/Captured.java
# regenerates the test fixture. The namespaces are removed on exit, also on failure.
set -u
OUT=${1:-$(mktemp -d)}
WORK=$(mktemp -d)
cleanup() {
  [ -n "${SRV:-}" ] && kill "$SRV" 2>/dev/null
  [ -n "${TD:-}" ] && kill "$TD" 2>/dev/null
  sleep 0.3
  ip netns del pkt-a 2>/dev/null
  ip netns del pkt-b 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
set -e

cat > "$WORK/server.py" <<'EOF'
import socket, threading
def tcp():
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("10.250.0.2", 8080)); s.listen(4)
    while True:
        c, _ = s.accept(); c.recv(100); c.sendall(b"pong jlvs\n"); c.close()
def udp():
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("10.250.0.2", 9999))
    while True:
        d, a = u.recvfrom(2000); u.sendto(b"echo:" + d, a)
threading.Thread(target=tcp, daemon=True).start()
threading.Thread(target=udp, daemon=True).start()
threading.Event().wait()
EOF
cat > "$WORK/client.py" <<'EOF'
import socket, struct, sys, time
def csum(b):
    if len(b) % 2: b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
# ping (no ping binary needed): echo request, id 0x4a4c, seq 1, odd-length payload
payload = b"jlvs ping payload 0123456"
hdr = struct.pack("!BBHHH", 8, 0, 0, 0x4a4c, 1)
r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP); r.settimeout(3)
r.sendto(hdr[:2] + struct.pack("!H", csum(hdr + payload)) + hdr[4:] + payload, ("10.250.0.2", 0)); r.recv(2000)
time.sleep(0.1)
c = socket.create_connection(("10.250.0.2", 8080), timeout=3)
c.sendall(b"hello jlvs " + sys.argv[1].encode() + b"\n"); c.recv(100); c.close()
time.sleep(0.2)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(3)
u.bind(("10.250.0.1", 40000))
u.sendto(b"udp jlvs payload!", ("10.250.0.2", 9999)); u.recvfrom(2000)
u.sendto(b"to a closed port", ("10.250.0.2", 9998))  # the kernel answers ICMP port unreachable
time.sleep(0.2)
n = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
n.setsockopt(socket.SOL_SOCKET, 11, 1)  # SO_NO_CHECK: UDP checksum 0
n.bind(("10.250.0.1", 40001))
n.sendto(b"no checksum", ("10.250.0.2", 9999))
time.sleep(0.3)
EOF

ip netns add pkt-a
ip netns add pkt-b
for n in pkt-a pkt-b; do
  ip netns exec $n sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
done
ip link add va netns pkt-a address 02:00:0a:fa:00:01 type veth peer name vb netns pkt-b address 02:00:0a:fa:00:02
ip -n pkt-a addr add 10.250.0.1/24 dev va
ip -n pkt-b addr add 10.250.0.2/24 dev vb
for n in pkt-a:va pkt-b:vb; do ip -n ${n%:*} link set ${n#*:} up; ip -n ${n%:*} link set lo up; done
ip netns exec pkt-b python3 "$WORK/server.py" & SRV=$!
sleep 0.5
for phase in on off; do
  if [ $phase = off ]; then
    ip netns exec pkt-a ethtool -K va tx off >/dev/null
    ip netns exec pkt-b ethtool -K vb tx off >/dev/null
  fi
  ip netns exec pkt-a ethtool -k va | grep '^tx-checksumming'
  ip -n pkt-a neigh flush dev va
  ip -n pkt-b neigh flush dev vb
  ip netns exec pkt-b tcpdump -i vb -U -s 0 -w "$WORK/$phase.pcap" 2>/dev/null & TD=$!
  sleep 1
  ip netns exec pkt-a python3 "$WORK/client.py" $phase
  sleep 0.5
  kill $TD; wait $TD || true; TD=
  cp "$WORK/$phase.pcap" "$OUT/"
done
echo "captured into $OUT"
