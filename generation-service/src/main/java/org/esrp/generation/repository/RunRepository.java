package org.esrp.generation.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.generation.domain.Run;
import org.esrp.generation.domain.RunStatus;
import org.esrp.llm.RunStart;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs and the work queue they make of the dialogue table. Plain SQL on the reactive pool: the queue needs
 * row locks with {@code SKIP LOCKED} and set-based updates, and it is read from threads without a Vert.x context
 * (workers, progress streams).
 */
@ApplicationScoped
public class RunRepository {

    /** Dialogues of one responder generated at once when its settings name no max concurrency. */
    public static final int DEFAULT_CONCURRENCY = 4;
    /** A run may take another dialogue while what it spent, and what its dialogues in flight and one more will cost at
     * its average so far, stays within its budget. */
    private static final String WITHIN_BUDGET = """
            (r.budget IS NULL OR (SELECT s.finished = 0 OR s.cost + s.cost / s.finished * (1 + (SELECT count(*) FROM dialogue f
                WHERE f.run_id = r.id AND f.status = 'RUNNING' AND f.lease_until >= now())) <= r.budget
                FROM (%s) s))""".formatted(tallied("r"));
    /** Rows of the run's tally that a hand-over adds to; any one does, so that concurrent hand-overs seldom share one. */
    private static final int TALLY_SHARDS = 16;

    private static final String CLAIM = """
            WITH %s
            UPDATE dialogue SET status = 'RUNNING', lease_until = now() + $3 * interval '1 millisecond',
                   attempts = attempts + 1, updated_at = now()
            WHERE id IN (SELECT id FROM candidates)
            RETURNING id, run_id""".formatted(candidates("$1", "greatest(0, least($2, $4 - " + liveLeases("$1") + "))", "TRUE"));
    private static final String HAND_OVER = """
            WITH finished AS (
                UPDATE dialogue SET status = $2, failure_reason = $3, lease_until = NULL, updated_at = now()
                WHERE id = $1 AND status = 'RUNNING'
                RETURNING run_id),
            spent AS (
                SELECT coalesce(sum(coalesce(a.tokens_in, 0) + coalesce(a.simulator_tokens_in, 0)), 0) AS tokens_in,
                       coalesce(sum(coalesce(a.tokens_out, 0) + coalesce(a.simulator_tokens_out, 0)), 0) AS tokens_out,
                       coalesce(sum(a.cost), 0) AS cost
                FROM response a WHERE a.dialogue_id = $1 AND a.run_id IN (SELECT run_id FROM finished)),
            counted AS (
                INSERT INTO run_tally AS t (run_id, shard, done, failed, tokens_in, tokens_out, cost)
                SELECT f.run_id, (hashtext($1::text) & %d)::smallint, CASE WHEN $2 = 'DONE' THEN 1 ELSE 0 END,
                       CASE WHEN $2 = 'DONE' THEN 0 ELSE 1 END, spent.tokens_in, spent.tokens_out, spent.cost
                FROM finished f, spent
                ON CONFLICT (run_id, shard) DO UPDATE SET done = t.done + excluded.done, failed = t.failed + excluded.failed,
                       tokens_in = t.tokens_in + excluded.tokens_in, tokens_out = t.tokens_out + excluded.tokens_out,
                       cost = t.cost + excluded.cost),
            %s,
            next AS (
                UPDATE dialogue SET status = 'RUNNING', lease_until = now() + $5 * interval '1 millisecond',
                       attempts = attempts + 1, updated_at = now()
                WHERE id IN (SELECT id FROM candidates)
                RETURNING id, run_id)
            SELECT id, run_id FROM next""".formatted(TALLY_SHARDS - 1, candidates("$4", "1", """
            $4::uuid IS NOT NULL AND d.id <> $1
              AND %s <= (SELECT coalesce(max_concurrency, %d) FROM responder WHERE id = $4)""".formatted(
            liveLeases("$4"), DEFAULT_CONCURRENCY)));

    private final Pool pool;

