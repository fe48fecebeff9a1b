package org.esrp.metrics.messaging;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.esrp.common.messaging.KafkaConnection;
import org.esrp.metrics.config.MetricsConfig;
import org.jboss.logging.Logger;

import java.util.Map;

/**
 * Sends what was computed off the stream thread to the derived topic, from where it reaches the study's partition
 * like any other event: so it is stored, restored and seen by whichever instance owns the study. Keyed by what it
 * describes, so that compaction keeps the latest of each.
 */
@ApplicationScoped
public class DerivedPublisher {

    private static final Logger LOG = Logger.getLogger(DerivedPublisher.class);

    private final String topic;
    private final KafkaProducer<String, StudyEvent> producer;

    public DerivedPublisher(MetricsConfig config, KafkaConnection kafka) {
        this.topic = config.derivedTopic();
        this.producer = new KafkaProducer<>(kafka.with(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.CLIENT_ID_CONFIG, "metrics-derived")),
                new StringSerializer(), new StudyEventSerde().serializer());
    }

    public void embedding(StudyEvent.Embedding embedding) {
        send("embedding/" + embedding.responseId(), embedding);
    }

    public void diversity(StudyEvent.Diversity diversity) {
        send("diversity/" + diversity.studyId() + "/" + diversity.responderId() + "/" + diversity.characterId() + "/"
                + diversity.scope(), diversity);
    }

    private void send(String key, StudyEvent event) {
        producer.send(new ProducerRecord<>(topic, key, event), (metadata, error) -> {
            if (error != null) {
                // Not lost for good: the owning partition asks again for what it lacks when it is next loaded.
                LOG.warnf("could not publish %s: %s", key, error.getMessage());
            }
        });
    }

    void onStop(@Observes ShutdownEvent event) {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
