package org.esrp.annotation.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.domain.QualityPolicyConverter;
import org.esrp.annotation.domain.RubricConverter;
import org.esrp.common.messaging.Traced;
import org.esrp.events.DesignEvent;
import org.esrp.events.Rubric;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** Study designs read as the esrp.designs outbox: designs set since their record was last acknowledged. */
@ApplicationScoped
public class DesignRecordRepository {

    private static final RubricConverter RUBRIC = new RubricConverter();
    private static final QualityPolicyConverter QUALITY = new QualityPolicyConverter();

    private final Pool pool;

    public DesignRecordRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Locks a batch of unpublished designs (other replicas skip them; a concurrent change waits), hands their records
     * to {@code publish}, and marks those it returns as published, in one transaction.
     */
    public Uni<Integer> relay(int batchSize, Function<List<Traced<DesignEvent>>, Uni<List<UUID>>> publish) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                                SELECT study_id, raters_per_item, match_characters, gold_share, min_seconds, lease_seconds,
                                       diversity_set_size, rubric, quality, updated_at
                                FROM study_design WHERE published_at IS NULL ORDER BY updated_at, study_id LIMIT $1
                                FOR UPDATE SKIP LOCKED""")
                .execute(Tuple.of(batchSize))
                .map(rows -> {
                    // a design is published in no trace of its own
                    List<Traced<DesignEvent>> records = new ArrayList<>();
                    rows.forEach(row -> records.add(new Traced<>(toRecord(row), null)));
                    return records;
                })
                .flatMap(records -> records.isEmpty() ? Uni.createFrom().item(List.<UUID>of()) : publish.apply(records))
                .flatMap(published -> published.isEmpty()
                        ? Uni.createFrom().item(0)
                        : conn.preparedQuery("UPDATE study_design SET published_at = now() WHERE study_id = ANY($1)")
                                .execute(Tuple.of(published.toArray(UUID[]::new)))
                                .map(rows -> rows.rowCount())));
    }

    private DesignEvent toRecord(Row row) {
        String rubric = row.getString("rubric");
        String quality = row.getString("quality");
        return new DesignEvent(DesignEvent.SCHEMA_VERSION, row.getUUID("study_id"), row.getInteger("raters_per_item"),
                row.getBoolean("match_characters"), row.getDouble("gold_share"), row.getInteger("min_seconds"),
                row.getInteger("lease_seconds"), row.getInteger("diversity_set_size"),
                rubric == null ? Rubric.DIALOGUE : RUBRIC.convertToEntityAttribute(rubric), Rubric.DIVERSITY,
                row.getOffsetDateTime("updated_at"), QUALITY.convertToEntityAttribute(quality));
    }
}
