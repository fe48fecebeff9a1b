package org.esrp.annotation.repository;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.domain.Task;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * The study's queue of items: claims walk the partial index of items with a free slot in the study's order and lock
 * the first eligible one, skipping rows other claims hold, so a claim costs the same at 15k and 150k items.
 *
 * <p>Each claim is one statement: pick, take a slot and insert the lease commit together. A concurrent claim that read
 * the item before this one committed re-reads the updated row when it locks it, sees no slot left and moves on: k is
 * never exceeded. Leases that expire are given back by {@link #reapExpired()}.
 */
@ApplicationScoped
public class TaskQueue {

    private static final String CLAIM = """
            WITH candidate AS (
                SELECT i.id FROM item i
                WHERE i.study_id = :study AND %s
                  AND (:match = false OR i.character_id IN (SELECT c.character_id FROM annotator_character c WHERE c.annotator_id = :annotator))
                  AND (i.responder_id IS NULL OR i.responder_id NOT IN (SELECT o.responder_id FROM annotator_responder o WHERE o.annotator_id = :annotator))
                  AND NOT EXISTS (SELECT 1 FROM rating r WHERE r.item_id = i.id AND r.annotator_id = :annotator)
                  AND NOT EXISTS (SELECT 1 FROM task l WHERE l.item_id = i.id AND l.annotator_id = :annotator AND l.status = 'LEASED')
                ORDER BY i.priority, i.id
                LIMIT 1
                FOR UPDATE OF i SKIP LOCKED),
            slot AS (
                UPDATE item SET open_slots = item.open_slots - 1 FROM candidate WHERE item.id = candidate.id RETURNING item.id)
            INSERT INTO task (id, item_id, annotator_id, status, leased_at, expires_at, shuffle_seed)
            SELECT :task, slot.id, :annotator, 'LEASED', now(), now() + make_interval(secs => :lease), :seed FROM slot
            RETURNING item_id, leased_at, expires_at""";

    // Gold items are not capped at k: each annotator's pass rate needs them.
    private static final String CLAIM_RATED = CLAIM.formatted("NOT i.gold AND i.open_slots > 0");
    private static final String CLAIM_GOLD = CLAIM.formatted("i.gold");

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
            freed AS (SELECT item_id, count(*) AS n FROM expired GROUP BY item_id ORDER BY item_id)
            UPDATE item SET open_slots = item.open_slots + freed.n FROM freed WHERE item.id = freed.item_id""";

    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Leases the first eligible item to the annotator: the lease, or null when no item is eligible. Runs on the
     * caller's session (its connection), never on a second one: a request holding one connection while it waits for
     * another would starve the pool under a crowd.
     */
    public Uni<Task> claim(UUID studyId, boolean gold, boolean matchCharacters, UUID annotatorId, int leaseSeconds) {
        Task task = new Task();
        task.id = UUID.randomUUID();
        task.annotatorId = annotatorId;
        task.status = Task.LEASED;
        task.shuffleSeed = RANDOM.nextLong();
        return Panache.getSession().flatMap(session -> session.createNativeQuery(gold ? CLAIM_GOLD : CLAIM_RATED, Object[].class)
                        .setParameter("study", studyId).setParameter("match", matchCharacters).setParameter("annotator", annotatorId)
                        .setParameter("task", task.id).setParameter("lease", (double) leaseSeconds).setParameter("seed", task.shuffleSeed)
                        .getResultList())
                .map(rows -> {
                    if (rows.isEmpty()) {
                        return null;
                    }
                    Object[] row = rows.get(0);
                    task.itemId = row[0] instanceof UUID id ? id : UUID.fromString(row[0].toString());
                    task.leasedAt = timestamp(row[1]);
                    task.expiresAt = timestamp(row[2]);
                    return task;
                });
    }

    /** Marks expired leases EXPIRED and gives their slots back; the number of items that got slots back. */
    public Uni<Integer> reapExpired() {
        return Panache.getSession().flatMap(session -> session.createNativeQuery(REAP).executeUpdate());
    }

    private static OffsetDateTime timestamp(Object value) {
        if (value instanceof OffsetDateTime t) {
            return t;
        }
        if (value instanceof Instant t) {
            return t.atOffset(ZoneOffset.UTC);
        }
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant().atOffset(ZoneOffset.UTC);
        }
        return OffsetDateTime.parse(value.toString());
    }
}
