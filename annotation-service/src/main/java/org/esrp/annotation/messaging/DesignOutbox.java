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
import org.esrp.annotation.config.AnnotationConfig;
import org.esrp.annotation.repository.DesignRecordRepository;
import org.esrp.events.DesignEvent;

import java.util.Map;

/**
 * Publishes each study design to the compacted {@code esrp.designs} once it committed, so that metrics-service computes
 * with the rubric the study is rated on.
 */
@ApplicationScoped
public class DesignOutbox {

    private final Outbox<DesignEvent> outbox;

    public DesignOutbox(@Channel("designs") MutinyEmitter<DesignEvent> emitter, DesignRecordRepository rows, AnnotationConfig config,
                        MeterRegistry registry) {
        this.outbox = new Outbox<>(emitter, rows::relay, d -> d.studyId().toString(), DesignEvent::studyId,
                config.outbox().batchSize(), "designs", new Resends(registry, DesignEvent.TOPIC));
    }

    /** The topic as the contract asks for it, before anything is published (a topic that exists is left alone). */
    void onStart(@Observes StartupEvent event, TopicProvisioning topics) {
        topics.ensure(Map.of(DesignEvent.TOPIC, true));
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
