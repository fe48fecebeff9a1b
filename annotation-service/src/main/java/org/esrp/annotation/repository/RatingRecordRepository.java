package org.esrp.annotation.repository;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.common.messaging.Traced;
import org.esrp.events.RatingEvent;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * Ratings read as analysts see them (unblinded), for the outbox and the exports. Plain SQL on the reactive pool:
 * keyset pages and SKIP LOCKED, read outside any Hibernate session.
 */
@ApplicationScoped
public class RatingRecordRepository {

    private static final String SELECT = """
            SELECT r.id, r.study_id, r.item_id, r.annotator_id, r.scores, r.comment, r.duration_ms, r.flags, r.gold,
                   r.gold_passed, r.created_at, i.kind, i.dialogue_id, i.responder_id, i.responder_kind, i.model_name,
                   i.character_id, i.character_name, i.scenario_id, a.kind AS rater_kind, j.model_name AS rater_model, r.trace_parent,
                   (SELECT string_agg(ia.response_id::text, ',' ORDER BY ia.position) FROM item_answer ia WHERE ia.item_id = i.id) AS response_ids
            FROM rating r JOIN item i ON i.id = r.item_id JOIN annotator a ON a.id = r.annotator_id LEFT JOIN judge j ON j.id = r.annotator_id
            """;

    private final Pool pool;
    private final ObjectMapper mapper;

    public RatingRecordRepository(Pool pool, ObjectMapper mapper) {
        this.pool = pool;
        this.mapper = mapper;
    }

    /** Where an export page ended: the next page starts after it. */
    public record Cursor(OffsetDateTime createdAt, UUID id) {
        public static final Cursor START = new Cursor(OffsetDateTime.parse("1970-01-01T00:00:00Z"), new UUID(0, 0));
    }

    public Uni<List<RatingEvent>> page(UUID studyId, Cursor after, int size) {
        return pool.preparedQuery(SELECT + " WHERE r.study_id = $1 AND (r.created_at, r.id) > ($2, $3) ORDER BY r.created_at, r.id LIMIT $4")
                .execute(Tuple.of(studyId, after.createdAt(), after.id(), size))
                .map(rows -> {
                    List<RatingEvent> page = new ArrayList<>();
                    rows.forEach(row -> page.add(toRecord(row)));
                    return page;
                });
    }

    /**
     * Locks a batch of unpublished ratings (other replicas skip them), hands their records to {@code publish}, and marks
     * as published those it returns, in one transaction.
     */
    public Uni<Integer> relay(int batchSize, Function<List<Traced<RatingEvent>>, Uni<List<UUID>>> publish) {
        return pool.withTransaction(conn -> pending(conn, batchSize)
                .flatMap(records -> records.isEmpty() ? Uni.createFrom().item(List.<UUID>of()) : publish.apply(records))
                .flatMap(published -> published.isEmpty()
                        ? Uni.createFrom().item(0)
                        : conn.preparedQuery("UPDATE rating SET published_at = now() WHERE id = ANY($1)")
                                .execute(Tuple.of(published.toArray(UUID[]::new)))
                                .map(rows -> rows.rowCount())));
    }

    private Uni<List<Traced<RatingEvent>>> pending(SqlConnection conn, int batchSize) {
        return conn.preparedQuery(SELECT + " WHERE r.published_at IS NULL ORDER BY r.created_at, r.id LIMIT $1 FOR UPDATE OF r SKIP LOCKED")
                .execute(Tuple.of(batchSize))
                .map(rows -> {
                    List<Traced<RatingEvent>> records = new ArrayList<>();
                    rows.forEach(row -> records.add(new Traced<>(toRecord(row), row.getString("trace_parent"))));
                    return records;
                });
    }

    private RatingEvent toRecord(Row row) {
        String responseIds = row.getString("response_ids");
        return new RatingEvent(
                RatingEvent.SCHEMA_VERSION,
                row.getUUID("id"),
                row.getUUID("study_id"),
                row.getString("kind"),
                row.getUUID("item_id"),
                row.getUUID("dialogue_id"),
                responseIds == null ? List.of() : Arrays.stream(responseIds.split(",")).map(UUID::fromString).toList(),
                row.getUUID("responder_id"),
                row.getString("responder_kind"),
                row.getString("model_name"),
                row.getUUID("character_id"),
                row.getString("character_name"),
                row.getUUID("scenario_id"),
                row.getUUID("annotator_id"),
                row.getString("rater_kind"),
                row.getString("rater_model"),
                read(row.getString("scores"), new TypeReference<Map<String, Integer>>() { }),
                row.getString("comment"),
                row.getLong("duration_ms"),
                read(row.getString("flags"), new TypeReference<List<String>>() { }),
                row.getBoolean("gold"),
                row.getBoolean("gold_passed"),
                row.getOffsetDateTime("created_at"));
    }

    private <T> T read(String json, TypeReference<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
