#!/usr/bin/env bash
# metrics-service's restart-to-ready with and without its class-data archive (app-cds.jsa), alternately, on the broker
# and state that a metrics-scale run kept: run `BENCH_WORK=/tmp/w BENCH_SIZES=132000 deploy/bench/metrics-scale.sh`
# first, then `BENCH_WORK=/tmp/w deploy/bench/metrics-restart.sh`. BENCH_SIZE=132000 and BENCH_ROUNDS=5 by default;
# BENCH_HOLD_SECONDS keeps each instance that long once ready (to look at it with jcmd); BENCH_JAVA_OPTIONS adds
# options to its JVM (a flight recording, for instance).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${BENCH_WORK:?set BENCH_WORK to the folder a metrics-scale run kept}"
(cd "$ROOT" && ./mvnw -B -q -DskipTests install -pl deploy/bench -am)
CP="$ROOT/deploy/bench/target/classes:$(cat "$ROOT/deploy/bench/target/bench.classpath")"
exec java -Xmx512m -cp "$CP" -Desrp.root="$ROOT" -Dbench.work="$BENCH_WORK" -Dbench.size="${BENCH_SIZE:-132000}" \
  -Dbench.rounds="${BENCH_ROUNDS:-5}" -Dbench.hold-seconds="${BENCH_HOLD_SECONDS:-0}" \
  ${BENCH_JAVA_OPTIONS:+"-Dbench.java-options=$BENCH_JAVA_OPTIONS"} org.esrp.bench.MetricsRestart
