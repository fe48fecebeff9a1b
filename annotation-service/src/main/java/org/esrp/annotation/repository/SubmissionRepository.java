package org.esrp.annotation.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A rating's way in: one statement reads what deciding needs, one statement stores it. The store is a single statement,
 * so it is one transaction: the lease ends, the item's count grows and the rating (its own outbox entry) is written
 * together, or nothing is. Its guard (the lease still live and this annotator's) is checked under the lease's row lock,
 * so a late, a second or a reaped submission stores nothing. Plain SQL on the reactive pool (see {@link TaskQueue}).
 */
@ApplicationScoped
public class SubmissionRepository {

    private static final String READ = """
            SELECT t.id AS task_id, t.annotator_id, t.status, t.leased_at, t.expires_at,
                   i.id AS item_id, i.study_id, i.kind, i.gold, i.gold_expected,
                   r.id AS seen_id, r.task_id AS seen_task, r.request_hash AS seen_hash, r.flags AS seen_flags, r.created_at AS seen_at
            FROM (SELECT 1) one
            LEFT JOIN task t ON t.id = $1
            LEFT JOIN item i ON i.id = t.item_id
            LEFT JOIN rating r ON r.annotator_id = $2 AND r.idempotency_key = $3""";

    private static final String STORE = """
            WITH lease AS (
                UPDATE task SET status = 'SUBMITTED'
                WHERE id = $2 AND annotator_id = $4 AND status = 'LEASED' AND expires_at > now()
                RETURNING item_id),
            counted AS (
                UPDATE item SET ratings = item.ratings + 1 FROM lease WHERE item.id = lease.item_id RETURNING item.id, item.study_id)
            INSERT INTO rating (id, task_id, item_id, annotator_id, study_id, idempotency_key, request_hash, scores, comment,
                                duration_ms, flags, gold, gold_passed, created_at, trace_parent)
            SELECT $1, $2, counted.id, $4, counted.study_id, $5, $6, $7, $8, $9, $10, $11, $12, $3, $13 FROM counted
            RETURNING id""";

    private final Pool pool;

    public SubmissionRepository(Pool pool) {
        this.pool = pool;
    }

    /** The task (null fields when it does not exist), its item, and the rating stored earlier under the same key, if any. */
    public record Submission(UUID taskId, UUID annotatorId, String status, OffsetDateTime leasedAt, OffsetDateTime expiresAt,
                             UUID itemId, UUID studyId, String kind, boolean gold, String goldExpected,
                             Seen seen) {
    }

    /** A rating stored before under an Idempotency-Key. */
    public record Seen(UUID ratingId, UUID taskId, String requestHash, String flags, OffsetDateTime createdAt) {
    }

    public Uni<Submission> read(UUID taskId, UUID annotatorId, String idempotencyKey) {
        return pool.preparedQuery(READ).execute(Tuple.of(taskId, annotatorId, idempotencyKey)).map(rows -> {
            Row row = rows.iterator().next();
            Seen seen = row.getUUID("seen_id") == null ? null : new Seen(row.getUUID("seen_id"), row.getUUID("seen_task"),
                    row.getString("seen_hash"), row.getString("seen_flags"), row.getOffsetDateTime("seen_at"));
            return new Submission(row.getUUID("task_id"), row.getUUID("annotator_id"), row.getString("status"),
                    row.getOffsetDateTime("leased_at"), row.getOffsetDateTime("expires_at"), row.getUUID("item_id"),
                    row.getUUID("study_id"), row.getString("kind"), Boolean.TRUE.equals(row.getBoolean("gold")),
                    row.getString("gold_expected"), seen);
        });
    }

    /** The rating to store: its lease, its scores and flags as JSON, the trace of the request that sent it. */
    public record NewRating(UUID id, UUID taskId, OffsetDateTime createdAt, UUID annotatorId, String idempotencyKey,
                            String requestHash, String scores, String comment, long durationMs, String flags, boolean gold,
                            Boolean goldPassed, String traceParent) {
    }

    /** True when stored; false when the lease was no longer live (expired, reaped, or submitted meanwhile). */
    public Uni<Boolean> store(NewRating r) {
        Tuple values = Tuple.tuple();
        for (Object value : new Object[] {r.id(), r.taskId(), r.createdAt(), r.annotatorId(), r.idempotencyKey(), r.requestHash(),
                r.scores(), r.comment(), r.durationMs(), r.flags(), r.gold(), r.goldPassed(), r.traceParent()}) {
            values.addValue(value);
        }
        return pool.preparedQuery(STORE).execute(values).map(rows -> rows.rowCount() == 1);
    }
}
