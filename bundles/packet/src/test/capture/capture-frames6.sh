#!/bin/bash
# Captures the IPv6 frames embedded in ../java/org/jlvs/packet/Captured6.java (run as root; needs ip, ethtool,
# tcpdump, ping, python3). Three network namespaces, addresses in fd00:a::/64 and fd00:b::/64 inside them only:
#   v6pkt-a (a0, fd00:a::1, 02:00:00:00:0a:01) -- v6pkt-r (r0 fd00:a::2 02:00:00:00:0a:02 | r1 fd00:b::2, MTU 1280)
#   -- v6pkt-b (b0, fd00:b::1, MTU 1280)
# tcpdump records on r0 (the a-r link) while a's address is configured (DAD, MLD), a pings r (NS, NA, echo, a
# fragmented echo), talks TCP and UDP with b through r (an ICMPv6 port unreachable from b, a Packet Too Big
# from r for a datagram too big for r1, then that datagram in fragments), pings b with hop limit 1 (time
# exceeded from r), sends UDP with a destination options and a hop-by-hop header, changes its MAC address
# (unsolicited NA, ndisc_notify) and sends one UDP datagram with TX checksum offload on (a partial checksum).
# Writes DIR/v6.pcap (DIR: argument or a new temporary directory); then
#   python3 to-java6.py DIR/v6.pcap > ../java/org/jlvs/packet/Captured6.java
# regenerates the test fixture. The namespaces are removed on exit, also on failure.
set -u
OUT=${1:-$(mktemp -d)}
WORK=$(mktemp -d)
A=v6pkt-a R=v6pkt-r B=v6pkt-b
cleanup() {
  [ -n "${SRV:-}" ] && kill "$SRV" 2>/dev/null
  [ -n "${TD:-}" ] && kill "$TD" 2>/dev/null
  sleep 0.3
  for n in $A $R $B; do ip netns del $n 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT
set -e

cat > "$WORK/server.py" <<'EOF'
import socket, threading
def tcp():
    s = socket.socket(socket.AF_INET6); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("fd00:b::1", 8080)); s.listen(4)
    while True:
        c, _ = s.accept(); c.recv(100); c.sendall(b"pong jlvs6\n"); c.close()
def udp():
    u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.bind(("fd00:b::1", 9999))
    while True:
        d, a = u.recvfrom(4000); u.sendto(b"echo:" + d[:40], a)
threading.Thread(target=tcp, daemon=True).start()
threading.Thread(target=udp, daemon=True).start()
threading.Event().wait()
EOF
cat > "$WORK/client.py" <<'EOF'
import socket, sys, time
B = ("fd00:b::1", 9999)
if sys.argv[1] == "traffic":
    c = socket.create_connection(("fd00:b::1", 8080), timeout=3)
    c.sendall(b"hello jlvs6\n"); c.recv(100); c.close()
    time.sleep(0.2)
    u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.settimeout(3)
    u.bind(("fd00:a::1", 40000))
    u.sendto(b"udp jlvs6 payload", B); u.recvfrom(2000)
    u.sendto(b"to a closed port", ("fd00:b::1", 9998))  # b answers ICMPv6 port unreachable
    time.sleep(0.2)
    u.sendto(b"B" * 1400, B)  # too big for r1: r answers Packet Too Big
    time.sleep(0.3)
    u.sendto(b"F" * 1400, B)  # now sent in fragments of the path MTU
    time.sleep(0.3)
    # Destination options (a PadN option) and, apart, a hop-by-hop header (PadN), as ancillary data.
    u.sendmsg([b"with dstopts"], [(socket.IPPROTO_IPV6, 59, bytes([0, 0, 1, 4, 0, 0, 0, 0]))], 0, B)
    time.sleep(0.1)
    u.sendmsg([b"with hopopts"], [(socket.IPPROTO_IPV6, 54, bytes([0, 0, 1, 4, 0, 0, 0, 0]))], 0, B)
    time.sleep(0.3)
else:
    u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    u.bind(("fd00:a::1", 40001))
    u.sendto(b"offloaded checksum", B)
    time.sleep(0.2)
EOF

for n in $A $R $B; do ip netns add $n; ip -n $n link set lo up; done
ip link add a0 netns $A address 02:00:00:00:0a:01 type veth peer name r0 netns $R address 02:00:00:00:0a:02
ip link add r1 netns $R address 02:00:00:00:0b:02 type veth peer name b0 netns $B address 02:00:00:00:0b:01
for d in $A:a0 $R:r0 $R:r1 $B:b0; do ip netns exec ${d%:*} ethtool -K ${d#*:} tx off >/dev/null; done
ip netns exec $R sysctl -qw net.ipv6.conf.all.forwarding=1
ip netns exec $A sysctl -qw net.ipv6.conf.a0.ndisc_notify=1
ip -n $R link set r1 mtu 1280; ip -n $B link set b0 mtu 1280
ip -n $R addr add fd00:a::2/64 dev r0 nodad
ip -n $R addr add fd00:b::2/64 dev r1 nodad
ip -n $B addr add fd00:b::1/64 dev b0 nodad
ip -n $R link set r0 up; ip -n $R link set r1 up; ip -n $B link set b0 up
ip -n $B route add default via fd00:b::2
ip netns exec $B python3 "$WORK/server.py" & SRV=$!
ip netns exec $R tcpdump -i r0 -U -s 0 -w "$WORK/v6.pcap" 2>/dev/null & TD=$!
sleep 1
ip -n $A link set a0 up
ip -n $A addr add fd00:a::1/64 dev a0           # DAD: a Neighbour Solicitation from ::, MLD reports
sleep 3
ip -n $A route add default via fd00:a::2
ip netns exec $A ping -6 -c 1 -p 6a6c7673 fd00:a::2 >/dev/null       # NS, NA, echo request and reply
ip netns exec $A ping -6 -c 1 -s 2000 fd00:a::2 >/dev/null           # fragmented both ways
ip netns exec $A ping -6 -c 1 -t 1 -W 1 fd00:b::1 >/dev/null || true  # time exceeded from r
sleep 0.5
ip netns exec $A python3 "$WORK/client.py" traffic
ip -n $A link set a0 address 02:00:00:00:0a:03                        # unsolicited NA (ndisc_notify)
sleep 0.5
ip netns exec $A ethtool -K a0 tx on >/dev/null
ip netns exec $A python3 "$WORK/client.py" offload
sleep 0.5
kill $TD; wait $TD || true; TD=
cp "$WORK/v6.pcap" "$OUT/"
echo "captured into $OUT/v6.pcap"
