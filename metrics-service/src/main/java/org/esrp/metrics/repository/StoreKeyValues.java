package org.esrp.metrics.repository;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.function.BiConsumer;

/** A partition's Kafka Streams store, as {@link StudyState} uses it. */
public final class StoreKeyValues implements KeyValues {

    private final KeyValueStore<Bytes, byte[]> store;

    public StoreKeyValues(KeyValueStore<Bytes, byte[]> store) {
        this.store = store;
    }

    @Override
    public byte[] get(Bytes key) {
        return store.get(key);
    }

    @Override
    public void put(Bytes key, byte[] value) {
        store.put(key, value);
    }

    @Override
    public void forEach(BiConsumer<Bytes, byte[]> action) {
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                action.accept(entry.key, entry.value);
            }
        }
    }
}
