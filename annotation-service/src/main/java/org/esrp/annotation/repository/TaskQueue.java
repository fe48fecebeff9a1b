package org.esrp.annotation.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.service.AnnotationMeters;

import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The study's queue of items: claims walk the partial index of items with a free slot in the study's order and lock
 * the first eligible one, skipping rows other claims hold, so a claim costs the same at 15k and 150k items.
 *
 * <p>Each claim is one statement: pick, take a slot and insert the lease commit together. A concurrent claim that read
 * the item before this one committed re-reads the updated row when it locks it, sees no slot left and moves on: k is
 * never exceeded. Leases that expire are given back by {@link #reapExpired()}. Plain SQL on the reactive pool, one
 * statement per step and no Hibernate session held: this is the path every annotator takes for every task.
 */
@ApplicationScoped
public class TaskQueue {

    // An annotator's live leases in a study, the first to expire first.
    private static final String LIVE = """
            SELECT t.id, t.item_id, t.expires_at, t.shuffle_seed FROM task t JOIN item i ON i.id = t.item_id
            WHERE t.annotator_id = %s AND t.status = 'LEASED' AND t.expires_at > now() AND i.study_id = %s
            ORDER BY t.expires_at, t.id LIMIT %s""";

    private static final String ACTIVE = LIVE.formatted("$1", "$2", "$3");

    // The annotator's live lease in the study if it has one and may resume it, else a new one: one statement either way.
    // The candidate (one of the walks below) is the first eligible item with a free slot, locked; the rest of the
    // statement takes its slot and leases it.
    private static final String NEXT = "WITH active AS (" + LIVE.formatted("$3", "$1", "CASE WHEN $8 THEN 1 ELSE 0 END") + "),\n"
            + "candidate AS (%s),\n" + """
            slot AS (
                UPDATE item SET open_slots = item.open_slots - 1 FROM candidate WHERE item.id = candidate.id RETURNING item.id),
            claimed AS (
                INSERT INTO task (id, item_id, annotator_id, status, leased_at, expires_at, shuffle_seed)
                SELECT $4, slot.id, $3, 'LEASED', $5, $6, $7 FROM slot
                RETURNING id, item_id, expires_at, shuffle_seed)
            SELECT * FROM active UNION ALL SELECT * FROM claimed""";

    // What the annotator may not rate: answers of its own responders, items it rated or holds.
    private static final String ELIGIBLE = """
            (i.responder_id IS NULL OR i.responder_id NOT IN (SELECT o.responder_id FROM annotator_responder o WHERE o.annotator_id = $3))
                  AND NOT EXISTS (SELECT 1 FROM rating r WHERE r.item_id = i.id AND r.annotator_id = $3)
                  AND NOT EXISTS (SELECT 1 FROM task l WHERE l.item_id = i.id AND l.annotator_id = $3 AND l.status = 'LEASED')""";

    // The walk of the study's whole queue, in its order (item_queue or item_gold_queue).
    private static final String WALK = """
            SELECT i.id FROM item i
                WHERE NOT EXISTS (SELECT 1 FROM active)
                  AND i.study_id = $1 AND %s
                  AND ($2 = false OR i.character_id IN (SELECT c.character_id FROM annotator_character c WHERE c.annotator_id = $3))
                  AND %s
                ORDER BY i.priority, i.id
                LIMIT 1
                FOR UPDATE OF i SKIP LOCKED""";

    // An annotator matched to characters walks the queue of each of its characters (item_character_queue) and takes
    // the head with the first place in the study's order: the item the walk of the whole queue would find, without
    // reading past the items of every other character, which pile up at the front as a study fills. Each walk locks its
    // head, skipping rows other claims hold; the heads not taken are let go when the statement ends.
    private static final String WALK_BY_CHARACTER = """
            SELECT head.id FROM annotator_character c
                CROSS JOIN LATERAL (
                    SELECT i.id, i.priority FROM item i
                    WHERE i.study_id = $1 AND i.character_id = c.character_id AND NOT i.gold AND i.open_slots > 0
                      AND %s
                    ORDER BY i.priority, i.id
                    LIMIT 1
                    FOR UPDATE OF i SKIP LOCKED) head
                WHERE $2 AND c.annotator_id = $3 AND NOT EXISTS (SELECT 1 FROM active)
                ORDER BY head.priority, head.id
                LIMIT 1""";

    // Gold items are not capped at k: each annotator's pass rate needs them.
    private static final String NEXT_RATED = NEXT.formatted(WALK.formatted("NOT i.gold AND i.open_slots > 0", ELIGIBLE));
    private static final String NEXT_RATED_BY_CHARACTER = NEXT.formatted(WALK_BY_CHARACTER.formatted(ELIGIBLE));
    private static final String NEXT_GOLD = NEXT.formatted(WALK.formatted("i.gold", ELIGIBLE));

    // One reaper at a time across replicas: two of them giving back slots of the same items in different orders
    // would deadlock.
    private static final String REAP = """
            WITH expired AS (
                UPDATE task SET status = 'EXPIRED'
                WHERE id IN (SELECT t.id FROM task t
                             WHERE t.status = 'LEASED' AND t.expires_at <= now() AND (SELECT pg_try_advisory_xact_lock(7240119))
                             ORDER BY t.expires_at LIMIT 1000
                             FOR UPDATE SKIP LOCKED)
                RETURNING item_id),
            freed AS (SELECT item_id, count(*) AS n FROM expired GROUP BY item_id ORDER BY item_id),
            given AS (UPDATE item SET open_slots = item.open_slots + freed.n FROM freed WHERE item.id = freed.item_id RETURNING freed.n)
            SELECT coalesce(sum(n), 0) FROM given""";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Pool pool;
    private final AnnotationMeters meters;

    public TaskQueue(Pool pool, AnnotationMeters meters) {
        this.pool = pool;
        this.meters = meters;
    }

    /** A live lease: which item, until when, and the seed that orders a diversity set's answers for this annotator. */
    public record Lease(UUID taskId, UUID itemId, OffsetDateTime expiresAt, long shuffleSeed) {
    }

    /**
     * The annotator's live lease in the study when {@code resume} and it has one, else a new lease of the first
     * eligible item; null when there is neither.
     */
    public Uni<Lease> next(UUID studyId, boolean gold, boolean matchCharacters, UUID annotatorId, int leaseSeconds, boolean resume) {
        OffsetDateTime now = OffsetDateTime.now();
        UUID taskId = UUID.randomUUID();
        return pool.preparedQuery(gold ? NEXT_GOLD : matchCharacters ? NEXT_RATED_BY_CHARACTER : NEXT_RATED)
                .execute(Tuple.from(List.of(studyId, matchCharacters, annotatorId, taskId, now,
                        now.plusSeconds(leaseSeconds), RANDOM.nextLong(), resume)))
                .map(rows -> leases(rows).stream().findFirst().orElse(null))
                // a new lease carries the id made here; a resumed one its own
                .invoke(lease -> {
                    if (lease != null && lease.taskId().equals(taskId)) {
                        meters.leased();
                    }
                });
    }

    /** The annotator's live leases in a study, the first to expire first. */
    public Uni<List<Lease>> active(UUID annotatorId, UUID studyId, int limit) {
        return pool.preparedQuery(ACTIVE).execute(Tuple.of(annotatorId, studyId, limit)).map(TaskQueue::leases);
    }

    /** Marks expired leases EXPIRED and gives their slots back; the number of leases that expired. */
    public Uni<Long> reapExpired() {
        return pool.query(REAP).execute().map(rows -> rows.iterator().next().getLong(0)).invoke(expired -> {
            if (expired > 0) {
                meters.expired(expired);
            }
        });
    }

    private static List<Lease> leases(RowSet<Row> rows) {
        List<Lease> leases = new ArrayList<>();
        for (Row row : rows) {
            leases.add(new Lease(row.getUUID("id"), row.getUUID("item_id"), row.getOffsetDateTime("expires_at"),
                    row.getLong("shuffle_seed")));
        }
        return leases;
    }
}
