package org.esrp.annotation.messaging;

import org.esrp.common.outbox.Resends;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.esrp.common.messaging.TopicProvisioning;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.esrp.annotation.config.AnnotationConfig;
import org.esrp.annotation.repository.RatingRecordRepository;
import org.esrp.events.EventTopics;
import org.esrp.events.RatingEvent;

import java.util.Map;

/** Publishes accepted ratings to {@code esrp.ratings} after their transaction committed (the rating table's outbox). */
@ApplicationScoped
public class RatingOutbox {

    private final Outbox<RatingEvent> outbox;

    public RatingOutbox(@Channel("ratings") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
                        MutinyEmitter<RatingEvent> emitter, RatingRecordRepository rows, AnnotationConfig config,
                        MeterRegistry registry) {
        this.outbox = new Outbox<>(emitter, rows::relay, RatingEvent::key, RatingEvent::ratingId,
                config.outbox().batchSize(), "ratings", new Resends(registry, RatingEvent.TOPIC));
    }

    /** The topic as the contract asks for it, before anything is published (a topic that exists is left alone). */
    void onStart(@Observes StartupEvent event, TopicProvisioning topics) {
        topics.ensure(Map.of(RatingEvent.TOPIC, false, EventTopics.DLQ, false));
    }

    @Scheduled(every = "${esrp.annotation.outbox.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "3s")
    Uni<Void> relay() {
        return outbox.relay();
    }

    /** Publishes everything unpublished now; returns how many records went out. */
    public Uni<Integer> drain() {
        return outbox.drain();
    }
}
