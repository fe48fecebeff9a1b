package org.esrp.annotation.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.domain.JudgeRun;
import org.esrp.llm.RunStart;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Judge runs and their judgments (one judge, one DIALOGUE item), claimed under a lease as generation claims dialogues:
 * the judge's row is locked while its live leases are counted, so a judge's max concurrency holds over every replica;
 * SKIP LOCKED lets replicas claim side by side; a finished judgment hands its lease to the judge's next one in the
 * statement that stores its rating and counts it in its run.
 */
@ApplicationScoped
public class JudgeRunRepository {

    /** Judgments of one judge in flight at once when its settings name no max concurrency. */
    public static final int DEFAULT_CONCURRENCY = 4;
    private static final String ACTIVE_WORK = "(j.status = 'QUEUED' OR (j.status = 'RUNNING' AND j.lease_until < now()))";
    /** A run may take another judgment while what it spent, and its judgments in flight and one more at its average, fit its budget. */
    private static final String WITHIN_BUDGET = """
            (r.budget IS NULL OR r.done + r.failed = 0 OR r.cost + r.cost / (r.done + r.failed) * (1 + (SELECT count(*) FROM judgment f
                WHERE f.run_id = r.id AND f.status = 'RUNNING' AND f.lease_until >= now())) <= r.budget)""";

    private final Pool pool;

    public JudgeRunRepository(Pool pool) {
        this.pool = pool;
    }

    /** A judgment leased to this replica. */
    public record Claim(UUID judgeId, UUID itemId, UUID runId) {
    }

