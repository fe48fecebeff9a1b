package org.esrp.metrics.repository;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.apache.kafka.common.serialization.BytesSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.esrp.metrics.messaging.StudyTopology;

import java.util.function.BiConsumer;

/**
 * Reads of a partition's state store from outside the stream thread (interactive queries), for the work done in the
 * background; they throw {@link org.apache.kafka.streams.errors.InvalidStateStoreException} while the partition is not
 * served here (rebalancing, moved).
 */
@ApplicationScoped
public class StoreQueries {

    private final Instance<KafkaStreams> streams;

    public StoreQueries(Instance<KafkaStreams> streams) {
        this.streams = streams;
    }

    /** The entries whose key starts with {@code prefix}, in key order. */
    public void scan(int partition, Bytes prefix, BiConsumer<byte[], byte[]> action) {
        try (KeyValueIterator<Bytes, byte[]> entries = store(partition).prefixScan(prefix, new BytesSerializer())) {
            while (entries.hasNext()) {
                KeyValue<Bytes, byte[]> entry = entries.next();
                action.accept(entry.key.get(), entry.value);
            }
        }
    }

    public boolean contains(int partition, Bytes key) {
        return store(partition).get(key) != null;
    }

    private ReadOnlyKeyValueStore<Bytes, byte[]> store(int partition) {
        return streams.get().store(StoreQueryParameters
                .fromNameAndType(StudyTopology.STORE, QueryableStoreTypes.<Bytes, byte[]>keyValueStore()).withPartition(partition));
    }
}
