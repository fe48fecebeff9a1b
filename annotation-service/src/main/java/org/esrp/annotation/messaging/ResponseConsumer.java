package org.esrp.annotation.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.esrp.annotation.service.ItemBuilder;
import org.esrp.events.EventTopics;
import org.esrp.events.ResponseEvent;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Turns the answers on esrp.responses into rating items. Acked only once stored, so a restart loses nothing. A record
 * that breaks the event contract, or that the database refuses as data, is parked on the dead-letter topic with the
 * reason (the channel's dead-letter-queue failure strategy) and counted; the answers after it go on being stored. A
 * database that cannot be reached is waited for instead: its answers are good.
 */
@ApplicationScoped
public class ResponseConsumer {

    private static final Logger LOG = Logger.getLogger(ResponseConsumer.class);

    private final ItemBuilder items;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;

    public ResponseConsumer(ItemBuilder items, ObjectMapper mapper, MeterRegistry registry) {
        this.items = items;
        this.mapper = mapper;
        this.registry = registry;
    }

    @Incoming("responses")
    public Uni<Void> consume(Message<String> message) {
        ResponseEvent event;
        try {
            event = message.getPayload() == null ? null : mapper.readValue(message.getPayload(), ResponseEvent.class);
        } catch (JsonProcessingException e) {
            return park(message, "not JSON of the esrp.responses contract: " + e.getOriginalMessage());
        }
        List<String> problems = event == null ? List.of("the record has no value") : event.violations();
        if (!problems.isEmpty()) {
            return park(message, "breaks the esrp.responses contract: " + String.join("; ", problems));
        }
        return items.ingest(event)
                .onFailure(ResponseConsumer::unreachable).invoke(e -> LOG.warnf("storing answer %s waits for the database: %s",
                        event.responseId(), e.getMessage()))
                .onFailure(ResponseConsumer::unreachable).retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(10)).indefinitely()
                .onItemOrFailure().transformToUni((stored, failure) -> failure == null
                        ? Uni.createFrom().completionStage(message.ack())
                        : park(message, "the database refused it: " + failure.getMessage()));
    }

    private Uni<Void> park(Message<String> message, String reason) {
        LOG.warnf("parking an esrp.responses record on %s: %s", EventTopics.DLQ, reason);
        registry.counter(EventTopics.DEAD_LETTER_METRIC, "topic", ResponseEvent.TOPIC).increment();
        return Uni.createFrom().completionStage(message.nack(new IllegalArgumentException(reason)));
    }

    /** A failure of reaching the database, not of the record: connection, time-out, resources, operator shutdown. */
    static boolean unreachable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg && pg.getSqlState() != null) {
                String sqlClass = pg.getSqlState().substring(0, Math.min(2, pg.getSqlState().length()));
                return List.of("08", "40", "53", "57", "58").contains(sqlClass);
            }
            if (cause instanceof IOException || cause instanceof TimeoutException
                    || cause instanceof io.vertx.core.VertxException || cause.getClass().getName().contains("Connection")) {
                return true;
            }
        }
        return false;
    }
}
