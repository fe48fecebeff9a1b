package org.esrp.metrics.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready as soon as it runs: the service has no dependencies yet (its issue adds PostgreSQL and Kafka). */
@Readiness
@ApplicationScoped
public class MetricsReadinessCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("metrics-service").up().withData("stage", "skeleton").build();
    }
}
