package org.esrp.annotation.messaging;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.esrp.annotation.config.AnnotationConfig;
import org.esrp.annotation.repository.DesignRecordRepository;
import org.esrp.events.DesignEvent;


/**
 * Publishes each study design to the compacted {@code esrp.designs} once it committed, so that metrics-service computes
 * with the rubric the study is rated on.
 */
@ApplicationScoped
public class DesignOutbox {

    private final Outbox<DesignEvent> outbox;

    public DesignOutbox(@Channel("designs") MutinyEmitter<DesignEvent> emitter, DesignRecordRepository rows, AnnotationConfig config) {
        this.outbox = new Outbox<>(emitter, rows::relay, d -> d.studyId().toString(), DesignEvent::studyId,
                config.outbox().batchSize(), "designs");
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
