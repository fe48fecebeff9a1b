#!/usr/bin/env bash
# Benchmark of metrics-service at the seed study's size and beyond: 10k, 132k and 1M synthetic ratings of the demo
# study's dialogues on a real Kafka broker (deploy/local's, started here on a free port in a temporary folder), with the
# packaged metrics-service. Per size: catch-up of a fresh instance against a bare consumer's read rate of the same
# topics (the anchor), GET latencies, stream freshness with 20 open streams at 500 ratings/s, restart-to-ready, memory.
# Takes 15 to 30 minutes on 2 cores. Results: deploy/bench/results/metrics-scale.txt.
#
#   deploy/bench/metrics-scale.sh                     # sizes 10000,132000,1000000
#   BENCH_SIZES=10000 deploy/bench/metrics-scale.sh   # a quick look
#   BENCH_EMBEDDINGS=false, BENCH_HEAP=384m, BENCH_JFR=/tmp/jfr (a flight recording per instance), BENCH_JAVA_OPTIONS=
#   (more options for the instance's JVM, e.g. -XX:NativeMemoryTracking=summary), BENCH_WORK=/tmp/w
#   (keeps the broker, its answers, embeddings and ratings, for the next run) for trying things, BENCH_CATCH_UP_ONLY=true
#   (stops after each size's catch-up: for A/B runs of it), BENCH_FLOOR=false (leaves out the engine floor: a bare Kafka
#   Streams application with the service's guarantees and one store write per record, beside the anchor)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DATA=${ESRP_DATA_DIR:-$ROOT/../shared/data/chatanime}
OUT=$ROOT/deploy/bench/results/metrics-scale.txt
if [ ! -f "$ROOT/deploy/bench/target/bench.classpath" ] || [ ! -f "$ROOT/metrics-service/target/quarkus-app/quarkus-run.jar" ] \
    || [ -n "$(find "$ROOT/metrics-service/src" "$ROOT/deploy/bench/src" "$ROOT/deploy/events/src" -newer "$ROOT/deploy/bench/target/bench.classpath" -type f -print -quit)" ]; then
  (cd "$ROOT" && ./mvnw -B -q -DskipTests install -pl deploy/bench -am)
fi
CP="$ROOT/deploy/bench/target/classes:$(cat "$ROOT/deploy/bench/target/bench.classpath")"
exec java -Xmx2g -cp "$CP" -Desrp.root="$ROOT" -Desrp.data.dir="$DATA" -Dbench.out="$OUT" \
  -Dbench.sizes="${BENCH_SIZES:-10000,132000,1000000}" ${BENCH_HEAP:+-Dbench.heap="$BENCH_HEAP"} \
  -Dbench.embeddings="${BENCH_EMBEDDINGS:-true}" ${BENCH_JFR:+-Dbench.jfr="$BENCH_JFR"} ${BENCH_JAVA_OPTIONS:+"-Dbench.java-options=$BENCH_JAVA_OPTIONS"} ${BENCH_WORK:+-Dbench.work="$BENCH_WORK"} -Dbench.catch-up-only="${BENCH_CATCH_UP_ONLY:-false}" -Dbench.floor="${BENCH_FLOOR:-true}" \
  org.esrp.bench.MetricsScale