    public RunRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Starts a run of the study unless one is active (running, or stopped by its budget): then that one is returned and
     * nothing changes, so a start sent again after a lost answer or a time-out never makes a second run. A new run
     * creates the dialogues it needs (every character x scenario x LLM responder that has none yet) queued, and queues
     * every other one that is not done, in one transaction. Dialogues that exist are never created again.
     */
    public Uni<RunStart<Run>> start(UUID studyId, BigDecimal budget) {
        UUID runId = UUID.randomUUID();
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        INSERT INTO run (id, study_id, status, total, budget, created_at) VALUES ($1, $2, 'RUNNING', 0, $3, now())
                        ON CONFLICT (study_id) WHERE status IN ('RUNNING', 'BUDGET_REACHED') DO NOTHING""")
                .execute(Tuple.of(runId, studyId, budget))
                .flatMap(inserted -> inserted.rowCount() == 0
                        ? active(conn, studyId).map(run -> new RunStart<>(run, false))
                        : queue(conn, studyId, runId).map(run -> new RunStart<>(run, true))));
    }

    private Uni<Run> active(SqlConnection conn, UUID studyId) {
        return conn.preparedQuery("SELECT id FROM run WHERE study_id = $1 AND status IN ('RUNNING', 'BUDGET_REACHED')")
                .execute(Tuple.of(studyId))
                .flatMap(rows -> find(conn, studyId, rows.iterator().next().getUUID(0)));
    }

    // New dialogues are inserted queued: one write per dialogue, where an insert and then an update wrote each twice.
    private Uni<Run> queue(SqlConnection conn, UUID studyId, UUID runId) {
        return conn.preparedQuery("""
                        INSERT INTO dialogue (id, study_id, character_id, scenario_id, responder_id, status, run_id, created_at, updated_at)
                        SELECT gen_random_uuid(), $1, c.id, s.id, r.id, 'QUEUED', $2, now(), now()
                        FROM study_character c
                        CROSS JOIN scenario s
                        JOIN responder r ON r.study_id = $1 AND r.kind = 'LLM'
                        WHERE c.study_id = $1 AND s.study_id = $1
                        ON CONFLICT (study_id, character_id, scenario_id, responder_id) DO NOTHING""")
                .execute(Tuple.of(studyId, runId))
                .flatMap(created -> conn.preparedQuery("""
                                UPDATE dialogue d SET status = 'QUEUED', run_id = $2, lease_until = NULL, updated_at = now()
                                FROM responder r
                                WHERE d.responder_id = r.id AND r.kind = 'LLM' AND d.study_id = $1
                                  AND (d.status IN ('PENDING', 'FAILED') OR (d.status = 'RUNNING' AND d.lease_until < now()))""")
                        .execute(Tuple.of(studyId, runId))
                        .map(queued -> created.rowCount() + queued.rowCount()))
                .flatMap(total -> conn.preparedQuery("""
                                UPDATE run SET total = $2,
                                       status = CASE WHEN $2 = 0 THEN 'COMPLETED' ELSE status END,
                                       finished_at = CASE WHEN $2 = 0 THEN now() ELSE NULL END
                                WHERE id = $1""")
                        .execute(Tuple.of(runId, total)))
                .flatMap(updated -> find(conn, studyId, runId));
    }

    public Uni<Run> find(UUID studyId, UUID runId) {
        return pool.withConnection(conn -> find(conn, studyId, runId));
    }

    public Uni<List<Run>> listByStudy(UUID studyId) {
        return pool.preparedQuery("SELECT r.*, s.* FROM run r, LATERAL (%s) s WHERE r.study_id = $1 ORDER BY r.created_at DESC"
                        .formatted(tallied("r")))
                .execute(Tuple.of(studyId))
                .map(rows -> {
                    List<Run> runs = new ArrayList<>();
                    rows.forEach(row -> runs.add(toRun(row)));
                    return runs;
                });
    }

    /** Cancels a running run: queued dialogues go back to waiting; claimed ones finish. */
    public Uni<Run> cancel(UUID studyId, UUID runId) {
        return pool.withTransaction(conn -> conn.preparedQuery(
                        "UPDATE run SET status = 'CANCELLED', finished_at = now() WHERE id = $1 AND study_id = $2 AND status IN ('RUNNING', 'BUDGET_REACHED')")
                .execute(Tuple.of(runId, studyId))
                .flatMap(r -> conn.preparedQuery(
                                "UPDATE dialogue SET status = 'PENDING', run_id = NULL, updated_at = now() WHERE run_id = $1 AND status = 'QUEUED'")
                        .execute(Tuple.of(runId)))
                .flatMap(r -> find(conn, studyId, runId)));
    }

    /** Responders that have claimable dialogues in some running run. */
    public Uni<List<UUID>> respondersWithWork() {
        // per responder, up to its first claimable dialogue, instead of listing every queued dialogue of every run
        return pool.query("""
                        SELECT p.id FROM responder p WHERE EXISTS (
                            SELECT 1 FROM dialogue d JOIN run r ON r.id = d.run_id
                            WHERE d.responder_id = p.id AND r.status = 'RUNNING' AND d.status = 'QUEUED')
                        OR EXISTS (
                            SELECT 1 FROM dialogue d JOIN run r ON r.id = d.run_id
                            WHERE d.responder_id = p.id AND r.status = 'RUNNING' AND d.status = 'RUNNING' AND d.lease_until < now())""")
                .execute()
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getUUID(0)));
                    return ids;
                });
    }

    /**
     * Claims up to {@code limit} dialogues of one responder for this replica, never so many that the responder has
     * more live leases than its max concurrency, counted over every replica. The responder's row is locked first, so
     * replicas claiming for it take turns, and each counts the leases the one before it committed. SKIP LOCKED lets
     * them claim side by side without ever taking the same dialogue; the lease hands a dialogue over if its replica
     * dies.
     */
    public Uni<List<Claim>> claim(UUID responderId, int limit, long leaseMillis) {
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT coalesce(max_concurrency, $2) FROM responder WHERE id = $1 FOR UPDATE")
                .execute(Tuple.of(responderId, DEFAULT_CONCURRENCY))
                .flatMap(locked -> !locked.iterator().hasNext() ? Uni.createFrom().item(List.<Claim>of()) : conn.preparedQuery(CLAIM)
                        .execute(Tuple.of(responderId, limit, leaseMillis, locked.iterator().next().getInteger(0)))
                        .map(rows -> {
                            List<Claim> claims = new ArrayList<>();
                            rows.forEach(row -> claims.add(new Claim(row.getUUID("id"), row.getUUID("run_id"))));
                            return claims;
                        })));
    }

    /** The heartbeat of a replica: its dialogues stay its own for another lease. */
    public Uni<Void> renewLeases(List<UUID> dialogueIds, long leaseMillis) {
        return pool.preparedQuery("UPDATE dialogue SET lease_until = now() + $2 * interval '1 millisecond' WHERE id = ANY($1) AND status = 'RUNNING'")
                .execute(Tuple.of(dialogueIds.toArray(UUID[]::new), leaseMillis))
                .replaceWithVoid();
    }

    /**
     * Ends a claimed dialogue, counts it and what its calls in this run cost in its run once (even if a lease ran out and two replicas finish it), and hands its lease over to the responder's next queued
     * dialogue, in one statement. A hand-over leaves the responder's number of live leases as it was, so it needs
     * neither the responder's lock nor a count, unless the responder's max concurrency was lowered below what is live:
     * then the slot ends. Empty when there is no next dialogue, or {@code responderId} is null (a replica stopping).
     */
    public Uni<Optional<Claim>> handOver(Claim claim, boolean done, String failureReason, UUID responderId, long leaseMillis) {
        return pool.preparedQuery(HAND_OVER)
                .execute(Tuple.tuple(java.util.Arrays.asList(claim.dialogueId(), done ? "DONE" : "FAILED", failureReason, responderId, leaseMillis)))
                .map(rows -> rows.iterator().hasNext()
                        ? Optional.of(new Claim(rows.iterator().next().getUUID("id"), rows.iterator().next().getUUID("run_id")))
                        : Optional.<Claim>empty());
    }

    /**
     * Marks runs with nothing left to do as completed, and runs that may not take their next dialogue within their
     * budget, with nothing in flight any more, as BUDGET_REACHED.
     */
    public Uni<Void> completeFinishedRuns() {
        return pool.query("""
                        UPDATE run SET status = 'COMPLETED', finished_at = now()
                        WHERE status = 'RUNNING'
                          AND NOT EXISTS (SELECT 1 FROM dialogue d WHERE d.run_id = run.id AND d.status IN ('QUEUED', 'RUNNING'))""")
                .execute()
                .flatMap(completed -> pool.query("""
                                UPDATE run SET status = 'BUDGET_REACHED'
                                WHERE status = 'RUNNING' AND budget IS NOT NULL
                                  AND (SELECT s.finished > 0 AND s.cost + s.cost / s.finished > run.budget FROM (%s) s)
                                  AND NOT EXISTS (SELECT 1 FROM dialogue d WHERE d.run_id = run.id AND d.status = 'RUNNING'
                                                  AND d.lease_until >= now())""".formatted(tallied("run")))
                        .execute())
                .replaceWithVoid();
    }

    /** Sets a run's budget; a run stopped by its budget goes on if the new one allows. Null: no such run going on. */
    public Uni<Run> setBudget(UUID studyId, UUID runId, BigDecimal budget) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        UPDATE run SET budget = $3, status = CASE WHEN status = 'BUDGET_REACHED' THEN 'RUNNING' ELSE status END
                        WHERE id = $1 AND study_id = $2 AND status IN ('RUNNING', 'BUDGET_REACHED')""")
                .execute(Tuple.of(runId, studyId, budget))
                .flatMap(updated -> updated.rowCount() == 0 ? Uni.createFrom().nullItem() : find(conn, studyId, runId)));
    }

    /**
     * WITH clauses that lock up to {@code limit} (an SQL expression) claimable dialogues of one responder as
     * {@code candidates}: leases that ran out first (a dead replica's dialogues), then the queue in creation order. Each
     * part reads its own partial index from where its rows start, and the queue is only read when the take-overs do not
     * fill the limit. {@code condition} is one more filter on {@code d}.
     *
     * <p>The run is checked per dialogue, not joined: as a join, the planner estimated the running runs within their
     * budget at about one row, so a limit of one looked like reading half the queue, and once the table had been
     * analyzed mid-run it read all of the responder's dialogues and sorted them on every hand-over (50 ms and 300 pages
     * each, against 2 ms; found with auto_explain during the demo's generation). {@code OFFSET 0} keeps the check a
     * filter, which the planner does not turn back into a join.
     */
    private static String candidates(String responder, String limit, String condition) {
        String common = """
                d.responder_id = %s AND (%s)
                      AND EXISTS (SELECT 1 FROM run r WHERE r.id = d.run_id AND r.status = 'RUNNING' AND %s OFFSET 0)"""
                .formatted(responder, condition, WITHIN_BUDGET);
        return """
                expired AS (
                    SELECT d.id FROM dialogue d
                    WHERE %1$s AND d.status = 'RUNNING' AND d.lease_until < now()
                    ORDER BY d.lease_until LIMIT %2$s FOR NO KEY UPDATE OF d SKIP LOCKED),
                queued AS (
                    SELECT d.id FROM dialogue d
                    WHERE %1$s AND d.status = 'QUEUED'
                    ORDER BY d.created_at, d.id LIMIT %2$s FOR NO KEY UPDATE OF d SKIP LOCKED),
                candidates AS (
                    SELECT id FROM (SELECT id FROM expired UNION ALL SELECT id FROM queued) c LIMIT %2$s)""".formatted(common, limit);
    }

    /** The live leases of a responder, over every replica. */
    private static String liveLeases(String responder) {
        return "(SELECT count(*) FROM dialogue l WHERE l.responder_id = %s AND l.status = 'RUNNING' AND l.lease_until >= now())"
                .formatted(responder);
    }

    /** A run's counts and spend, the sums of its tally's rows, as a query on the run {@code run} names. */
    private static String tallied(String run) {
        return """
                SELECT coalesce(sum(t.done), 0)::int AS done, coalesce(sum(t.failed), 0)::int AS failed,
                       coalesce(sum(t.done + t.failed), 0)::int AS finished, coalesce(sum(t.tokens_in), 0)::bigint AS tokens_in,
                       coalesce(sum(t.tokens_out), 0)::bigint AS tokens_out, coalesce(sum(t.cost), 0) AS cost
                FROM run_tally t WHERE t.run_id = %s.id""".formatted(run);
    }

    private Uni<Run> find(SqlConnection conn, UUID studyId, UUID runId) {
        return conn.preparedQuery("SELECT r.*, s.* FROM run r, LATERAL (%s) s WHERE r.id = $1 AND r.study_id = $2".formatted(tallied("r")))
                .execute(Tuple.of(runId, studyId))
                .map(rows -> rows.iterator().hasNext() ? toRun(rows.iterator().next()) : null);
    }

    private static Run toRun(Row row) {
        Run run = new Run();
        run.id = row.getUUID("id");
        run.studyId = row.getUUID("study_id");
        run.status = RunStatus.valueOf(row.getString("status"));
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

    /** A dialogue claimed by this replica, and the run it counts towards. */
    public record Claim(UUID dialogueId, UUID runId) {
    }
}
