package org.esrp.generation.messaging;

import org.esrp.common.outbox.Resends;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.esrp.common.messaging.TopicProvisioning;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.esrp.events.ResponseEvent;
import org.esrp.generation.config.GenerationConfig;
import org.esrp.generation.repository.OutboxRepository;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Publishes stored answers to {@code esrp.responses} after their transaction committed. An answer counts as
 * published only once the broker acknowledged it; anything else (broker down, restart) leaves it for the next pass.
 */
@ApplicationScoped
public class ResponseOutbox {

    private static final Logger LOG = Logger.getLogger(ResponseOutbox.class);

    private final MutinyEmitter<ResponseEvent> emitter;
    private final OutboxRepository outbox;
    private final GenerationConfig config;
    private final Resends resends;

    public ResponseOutbox(@Channel("responses") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096) MutinyEmitter<ResponseEvent> emitter, OutboxRepository outbox,
                          GenerationConfig config, MeterRegistry registry) {
        this.resends = new Resends(registry, ResponseEvent.TOPIC);
        this.emitter = emitter;
        this.outbox = outbox;
        this.config = config;
    }

    /** The topic as the contract asks for it, before anything is published (a topic that exists is left alone). */
    void onStart(@Observes StartupEvent event, TopicProvisioning topics) {
        topics.ensure(Map.of(ResponseEvent.TOPIC, false));
    }

    @Scheduled(every = "${esrp.generation.outbox.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "3s")
    Uni<Void> relay() {
        return drain().replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("publishing answers failed, will retry: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** Publishes batches until none is left; returns how many records were published. */
    public Uni<Integer> drain() {
        return outbox.relay(config.outbox().batchSize(), this::publish)
                .flatMap(count -> count < config.outbox().batchSize() ? Uni.createFrom().item(count)
                        : drain().map(more -> count + more));
    }

    private Uni<List<UUID>> publish(List<ResponseEvent> records) {
        records.forEach(record -> resends.sending(record.responseId()));
        List<Uni<UUID>> sends = records.stream()
                .map(record -> emitter.sendMessage(Message.of(record).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                .withKey(record.studyId().toString())
                                .build()))
                        .replaceWith(record.responseId()))
                .toList();
        // All or nothing per batch: a partly acknowledged batch is sent again, and consumers drop the repeats by responseId.
        return Uni.join().all(sends).andFailFast().invoke(ids -> ids.forEach(resends::acknowledged));
    }
}
