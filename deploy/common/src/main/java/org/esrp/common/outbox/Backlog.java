package org.esrp.common.outbox;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How far an outbox is behind, for operators: {@value #BACKLOG} (records not yet acknowledged by the broker) and
 * {@value #OLDEST} (seconds since the oldest of them was stored), per topic, as of the last {@link #refresh}. A
 * growing age is the broker being away, or the outbox stuck.
 */
public final class Backlog {

    public static final String BACKLOG = "esrp.outbox.backlog";
    public static final String OLDEST = "esrp.outbox.oldest.age";

    private final Pool pool;
    private final String query;
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong oldestSeconds = new AtomicLong();

    /**
     * @param query one row: the number of unpublished records and the seconds since the oldest was stored (null when
     *              there is none), e.g. {@code SELECT count(*), extract(epoch FROM now() - min(created_at)) FROM ... WHERE published_at IS NULL}
     */
    public Backlog(MeterRegistry registry, Pool pool, String topic, String query) {
        this.pool = pool;
        this.query = query;
        Gauge.builder(BACKLOG, records, AtomicLong::get).tag("topic", topic).description("records not yet on the topic").register(registry);
        Gauge.builder(OLDEST, oldestSeconds, AtomicLong::get).tag("topic", topic).baseUnit("seconds")
                .description("age of the oldest record not yet on the topic").register(registry);
    }

    public Uni<Void> refresh() {
        return pool.query(query).execute().invoke(rows -> {
            Row row = rows.iterator().next();
            records.set(row.getLong(0));
            Number age = row.getNumeric(1);
            oldestSeconds.set(age == null ? 0 : age.longValue());
        }).replaceWithVoid();
    }
}
