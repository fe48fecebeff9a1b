package org.esrp.common.health;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.esrp.common.messaging.KafkaConnection;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.esrp.events.EventTopics;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Ready only while every topic the service reads keeps its records ({@code esrp.health.source-topics}): the streams
 * are the system of record, so a topic that deletes them (a finite retention, set on it or inherited from the broker's
 * default) would silently lose history, and metrics-service's rebuild from the topics would give another leaderboard.
 * The message says which topic and the command that keeps its records.
 */
@Readiness
@ApplicationScoped
public class SourceTopicsReadiness implements AsyncHealthCheck {

    private final List<String> topics;
    private final Duration limit;
    private final SharedAdmin admin;

    public SourceTopicsReadiness(KafkaConnection kafka,
                                 @ConfigProperty(name = "esrp.health.source-topics") Optional<List<String>> topics,
                                 @ConfigProperty(name = "esrp.health.timeout", defaultValue = "2s") Duration limit) {
        this.topics = topics.orElse(List.of());
        this.limit = limit;
        this.admin = new SharedAdmin(kafka, limit);
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        if (topics.isEmpty()) {
            return Uni.createFrom().item(HealthCheckResponse.up("source topics"));
        }
        return Uni.createFrom().item(() -> {
                    try {
                        return EventTopics.retentionProblems(admin.get(), topics, limit);
                    } catch (Exception e) {
                        return List.of("the topics' settings could not be read: " + e.getMessage());
                    }
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .ifNoItem().after(limit.plusMillis(200)).recoverWithItem(() -> List.of("no answer within " + limit.toMillis() + " ms"))
                .map(problems -> problems.isEmpty() ? HealthCheckResponse.up("source topics")
                        : HealthCheckResponse.named("source topics").down().withData("reason", String.join("; ", problems)).build());
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
