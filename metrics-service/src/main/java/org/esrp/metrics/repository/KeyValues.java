package org.esrp.metrics.repository;

import org.apache.kafka.common.utils.Bytes;

import java.util.function.BiConsumer;

/** The part of a key-value state store that {@link StudyState} uses: the Kafka Streams store, or a map in tests. */
public interface KeyValues {

    byte[] get(Bytes key);

    void put(Bytes key, byte[] value);

    /** Every entry in key order. */
    void forEach(BiConsumer<Bytes, byte[]> action);
}
