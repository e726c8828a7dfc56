#!/usr/bin/env bash
# The whole test suite: unit tests, karaf:verify of every feature, Pax Exam tests of the built distribution
# (itests/), then the end-to-end tests in the network-namespace lab (lab/e2e.py). Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")"

lab/setup-host.sh
[ -d /usr/lib/jvm/java-17-openjdk-amd64 ] && export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64

echo "== mvn verify: unit tests, karaf:verify, Pax Exam"
mvn -B verify

# Every lab test file boots the appliance once; all of them run even when one fails. On a machine shared with
# other work the appliance's start can take minutes: lab/director.sh waits up to DIRECTOR_WAIT seconds.
export DIRECTOR_WAIT="${DIRECTOR_WAIT:-300}"
failed=0
for t in lab/e2e.py lab/e2e_schedulers.py lab/e2e_dr_tun.py lab/e2e_health.py lab/e2e_config.py lab/e2e_marks.py lab/e2e_conns.py lab/e2e_ha.py lab/e2e_sync.py lab/e2e_failover.py lab/e2e_install.py lab/e2e_nolibpcap.py lab/e2e_metrics.py; do
    echo "== end-to-end: $t"
    python3 "$t" || failed=1
done
# The suites above run on the default PacketIo (AF_PACKET); the basic suite runs on the portable pcap one too.
echo "== end-to-end: lab/e2e.py on pcap"
LAB_PACKETIO=pcap python3 lab/e2e.py || failed=1
exit $failed
