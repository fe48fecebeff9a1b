package org.esrp.bench;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What Kafka Streams itself costs a catch-up on this machine: a bare application that reads the same topics with
 * metrics-service's guarantees (exactly-once v2, a commit a second, no record cache, a persistent RocksDB store) and
 * writes one changelog-backed store entry per record, as metrics-service writes each rating's, and nothing else: no
 * parsing, no contract, no aggregates. It runs in the bench's JVM, as the anchor does. A catch-up cannot be faster than
 * this; the gap between the two is metrics-service's own work.
 */
final class EngineFloor {

    private static final String STORE = "floor";

    /** Records/s from the application's start, and from its first record, to its last. */
    record Rates(double fromStart, double fromFirstRecord) {
    }

    private EngineFloor() {
    }

    static Rates run(String bootstrapServers, List<String> topics, long expected, Path stateDir) throws Exception {
        AtomicLong applied = new AtomicLong();
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.Bytes(), Serdes.ByteArray())
                .withCachingDisabled());
        builder.stream(topics, Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .process(() -> new OneWrite(applied), STORE);
        Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "bench-engine-floor-" + System.currentTimeMillis());
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 0);
        config.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(stateDir).toString());
        config.put(StreamsConfig.producerPrefix("linger.ms"), 5);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        long start = System.nanoTime();
        long first = 0;
        try (KafkaStreams streams = new KafkaStreams(builder.build(), config)) {
            streams.start();
            while (applied.get() < expected && seconds(start) < 600) {
                Thread.sleep(10);
                if (first == 0 && applied.get() > 0) {
                    first = System.nanoTime();
                }
            }
            double total = seconds(start);
            double processing = seconds(first);
            streams.close(Duration.ofSeconds(30));
            streams.cleanUp();
            return new Rates(applied.get() / total, applied.get() / processing);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** One store entry per record, of a rating's entry's size (a 33-byte key, a 72-byte value): where it was read, its first bytes. */
    private static final class OneWrite implements Processor<byte[], byte[], Void, Void> {

        private final AtomicLong applied;
        private KeyValueStore<Bytes, byte[]> store;
        private ProcessorContext<Void, Void> context;

        OneWrite(AtomicLong applied) {
            this.applied = applied;
        }

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            this.context = context;
            store = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<byte[], byte[]> record) {
            RecordMetadata at = context.recordMetadata().orElseThrow();
            byte[] key = ByteBuffer.allocate(33).putInt(at.topic().hashCode()).putInt(at.partition()).putLong(at.offset()).array();
            store.put(Bytes.wrap(key), Arrays.copyOf(record.value(), 72));
            applied.incrementAndGet();
        }
    }
}
