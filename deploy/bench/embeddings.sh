#!/usr/bin/env bash
# Benchmark: CPU and wall time of metrics-service's semantic-diversity embeddings (bge-small-zh-v1.5, in the JVM) on
# recorded ChatAnime answers, as packaged, against LangChain4j's own model class with ONNX Runtime's default session
# over one thread per core (how metrics-service ran it before). Alternates the two, twice. Needs the build
# (./mvnw -DskipTests install). Results: deploy/bench/results/embeddings.txt.
#
#   deploy/bench/embeddings.sh [answers, default 1000]
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
DATA=$(realpath -m "${ESRP_DATA_DIR:-$ROOT/../shared/data/chatanime}")
OUT=$ROOT/deploy/bench/results
mkdir -p "$OUT"
N=${1:-1000}
APP=$ROOT/metrics-service/target/quarkus-app
[ -f "$ROOT/deploy/bench/target/bench.classpath" ] && [ -f "$APP/quarkus-run.jar" ] || (cd "$ROOT" && ./mvnw -B -q -DskipTests install)
CP="$ROOT/deploy/bench/target/classes:$(ls "$APP"/app/*.jar "$APP"/lib/main/*.jar | tr '\n' ':')"
{
  echo "# deploy/bench/embeddings.sh $N, $(date -u +%FT%TZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
  for round in 1 2; do
    for variant in langchain4j platform; do
      java -Xmx512m -Dai.djl.offline=true -cp "$CP" org.esrp.bench.EmbeddingThroughput "$variant" "$N" "$DATA" 2>/dev/null | grep -v '^WARN'
    done
  done
} | tee "$OUT/embeddings.txt"
