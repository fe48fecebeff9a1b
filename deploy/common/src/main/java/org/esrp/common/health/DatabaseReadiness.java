package org.esrp.common.health;

import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/**
 * Ready only while PostgreSQL answers within esrp.health.timeout: a paused database is DOWN at once, not a hung probe.
 * Only in services with a database (metrics-service has none).
 */
@Readiness
@IfBuildProperty(name = "quarkus.datasource.db-kind", stringValue = "postgresql")
@ApplicationScoped
public class DatabaseReadiness implements AsyncHealthCheck {

    private final Pool pool;
    private final Duration limit;

    public DatabaseReadiness(Pool pool, @ConfigProperty(name = "esrp.health.timeout", defaultValue = "2s") Duration limit) {
        this.pool = pool;
        this.limit = limit;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Probes.within("database", limit, () -> pool.query("SELECT 1").execute());
    }
}
