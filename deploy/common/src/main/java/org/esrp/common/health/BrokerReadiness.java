package org.esrp.common.health;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.esrp.common.messaging.KafkaConnection;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/**
 * Ready only while the Kafka broker answers within {@code esrp.health.timeout} (2 s): a stalled broker makes the
 * service not ready instead of leaving its readiness hanging or UP.
 */
@Readiness
@ApplicationScoped
public class BrokerReadiness implements AsyncHealthCheck {

    private final Duration limit;
    private final SharedAdmin admin;

    public BrokerReadiness(KafkaConnection kafka,
                           @ConfigProperty(name = "esrp.health.timeout", defaultValue = "2s") Duration limit) {
        this.limit = limit;
        this.admin = new SharedAdmin(kafka, limit);
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        int millis = (int) limit.toMillis();
        return Probes.within("kafka broker", limit.plusMillis(200), () -> Uni.createFrom().completionStage(
                admin.get().describeCluster(new DescribeClusterOptions().timeoutMs(millis)).nodes().toCompletionStage()));
    }

    @PreDestroy
    void close() {
        admin.close();
    }
}
