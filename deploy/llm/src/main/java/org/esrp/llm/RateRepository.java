package org.esrp.llm;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** The request slots of rate-limited model endpoints, shared by every replica through the {@code llm_rate} table. */
@ApplicationScoped
public class RateRepository {

    private final Pool pool;

    public RateRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Takes the endpoint's next free slot and moves it on by {@code intervalMicros}; answers how long to wait for the
     * slot taken, in microseconds. One statement: the row lock makes replicas take slots one after another, and the
     * database's clock is the one clock they share.
     */
    public Uni<Long> takeSlot(String endpointKey, long intervalMicros) {
        return pool.preparedQuery("""
                        INSERT INTO llm_rate AS r (endpoint_key, next_free_at) VALUES ($1, clock_timestamp() + $2 * interval '1 microsecond')
                        ON CONFLICT (endpoint_key) DO UPDATE
                            SET next_free_at = greatest(r.next_free_at, clock_timestamp()) + $2 * interval '1 microsecond'
                        RETURNING (extract(epoch FROM r.next_free_at - clock_timestamp()) * 1000000)::bigint - $2""")
                .execute(Tuple.of(endpointKey, intervalMicros))
                .map(rows -> Math.max(0L, rows.iterator().next().getLong(0)));
    }
}
