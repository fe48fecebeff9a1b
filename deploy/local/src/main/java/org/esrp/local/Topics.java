package org.esrp.local;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/** The platform's topics as the tests see them: records published as a service would, read as an analyst would. */
public final class Topics {

    private Topics() {
    }

    /** One record to publish: its key and its (JSON) value. */
    public record Keyed(String key, String value) {
    }

    /** Sends the records in order, each acknowledged by the broker before the next. */
    public static void publish(String bootstrap, String topic, List<Keyed> records)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (Keyed record : records) {
                producer.send(new ProducerRecord<>(topic, record.key(), record.value())).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * Reads the topic from the beginning under a consumer group of its own and keeps the records that {@code keep}
     * accepts, until {@code expected} were kept and {@code settle} more time passed (to see what should not come),
     * or until {@code timeout}.
     */
    public static List<ConsumerRecord<String, String>> read(String bootstrap, String topic, Predicate<ConsumerRecord<String, String>> keep,
                                                            int expected, Duration timeout, Duration settle) {
        Map<String, Object> config = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        List<ConsumerRecord<String, String>> kept = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            Instant deadline = Instant.now().plus(timeout);
            Instant settleUntil = null;
            while (Instant.now().isBefore(deadline) && (settleUntil == null || Instant.now().isBefore(settleUntil))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(300))) {
                    if (keep.test(record)) {
                        kept.add(record);
                    }
                }
                if (settleUntil == null && kept.size() >= expected) {
                    settleUntil = Instant.now().plus(settle);
                }
            }
        }
        return kept;
    }
}
