package org.esrp.generation.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.events.ResponseEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** The response table read as a transactional outbox: stored answers whose record the broker has not acknowledged. */
@ApplicationScoped
public class OutboxRepository {

    private final Pool pool;

    public OutboxRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Locks a batch of unpublished answers (other replicas skip them), hands their records to {@code publish}, and
     * marks as published those it returns, all in one transaction: a crash before the commit leaves them unpublished.
     */
    public Uni<Integer> relay(int batchSize, Function<List<ResponseEvent>, Uni<List<UUID>>> publish) {
        return pool.withTransaction(conn -> pending(conn, batchSize)
                .flatMap(records -> records.isEmpty() ? Uni.createFrom().item(List.<UUID>of()) : publish.apply(records))
                .flatMap(published -> published.isEmpty()
                        ? Uni.createFrom().item(0)
                        : conn.preparedQuery("UPDATE response SET published_at = now() WHERE id = ANY($1)")
                                .execute(Tuple.of(published.toArray(UUID[]::new)))
                                .map(rows -> rows.rowCount())));
    }

    private Uni<List<ResponseEvent>> pending(SqlConnection conn, int batchSize) {
        return conn.preparedQuery("""
                        SELECT r.id, r.dialogue_id, r.round, r.user_message, r.answer, r.latency_ms, r.tokens_in, r.tokens_out,
                               r.temperature, r.simulator_model, r.created_at,
                               d.study_id, c.id AS character_id, c.label AS character_name,
                               s.id AS scenario_id, s.external_id, s.persona, s.emotion,
                               p.id AS responder_id, p.name AS responder_name, p.kind, p.model_name
                        FROM response r
                        JOIN dialogue d ON d.id = r.dialogue_id
                        JOIN study_character c ON c.id = d.character_id
                        JOIN scenario s ON s.id = d.scenario_id
                        JOIN responder p ON p.id = d.responder_id
                        WHERE r.published_at IS NULL
                        ORDER BY r.created_at, r.id
                        LIMIT $1
                        FOR UPDATE OF r SKIP LOCKED""")
                .execute(Tuple.of(batchSize))
                .map(rows -> {
                    List<ResponseEvent> records = new ArrayList<>();
                    rows.forEach(row -> records.add(toRecord(row)));
                    return records;
                });
    }

    private static ResponseEvent toRecord(Row row) {
        String kind = row.getString("kind");
        return new ResponseEvent(
                ResponseEvent.SCHEMA_VERSION,
                row.getUUID("id"),
                row.getUUID("study_id"),
                row.getUUID("dialogue_id"),
                row.getUUID("character_id"),
                row.getString("character_name"),
                row.getUUID("scenario_id"),
                row.getString("external_id"),
                row.getString("persona"),
                row.getString("emotion"),
                row.getUUID("responder_id"),
                row.getString("responder_name"),
                kind,
                "LLM".equals(kind) ? row.getString("model_name") : null,
                row.getShort("round"),
                row.getString("user_message"),
                row.getString("answer"),
                row.getLong("latency_ms"),
                row.getInteger("tokens_in"),
                row.getInteger("tokens_out"),
                row.getDouble("temperature"),
                row.getString("simulator_model"),
                row.getOffsetDateTime("created_at"));
    }
}
