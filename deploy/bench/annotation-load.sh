#!/usr/bin/env bash
# Benchmark of annotation-service under a crowd: simulated annotators (k = 3, character-matched) fetch a task and submit
# its rating in a loop, at 1, 16, 64 and 256 at once, on studies of 15k and 150k items; in the same run the anchor, the
# same rating rows inserted straight into the same PostgreSQL by plain JDBC over as many connections. Starts its own
# PostgreSQL (embedded-postgres) and Kafka broker (deploy/local) in a temporary folder, and the packaged service.
# Takes about 10 minutes on 2 cores. Results: deploy/bench/results/annotation-load.txt.
#
#   deploy/bench/annotation-load.sh                                        # 15000,150000 items; 1,16,64,256 annotators
#   BENCH_ITEMS=15000 BENCH_ANNOTATORS=64 BENCH_SECONDS=10 deploy/bench/annotation-load.sh   # a quick look
#   BENCH_PACED=300 (the rate the paced runs offer, 0 for none), BENCH_WARMUP=10 (per level), BENCH_JIT_WARMUP=60 (once,
#   before the first level), BENCH_HEAP=512m, BENCH_JFR=/tmp/a.jfr
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${BENCH_OUT:-$ROOT/deploy/bench/results/annotation-load.txt}
if [ ! -f "$ROOT/deploy/bench/target/bench.classpath" ] || [ ! -f "$ROOT/annotation-service/target/quarkus-app/quarkus-run.jar" ] \
    || [ -n "$(find "$ROOT/annotation-service/src" "$ROOT/deploy/bench/src" "$ROOT/deploy/events/src" -newer "$ROOT/deploy/bench/target/bench.classpath" -type f -print -quit)" ]; then
  (cd "$ROOT" && ./mvnw -B -q -DskipTests install -pl deploy/bench -am)
fi
CP="$ROOT/deploy/bench/target/classes:$(cat "$ROOT/deploy/bench/target/bench.classpath")"
exec java -Xmx1g -cp "$CP" -Desrp.root="$ROOT" -Dbench.out="$OUT" \
  -Dbench.items="${BENCH_ITEMS:-15000,150000}" -Dbench.annotators="${BENCH_ANNOTATORS:-1,16,64,256}" \
  -Dbench.seconds="${BENCH_SECONDS:-30}" -Dbench.paced="${BENCH_PACED:-300}" -Dbench.warmup="${BENCH_WARMUP:-10}" -Dbench.jit-warmup="${BENCH_JIT_WARMUP:-60}" -Dbench.heap="${BENCH_HEAP:-512m}" ${BENCH_JFR:+-Dbench.jfr="$BENCH_JFR"} \
  org.esrp.bench.AnnotationLoad
