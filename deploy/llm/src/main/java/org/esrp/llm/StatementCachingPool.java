package org.esrp.llm;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * The reactive pool of the services that claim work through {@link ClaimSlots}, as Quarkus configures it, caching
 * prepared statements of up to 16 KiB of SQL per connection. The client caches only statements under 2 KiB by default,
 * and the statements run for every piece of work (a dialogue's context, the hand-over of a dialogue or a judgment to
 * the next one) are longer: PostgreSQL parsed and planned them on every call.
 */
@Singleton
public class StatementCachingPool implements PgPoolCreator {

    static final int SQL_LIMIT = 16 * 1024;

    @Override
    public Pool create(Input input) {
        List<PgConnectOptions> connections = input.pgConnectOptionsList();
        connections.forEach(options -> options.setPreparedStatementCacheSqlLimit(SQL_LIMIT));
        return PgPool.pool(input.vertx(), connections, input.poolOptions());
    }
}
