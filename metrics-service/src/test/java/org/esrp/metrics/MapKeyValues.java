package org.esrp.metrics;

import org.apache.kafka.common.utils.Bytes;
import org.esrp.metrics.repository.KeyValues;

import java.util.TreeMap;
import java.util.function.BiConsumer;

/** A state store as a sorted map, to apply events without a broker (Bytes order is the store's byte order). */
final class MapKeyValues implements KeyValues {

    final TreeMap<Bytes, byte[]> entries = new TreeMap<>();
    /** Reads of single keys so far: what a de-duplication costs. */
    int reads;

    @Override
    public byte[] get(Bytes key) {
        reads++;
        return entries.get(key);
    }

    @Override
    public void put(Bytes key, byte[] value) {
        entries.put(key, value);
    }

    @Override
    public void forEach(BiConsumer<Bytes, byte[]> action) {
        entries.forEach(action);
    }
}
