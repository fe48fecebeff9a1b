package org.esrp.generation;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.esrp.local.LocalInfraResource;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Statements longer than the client's default limit of 2 KiB (the queue's hand-over is) stay prepared on their
 * connection, and are planned once, not for each call's values, as the session's own list of prepared statements in
 * PostgreSQL shows.
 */
@QuarkusTest
@QuarkusTestResource(value = LocalInfraResource.class, initArgs = @ResourceArg(name = "database", value = "generation"))
class StatementCachingPoolTest {

    @Inject
    Pool pool;

    @Test
    void aStatementOfMoreThanTwoKibibytesIsPreparedOnceAndKeptOnItsConnection() {
        // a comment pads the statement past the default limit without changing what it does
        String sql = "SELECT $1::int + 1 AS next /* " + "x".repeat(3000) + " */";
        assertTrue(sql.length() > 2048);
        long prepared = pool.withConnection(connection -> connection.preparedQuery(sql).execute(Tuple.of(1))
                        .flatMap(first -> connection.preparedQuery(sql).execute(Tuple.of(2)))
                        .invoke(second -> assertEquals(3, second.iterator().next().getInteger("next")))
                        .flatMap(second -> connection.preparedQuery("SELECT count(*) FROM pg_prepared_statements WHERE statement = $1")
                                .execute(Tuple.of(sql))))
                .map(rows -> rows.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(30));
        assertEquals(1, prepared);
    }

    @Test
    void aPreparedStatementIsPlannedOnceForAllItsValues() {
        String sql = "SELECT count(*) AS n FROM pg_class WHERE relpages > $1 /* planned once */";
        long[] plans = pool.withConnection(connection -> connection.preparedQuery(sql).execute(Tuple.of(0))
                        .flatMap(first -> connection.preparedQuery(sql).execute(Tuple.of(1)))
                        .flatMap(second -> connection.preparedQuery(sql).execute(Tuple.of(2)))
                        .flatMap(third -> connection.preparedQuery(
                                        "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1")
                                .execute(Tuple.of(sql))))
                .map(rows -> new long[] {rows.iterator().next().getLong(0), rows.iterator().next().getLong(1)})
                .await().atMost(Duration.ofSeconds(30));
        // without plan_cache_mode the first five calls of a statement get custom plans
        assertEquals(0, plans[1], "custom plans");
        assertTrue(plans[0] >= 1, "generic plans: " + plans[0]);
    }
}
