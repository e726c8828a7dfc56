#!/usr/bin/env bash
# Entries per second through the sync codec (encode, decode with every receive check), the sending rule per
# packet, and queue offer + master drain, with JMH (1 fork, 2 warmups + 3 iterations x 2 s; about 1 minute).
# Needs the project installed (`mvn install` at the root). Results: bench/jmh/target/sync-codec-jmh.{json,log}.
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=bench/jmh/target/benchmarks.jar
OUT=bench/jmh/target
mvn -B -q ${MAVEN_ARGS:-} -f bench/jmh/pom.xml package
# shellcheck disable=SC2086
java -jar "$JAR" SyncCodecBenchmark -rf json -rff "$OUT/sync-codec-jmh.json" ${JMH_ARGS:-} > "$OUT/sync-codec-jmh.log"
python3 - "$OUT/sync-codec-jmh.json" <<'PY'
import json, sys
print("%-14s %16s %10s" % ("benchmark", "per second", "error"))
for r in json.load(open(sys.argv[1])):
    m = r["primaryMetric"]
    err = m["scoreError"]
    err = "n/a" if isinstance(err, str) or err != err else "%.0f" % err  # JMH writes "NaN" for too few iterations
    print("%-14s %16.0f %10s" % (r["benchmark"].rsplit(".", 1)[1], m["score"], err))
PY
