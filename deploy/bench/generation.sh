#!/usr/bin/env bash
# Benchmark of generation-service at the provider's limit: the packaged service against an OpenAI-compatible endpoint
# that answers every call after exactly the same latency (deploy/local's FakeLlmServer, 200 ms), with its own
# PostgreSQL and Kafka broker in a temporary folder. Two runs of 1,200 dialogues per responder (3 calls each):
# 1 responder at max concurrency 32, then 10 responders at 8, each against its ideal N x 3 x latency / concurrency.
# Takes about 3 minutes on 2 cores. Results: deploy/bench/results/generation.txt.
#
#   deploy/bench/generation.sh
#   BENCH_DIALOGUES=600 BENCH_LATENCY=200 BENCH_CASES=1x32 deploy/bench/generation.sh   # a quicker look
#   BENCH_JFR=/tmp/g.jfr (a flight recording of the service)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${BENCH_OUT:-$ROOT/deploy/bench/results/generation.txt}
if [ ! -f "$ROOT/deploy/bench/target/bench.classpath" ] || [ ! -f "$ROOT/generation-service/target/quarkus-app/quarkus-run.jar" ] \
    || [ -n "$(find "$ROOT/generation-service/src" "$ROOT/deploy/bench/src" "$ROOT/deploy/local/src" "$ROOT/deploy/events/src" "$ROOT/deploy/llm/src" "$ROOT/deploy/common/src" -newer "$ROOT/deploy/bench/target/bench.classpath" -type f -print -quit)" ]; then
  (cd "$ROOT" && ./mvnw -B -q -DskipTests install -pl deploy/bench -am)
fi
CP="$ROOT/deploy/bench/target/classes:$(cat "$ROOT/deploy/bench/target/bench.classpath")"
exec java -Xmx1g -cp "$CP" -Desrp.root="$ROOT" -Dbench.out="$OUT" \
  -Dbench.dialogues="${BENCH_DIALOGUES:-1200}" -Dbench.latency="${BENCH_LATENCY:-200}" -Dbench.heap="${BENCH_HEAP:-512m}" \
  -Dbench.cases="${BENCH_CASES:-1x32,10x8}" ${BENCH_JFR:+-Dbench.jfr="$BENCH_JFR"} \
  org.esrp.bench.GenerationThroughput
