#!/usr/bin/env bash
# The whole test suite: unit tests, karaf:verify of every feature, Pax Exam tests of the built distribution
# (itests/), then the end-to-end tests in the network-namespace lab (lab/e2e.py). Run as root on Debian 12.
set -euo pipefail
cd "$(dirname "$0")"

lab/setup-host.sh
[ -d /usr/lib/jvm/java-17-openjdk-amd64 ] && export JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64

echo "== mvn verify: unit tests, karaf:verify, Pax Exam"
mvn -B verify

echo "== end-to-end tests in the lab"
python3 lab/e2e.py
