#!/usr/bin/env bash
# Benchmark: annotation-service streams its rating exports in constant memory. Against a running local platform
# (deploy/local/platform up, demo study loaded), it adds synthetic ratings of the demo study's items straight into
# annotation-service's database, 13,200 and then 132,000 (the published study's size: about 13,200 dialogues x 10
# ratings), downloads the JSONL and CSV exports of each while sampling the service's resident memory, and removes the
# synthetic ratings again. Constant memory: the peak does not grow tenfold with the data. Results:
# deploy/bench/results/export-memory.txt.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
STATE=${ESRP_STATE_DIR:-$ROOT/deploy/local/.state}
PG_PORT=${ESRP_PG_PORT:-15432}
ANN=http://127.0.0.1:8081
OUT=$ROOT/deploy/bench/results
mkdir -p "$OUT"
ADMIN=${ESRP_ADMIN_TOKEN:-$(cat "$STATE/admin-token")}
PID=$(cat "$STATE/pids/annotation.pid")
psql() { PGPASSWORD=postgres command psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d annotation -qAt "$@"; }

STUDY=$(psql -c "SELECT study_id FROM item GROUP BY study_id ORDER BY count(*) DESC LIMIT 1")
insert_ratings() {
psql <<SQL
INSERT INTO annotator (id, display_name, token_hash, created_at)
SELECT gen_random_uuid(), 'bench-' || g, md5('bench-' || g || random()) || md5('x' || g || random()), now() FROM generate_series(1, 10) g;
CREATE TEMP TABLE bench_pairs AS
SELECT i.id AS item_id, a.id AS annotator_id, gen_random_uuid() AS task_id
FROM (SELECT id FROM item WHERE study_id = '$STUDY' AND NOT gold ORDER BY id) i
CROSS JOIN (SELECT id FROM annotator WHERE display_name LIKE 'bench-%') a
LIMIT $1;
INSERT INTO task (id, item_id, annotator_id, status, leased_at, expires_at, shuffle_seed)
SELECT task_id, item_id, annotator_id, 'SUBMITTED', now(), now(), 0 FROM bench_pairs;
INSERT INTO rating (id, task_id, item_id, annotator_id, study_id, idempotency_key, scores, comment, duration_ms, flags, gold, created_at, published_at)
SELECT gen_random_uuid(), task_id, item_id, annotator_id, '$STUDY', 'bench-' || task_id,
       '{"fluency":4,"coherency":4,"consistency":3,"characterKnowledge":4,"speechStyle":3,"behavioralHabit":4,"demandMatching":5,"experienceSharing":3,"emotionalValue":4}',
       NULL, 30000, '[]', false, now(), now()
FROM bench_pairs;
SQL
}


rss() { awk '/VmRSS/ {print $2}' "/proc/$PID/status"; }
measure() {
  local name=$1 path=$2 before peak=0 bytes start end
  before=$(rss)
  start=$(date +%s.%N)
  curl -fs -H "Authorization: Bearer $ADMIN" "$ANN/studies/$STUDY/$path" -o "/tmp/bench-export.$name" &
  local curl_pid=$!
  while kill -0 $curl_pid 2>/dev/null; do
    local now; now=$(rss); [ "$now" -gt "$peak" ] && peak=$now; sleep 0.2
  done
  wait $curl_pid
  end=$(date +%s.%N)
  bytes=$(stat -c %s "/tmp/bench-export.$name")
  printf '%-6s %8d lines %10d bytes %6.1f s   RSS before %6d MiB, peak %6d MiB\n' "$name" \
    "$(wc -l < "/tmp/bench-export.$name")" "$bytes" "$(echo "$end - $start" | bc)" $((before / 1024)) $((peak / 1024))
  rm -f "/tmp/bench-export.$name"
}
remove_ratings() {
psql <<SQL
DELETE FROM rating WHERE idempotency_key LIKE 'bench-%';
DELETE FROM task WHERE annotator_id IN (SELECT id FROM annotator WHERE display_name LIKE 'bench-%');
DELETE FROM annotator WHERE display_name LIKE 'bench-%';
SQL
}

echo "annotation-service exports (study $STUDY, service -Xmx768m), $(date -u +%FT%TZ), $(nproc) cores" | tee "$OUT/export-memory.txt"
for n in 13200 132000; do
  insert_ratings "$n"
  count=$(psql -c "SELECT count(*) FROM rating WHERE study_id = '$STUDY'")
  { echo "$count ratings:"; measure jsonl ratings.jsonl; measure csv ratings.csv; } | tee -a "$OUT/export-memory.txt"
  remove_ratings
done
