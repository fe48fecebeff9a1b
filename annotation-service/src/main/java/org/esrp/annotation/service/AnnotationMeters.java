package org.esrp.annotation.service;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The annotation work on /q/metrics, beside the built-in meters: ratings accepted (per rater kind) and refused (per
 * status), tasks leased and leases that expired unrated.
 */
@ApplicationScoped
public class AnnotationMeters {

    public static final String RATINGS_ACCEPTED = "esrp.ratings.accepted";
    public static final String RATINGS_REFUSED = "esrp.ratings.refused";
    public static final String TASKS_LEASED = "esrp.tasks.leased";
    public static final String TASKS_EXPIRED = "esrp.tasks.expired";

    private final MeterRegistry registry;

    public AnnotationMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    public void accepted(String raterKind) {
        registry.counter(RATINGS_ACCEPTED, "rater", raterKind).increment();
    }

    public void refused(int status) {
        registry.counter(RATINGS_REFUSED, "status", String.valueOf(status)).increment();
    }

    public void leased() {
        registry.counter(TASKS_LEASED).increment();
    }

    public void expired(long leases) {
        registry.counter(TASKS_EXPIRED).increment(leases);
    }
}