    /**
     * Starts a run of the judge over the study's DIALOGUE items that it has not rated (new ones, and those whose
     * judgment failed before), in one transaction; or, while a run of this judge is going on, returns that one.
     */
    public Uni<RunStart<JudgeRun>> start(UUID studyId, UUID judgeId, BigDecimal budget) {
        UUID runId = UUID.randomUUID();
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT id FROM judge WHERE id = $1 FOR UPDATE").execute(Tuple.of(judgeId))
                .flatMap(locked -> conn.preparedQuery("SELECT id FROM judge_run WHERE judge_id = $1 AND status IN ('RUNNING', 'BUDGET_REACHED')")
                        .execute(Tuple.of(judgeId)))
                .flatMap(going -> going.iterator().hasNext()
                        ? find(conn, studyId, judgeId, going.iterator().next().getUUID(0)).map(run -> new RunStart<>(run, false))
                        : conn.preparedQuery("""
                                INSERT INTO judge_run (id, judge_id, study_id, status, budget, created_at)
                                VALUES ($1, $2, $3, 'RUNNING', $4, now())""")
                        .execute(Tuple.of(runId, judgeId, studyId, budget))
                        .flatMap(inserted -> conn.preparedQuery("""
                                        INSERT INTO judgment (judge_id, item_id, run_id, status, updated_at)
                                        SELECT $2, i.id, $3, 'QUEUED', now() FROM item i
                                        WHERE i.study_id = $1 AND i.kind = 'DIALOGUE' AND NOT i.gold
                                        ON CONFLICT (judge_id, item_id) DO UPDATE
                                            SET status = 'QUEUED', run_id = excluded.run_id, lease_until = NULL, failure_reason = NULL,
                                                updated_at = now()
                                            WHERE judgment.status = 'FAILED'""")
                                .execute(Tuple.of(studyId, judgeId, runId)))
                        .flatMap(queued -> conn.preparedQuery("UPDATE judge_run SET total = $2 WHERE id = $1")
                                .execute(Tuple.of(runId, queued.rowCount())))
                        .flatMap(counted -> find(conn, studyId, judgeId, runId))
                        .map(run -> new RunStart<>(run, true))));
    }

    public Uni<JudgeRun> find(UUID studyId, UUID judgeId, UUID runId) {
        return pool.withConnection(conn -> find(conn, studyId, judgeId, runId));
    }

    public Uni<List<JudgeRun>> list(UUID studyId, UUID judgeId) {
        return pool.preparedQuery("SELECT * FROM judge_run WHERE study_id = $1 AND judge_id = $2 ORDER BY created_at DESC, id")
                .execute(Tuple.of(studyId, judgeId))
                .map(rows -> {
                    List<JudgeRun> runs = new ArrayList<>();
                    rows.forEach(row -> runs.add(toRun(row)));
                    return runs;
                });
    }

    /** Cancels a run: its queued judgments are dropped (the next run queues them again); those in flight finish. Null: no such run going on. */
    public Uni<JudgeRun> cancel(UUID studyId, UUID judgeId, UUID runId) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        UPDATE judge_run SET status = 'CANCELLED', finished_at = now()
                        WHERE id = $1 AND study_id = $2 AND judge_id = $3 AND status IN ('RUNNING', 'BUDGET_REACHED')""")
                .execute(Tuple.of(runId, studyId, judgeId))
                .flatMap(updated -> updated.rowCount() == 0 ? Uni.createFrom().nullItem() : conn.preparedQuery(
                                "DELETE FROM judgment WHERE run_id = $1 AND status = 'QUEUED'")
                        .execute(Tuple.of(runId))
                        .flatMap(queued -> find(conn, studyId, judgeId, runId))));
    }

    /** Sets a run's budget; a run stopped by its budget goes on if the new one allows. Null: no such run going on. */
    public Uni<JudgeRun> setBudget(UUID studyId, UUID judgeId, UUID runId, BigDecimal budget) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        UPDATE judge_run SET budget = $4, status = CASE WHEN status = 'BUDGET_REACHED' THEN 'RUNNING' ELSE status END
                        WHERE id = $1 AND study_id = $2 AND judge_id = $3 AND status IN ('RUNNING', 'BUDGET_REACHED')""")
                .execute(Tuple.tuple(Arrays.asList(runId, studyId, judgeId, budget)))
                .flatMap(updated -> updated.rowCount() == 0 ? Uni.createFrom().nullItem() : find(conn, studyId, judgeId, runId)));
    }

    /** The judges with judgments to claim. */
    public Uni<List<UUID>> judgesWithWork() {
        return pool.query("SELECT DISTINCT j.judge_id FROM judgment j JOIN judge_run r ON r.id = j.run_id WHERE r.status = 'RUNNING' AND "
                        + ACTIVE_WORK)
                .execute()
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getUUID(0)));
                    return ids;
                });
    }

    /**
     * Claims up to {@code limit} judgments of the judge for this replica, never so many that the judge has more live
     * leases than its max concurrency, counted over every replica. Items in the order the annotators' queue takes them,
     * so that a partial run covers what the humans have rated too.
     */
    public Uni<List<Claim>> claim(UUID judgeId, int limit, long leaseMillis) {
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT coalesce(max_concurrency, $2) FROM judge WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(judgeId, DEFAULT_CONCURRENCY))
                .flatMap(locked -> !locked.iterator().hasNext() ? Uni.createFrom().item(List.<Claim>of()) : conn.preparedQuery("""
                                UPDATE judgment SET status = 'RUNNING', lease_until = now() + $3 * interval '1 millisecond',
                                       attempts = attempts + 1, updated_at = now()
                                WHERE judge_id = $1 AND item_id IN (
                                    SELECT j.item_id FROM judgment j JOIN judge_run r ON r.id = j.run_id JOIN item i ON i.id = j.item_id
                                    WHERE j.judge_id = $1 AND r.status = 'RUNNING' AND %s AND %s
                                    ORDER BY i.priority, j.item_id
                                    LIMIT greatest(0, least($2, $4 - (SELECT count(*) FROM judgment l
                                                                      WHERE l.judge_id = $1 AND l.status = 'RUNNING' AND l.lease_until >= now())))
                                    FOR UPDATE OF j SKIP LOCKED)
                                RETURNING judge_id, item_id, run_id""".formatted(ACTIVE_WORK, WITHIN_BUDGET))
                        .execute(Tuple.of(judgeId, limit, leaseMillis, locked.iterator().next().getInteger(0)))
                        .map(JudgeRunRepository::claims)));
    }

    /** The heartbeat of a replica: its judgments stay its own for another lease. */
    public Uni<Void> renewLeases(List<Claim> held, long leaseMillis) {
        return pool.preparedQuery("""
                        UPDATE judgment SET lease_until = now() + $3 * interval '1 millisecond'
                        WHERE (judge_id, item_id) IN (SELECT * FROM unnest($1::uuid[], $2::uuid[])) AND status = 'RUNNING'""")
                .execute(Tuple.of(held.stream().map(Claim::judgeId).toArray(UUID[]::new), held.stream().map(Claim::itemId).toArray(UUID[]::new),
                        leaseMillis))
                .replaceWithVoid();
    }

    /** How a judgment ended: the scores (JSON) when it is done, else why it failed; and what its calls cost. */
    public record Outcome(String scores, String failure, long durationMs, long tokensIn, long tokensOut, BigDecimal cost) {
    }

    /**
     * Ends a claimed judgment, in one statement: when it is done, stores its rating (the outbox publishes it); counts it
     * and its cost in its run, once (even when a lease ran out and two replicas finish it); and hands the lease over to
     * the judge's next queued judgment: none when there is none, or {@code judgeId} is null (a replica stopping).
     */
    public Uni<Ended> handOver(Claim claim, Outcome outcome, UUID nextOf, long leaseMillis) {
        boolean done = outcome.failure() == null;
        return pool.preparedQuery("""
                        WITH finished AS (
                            UPDATE judgment SET status = $3, failure_reason = $4, lease_until = NULL, updated_at = now()
                            WHERE judge_id = $1 AND item_id = $2 AND status = 'RUNNING'
                            RETURNING judge_id, item_id, run_id),
                        rated AS (
                            INSERT INTO rating (id, task_id, item_id, annotator_id, study_id, idempotency_key, scores, comment, duration_ms,
                                                flags, gold, gold_passed, created_at)
                            SELECT $5, NULL, f.item_id, f.judge_id, i.study_id, 'judgment:' || f.item_id, $6, NULL, $7, '[]', false, NULL, now()
                            FROM finished f JOIN item i ON i.id = f.item_id
                            WHERE $3 = 'DONE'
                            ON CONFLICT DO NOTHING
                            RETURNING id),
                        counted AS (
                            UPDATE judge_run SET done = done + CASE WHEN $3 = 'DONE' THEN 1 ELSE 0 END,
                                                 failed = failed + CASE WHEN $3 = 'DONE' THEN 0 ELSE 1 END,
                                                 tokens_in = tokens_in + $8, tokens_out = tokens_out + $9, cost = cost + $10
                            WHERE id IN (SELECT run_id FROM finished)),
                        next AS (
                            UPDATE judgment SET status = 'RUNNING', lease_until = now() + $12 * interval '1 millisecond',
                                   attempts = attempts + 1, updated_at = now()
                            WHERE judge_id = $11 AND item_id IN (
                                SELECT j.item_id FROM judgment j JOIN judge_run r ON r.id = j.run_id JOIN item i ON i.id = j.item_id
                                WHERE $11::uuid IS NOT NULL AND j.judge_id = $11 AND r.status = 'RUNNING' AND j.item_id <> $2 AND %s AND %s
                                  AND (SELECT count(*) FROM judgment l WHERE l.judge_id = $11 AND l.status = 'RUNNING' AND l.lease_until >= now())
                                      <= (SELECT coalesce(max_concurrency, %d) FROM judge WHERE id = $11)
                                ORDER BY i.priority, j.item_id
                                LIMIT 1
                                FOR UPDATE OF j SKIP LOCKED)
                            RETURNING judge_id, item_id, run_id)
                        SELECT (SELECT count(*) FROM rated) AS rated, n.judge_id, n.item_id, n.run_id
                        FROM (SELECT 1) AS one LEFT JOIN next n ON true""".formatted(ACTIVE_WORK, WITHIN_BUDGET, DEFAULT_CONCURRENCY))
                .execute(Tuple.tuple(Arrays.asList(claim.judgeId(), claim.itemId(), done ? "DONE" : "FAILED", outcome.failure(),
                        UUID.randomUUID(), outcome.scores(), outcome.durationMs(), outcome.tokensIn(), outcome.tokensOut(), outcome.cost(),
                        nextOf, leaseMillis)))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new Ended(row.getLong("rated") > 0, row.getUUID("item_id") == null ? Optional.empty()
                            : Optional.of(new Claim(row.getUUID("judge_id"), row.getUUID("item_id"), row.getUUID("run_id"))));
                });
    }

    /** How a hand-over went: whether it stored a rating (not when another replica had finished the judgment), and the next claim. */
    public record Ended(boolean rated, Optional<Claim> next) {
    }

    /**
     * Marks runs with nothing left to do as completed, and runs that may not take their next judgment within their
     * budget, with nothing in flight any more, as BUDGET_REACHED.
     */
    public Uni<Void> completeFinishedRuns() {
        return pool.query("""
                        UPDATE judge_run SET status = 'COMPLETED', finished_at = now()
                        WHERE status = 'RUNNING'
                          AND NOT EXISTS (SELECT 1 FROM judgment j WHERE j.run_id = judge_run.id AND j.status IN ('QUEUED', 'RUNNING'))""")
                .execute()
                .flatMap(completed -> pool.query("""
                                UPDATE judge_run SET status = 'BUDGET_REACHED'
                                WHERE status = 'RUNNING' AND budget IS NOT NULL AND done + failed > 0 AND cost + cost / (done + failed) > budget
                                  AND NOT EXISTS (SELECT 1 FROM judgment j WHERE j.run_id = judge_run.id AND j.status = 'RUNNING'
                                                  AND j.lease_until >= now())""")
                        .execute())
                .replaceWithVoid();
    }

    private static List<Claim> claims(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<Claim> claims = new ArrayList<>();
        rows.forEach(row -> claims.add(new Claim(row.getUUID("judge_id"), row.getUUID("item_id"), row.getUUID("run_id"))));
        return claims;
    }

    private Uni<JudgeRun> find(SqlConnection conn, UUID studyId, UUID judgeId, UUID runId) {
        return conn.preparedQuery("SELECT * FROM judge_run WHERE id = $1 AND study_id = $2 AND judge_id = $3")
                .execute(Tuple.of(runId, studyId, judgeId))
                .map(rows -> rows.iterator().hasNext() ? toRun(rows.iterator().next()) : null);
    }

    private static JudgeRun toRun(Row row) {
        JudgeRun run = new JudgeRun();
        run.id = row.getUUID("id");
        run.judgeId = row.getUUID("judge_id");
        run.studyId = row.getUUID("study_id");
        run.status = JudgeRun.Status.valueOf(row.getString("status"));
        run.total = row.getInteger("total");
        run.done = row.getInteger("done");
        run.failed = row.getInteger("failed");
        run.budget = row.getBigDecimal("budget");
        run.tokensIn = row.getLong("tokens_in");
        run.tokensOut = row.getLong("tokens_out");
        run.cost = row.getBigDecimal("cost");
        run.createdAt = row.getOffsetDateTime("created_at");
        run.finishedAt = row.getOffsetDateTime("finished_at");
        return run;
    }
}
