package org.esrp.metrics.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.apache.kafka.streams.KafkaStreams;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import org.esrp.metrics.messaging.CatchUp;
import org.esrp.metrics.repository.StudyModels;
import org.esrp.metrics.service.StudyViews;
import org.jboss.logging.Logger;

/**
 * Ready once this instance has restored its partitions' stores, caught up with what the topics held when it started
 * ({@link CatchUp}) and computed its studies' views ({@link StudyViews}); then ready while Kafka Streams runs or
 * rebalances.
 */
@Readiness
@ApplicationScoped
public class CaughtUpCheck implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(CaughtUpCheck.class);

    private final Instance<KafkaStreams> streams;
    private final CatchUp catchUp;
    private final StudyViews views;
    private final StudyModels models;
    private volatile boolean ready;

    public CaughtUpCheck(Instance<KafkaStreams> streams, CatchUp catchUp, StudyViews views, StudyModels models) {
        this.streams = streams;
        this.catchUp = catchUp;
        this.views = views;
        this.models = models;
    }

    @Override
    public HealthCheckResponse call() {
        KafkaStreams.State state = streams.get().state();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("metrics caught up with the topics")
                .withData("streams", state.name());
        if (!catchUp.caughtUp()) {
            return response.down().withData("waiting for", catchUp.waitingFor()).build();
        }
        if (!ready) {
            // once: the views of the studies served here are computed, so that no request waits for one
            ready = views.computed(study -> models.get(study) != null);
            if (!ready) {
                return response.down().withData("waiting for", "the first computation of the views").build();
            }
            LOG.info("ready: caught up, and the views of this instance's studies are computed");
        }
        if (!state.isRunningOrRebalancing()) {
            return response.down().withData("waiting for", "Kafka Streams to run again").build();
        }
        return response.up().build();
    }
}
