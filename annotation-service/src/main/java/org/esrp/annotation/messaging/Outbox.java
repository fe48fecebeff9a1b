package org.esrp.annotation.messaging;

import org.esrp.common.messaging.TraceParents;
import org.esrp.common.messaging.Traced;
import org.esrp.common.outbox.Resends;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.TracingMetadata;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * Publishes rows that a transaction stored to their topic after it committed. A row counts as published only once the
 * broker acknowledged its record; a broker outage or a restart leaves it for a later pass, and a re-publish carries
 * the same id, so consumers drop the repeats by it.
 */
final class Outbox<T> {

    private static final Logger LOG = Logger.getLogger(Outbox.class);

    /** Locks a batch of unpublished rows, hands their records to {@code publish}, marks those it returns as published. */
    interface Relay<T> {
        Uni<Integer> relay(int batchSize, Function<List<Traced<T>>, Uni<List<UUID>>> publish);
    }

    private final MutinyEmitter<T> emitter;
    private final Relay<T> rows;
    private final Function<T, String> key;
    private final Function<T, UUID> id;
    private final int batchSize;
    private final String what;
    private final Resends resends;

    Outbox(MutinyEmitter<T> emitter, Relay<T> rows, Function<T, String> key, Function<T, UUID> id, int batchSize, String what,
           Resends resends) {
        this.resends = resends;
        this.emitter = emitter;
        this.rows = rows;
        this.key = key;
        this.id = id;
        this.batchSize = batchSize;
        this.what = what;
    }

    /** For the scheduler: a failed pass is logged and left to the next one. */
    Uni<Void> relay() {
        return drain().replaceWithVoid()
                .onFailure().invoke(e -> LOG.warnf("publishing %s failed, will retry: %s", what, e.getMessage()))
                .onFailure().recoverWithNull();
    }

    /** Publishes batches until none is left; returns how many records were published. */
    Uni<Integer> drain() {
        return rows.relay(batchSize, this::publish)
                .flatMap(count -> count < batchSize ? Uni.createFrom().item(count) : drain().map(more -> count + more));
    }

    private Uni<List<UUID>> publish(List<Traced<T>> batch) {
        batch.forEach(traced -> resends.sending(id.apply(traced.record())));
        List<Uni<UUID>> sends = batch.stream()
                .map(traced -> emitter.sendMessage(message(traced)).replaceWith(id.apply(traced.record())))
                .toList();
        // All or nothing per batch: a partly acknowledged batch is sent again.
        return Uni.join().all(sends).andFailFast().invoke(ids -> ids.forEach(resends::acknowledged));
    }

    /** Keyed by study; its producer span (and the traceparent header it writes) continues the trace of the request that stored it. */
    private Message<T> message(Traced<T> traced) {
        Message<T> message = Message.of(traced.record()).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(key.apply(traced.record())).build());
        Context request = TraceParents.context(traced.traceParent());
        return request == null ? message : message.addMetadata(TracingMetadata.withCurrent(request));
    }
}
