package org.esrp.annotation.health;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready as soon as it runs: the service has no dependencies yet (its issue adds PostgreSQL and Kafka). */
@Readiness
@ApplicationScoped
public class AnnotationReadinessCheck implements HealthCheck {

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("annotation-service").up().withData("stage", "skeleton").build();
    }
}
