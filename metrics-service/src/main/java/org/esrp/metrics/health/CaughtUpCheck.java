package org.esrp.metrics.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.esrp.metrics.messaging.CatchUp;

/**
 * Ready once this instance has restored its partitions' stores and caught up with what the topics held when it started
 * ({@link CatchUp}); then ready while Kafka Streams runs or rebalances.
 */
@Readiness
@ApplicationScoped
public class CaughtUpCheck implements HealthCheck {

    private final Instance<KafkaStreams> streams;
    private final CatchUp catchUp;

    public CaughtUpCheck(Instance<KafkaStreams> streams, CatchUp catchUp) {
        this.streams = streams;
        this.catchUp = catchUp;
    }

    @Override
    public HealthCheckResponse call() {
        KafkaStreams.State state = streams.get().state();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("metrics caught up with the topics")
                .withData("streams", state.name());
        if (catchUp.caughtUp() && state.isRunningOrRebalancing()) {
            return response.up().build();
        }
        return response.down().withData("waiting for", catchUp.caughtUp() ? "Kafka Streams to run again" : catchUp.waitingFor()).build();
    }
}
