package org.esrp.annotation.messaging;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.esrp.annotation.config.AnnotationConfig;
import org.esrp.annotation.repository.RatingRecordRepository;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.UUID;

/**
 * Publishes accepted ratings to {@code esrp.ratings} after their transaction committed. A rating counts as published
 * only once the broker acknowledged it; a broker outage or a restart leaves it for a later pass.
 */
@ApplicationScoped
public class RatingOutbox {

    private static final Logger LOG = Logger.getLogger(RatingOutbox.class);

    private final MutinyEmitter<RatingRecord> emitter;
    private final RatingRecordRepository records;
    private final int batchSize;

    public RatingOutbox(@Channel("ratings") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 4096)
                        MutinyEmitter<RatingRecord> emitter, RatingRecordRepository records, AnnotationConfig config) {
        this.emitter = emitter;
        this.records = records;
        this.batchSize = config.outbox().batchSize();
    }

    @Scheduled(every = "${esrp.annotation.outbox.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            delayed = "3s")
    Uni<Void> relay() {
        return drain().replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("publishing ratings failed, will retry: %s", e.getMessage()))
                .onFailure().recoverWithNull();
    }

    public Uni<Integer> drain() {
        return records.relay(batchSize, this::publish)
                .flatMap(count -> count < batchSize ? Uni.createFrom().item(count) : drain().map(more -> count + more));
    }

    private Uni<List<UUID>> publish(List<RatingRecord> batch) {
        List<Uni<UUID>> sends = batch.stream()
                .map(record -> emitter.sendMessage(Message.of(record).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                .withKey(record.key()).build()))
                        .replaceWith(record.ratingId()))
                .toList();
        // All or nothing per batch: a partly acknowledged batch is sent again; consumers drop repeats by ratingId.
        return Uni.join().all(sends).andFailFast();
    }
}
