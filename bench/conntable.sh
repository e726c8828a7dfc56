#!/usr/bin/env bash
# The connection table against HashMap and ConcurrentHashMap holding the same connections:
#  1. memory: bytes per entry measured from the process (heap after GC + direct buffers) at 2 M and 10 M;
#  2. JMH: lookups, packets (lookup + state/expiry update), inserts and expiries per second at 1 M and
#     10 M entries, printed as a table with the ratios jlvs / map.
#
# Needs jlvs-core installed (`mvn install` at the root, or CORE=1 here to install it without tests).
# Knobs: SIZES="1000000 10000000" (JMH), MEMORY_SIZES="2000000 10000000", JMH_ARGS="..." (extra JMH
# options, e.g. "-wi 1 -i 1" or a benchmark regexp), SKIP_MEMORY=1, SKIP_JMH=1, HEAP=8g (memory tool).
# One full run takes about 10 minutes on two cores. Results land in bench/jmh/target/conntable-*.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES=${SIZES:-"1000000 10000000"}
MEMORY_SIZES=${MEMORY_SIZES:-"2000000 10000000"}
HEAP=${HEAP:-8g}
JAR=bench/jmh/target/benchmarks.jar
OUT=bench/jmh/target

if [ "${CORE:-0}" = 1 ]; then
    mvn -B -q -o -f bundles/core/pom.xml install -DskipTests
fi
mvn -B -q -o -f bench/jmh/pom.xml package

if [ "${SKIP_MEMORY:-0}" != 1 ]; then
    echo "== memory per connection (heap used after GC + direct memory, measured in the process)"
    # shellcheck disable=SC2086
    java -Xmx"$HEAP" -cp "$JAR" org.jlvs.core.internal.ConnTableMemory --compare $MEMORY_SIZES \
        | tee "$OUT/conntable-memory.txt"
    echo
fi

if [ "${SKIP_JMH:-0}" != 1 ]; then
    echo "== JMH (1 fork; lookup/packet: 2 warmups + 3 iterations x 2 s; insert: single shots; expire: 10 + 20 shots)"
    size_param=$(echo "$SIZES" | tr ' ' ',')
    # shellcheck disable=SC2086
    java -jar "$JAR" ConnTableBenchmark -p size="$size_param" -rf json -rff "$OUT/conntable-jmh.json" \
        ${JMH_ARGS:-} > "$OUT/conntable-jmh.log"
    python3 - "$OUT/conntable-jmh.json" <<'EOF'
import json, sys
SPREAD = 64  # the expiry benchmark removes 1/64 of the table per shot
rows = {}
for r in json.load(open(sys.argv[1])):
    bench = r["benchmark"].rsplit(".", 1)[1]
    impl, size = r["params"]["impl"], int(r["params"]["size"])
    score, unit = r["primaryMetric"]["score"], r["primaryMetric"]["scoreUnit"]
    if unit == "ops/s":
        rate = score
    else:  # single shot: time per shot
        seconds = score / {"s/op": 1, "ms/op": 1e3, "us/op": 1e6}[unit]
        rate = (size if bench == "insert" else size / SPREAD) / seconds
    rows[(bench, size, impl)] = rate
what = {"lookup": "lookups/s", "packet": "packets/s (lookup+update)", "insert": "inserts/s",
        "expire": "expiries/s"}
print(f"{'operation':<27} {'entries':>10} {'jlvs':>13} {'HashMap':>13} {'CHM':>13} {'jlvs/HashMap':>13} {'jlvs/CHM':>9}")
for bench in ["lookup", "packet", "insert", "expire"]:
    for size in sorted({k[1] for k in rows if k[0] == bench}):
        j, h, c = (rows.get((bench, size, i)) for i in ["jlvs", "HashMap", "ConcurrentHashMap"])
        fmt = lambda v: f"{v:13,.0f}" if v else f"{'-':>13}"
        ratio = lambda a, b: f"{a / b:.2f}" if a and b else "-"
        print(f"{what[bench]:<27} {size:>10,} {fmt(j)} {fmt(h)} {fmt(c)} {ratio(j, h):>13} {ratio(j, c):>9}")
EOF
fi
