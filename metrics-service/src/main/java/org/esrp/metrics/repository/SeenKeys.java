package org.esrp.metrics.repository;

import com.google.common.hash.BloomFilter;
import com.google.common.hash.Funnels;
import org.apache.kafka.common.utils.Bytes;

import java.util.ArrayList;
import java.util.List;

/**
 * The keys a partition's events were de-duplicated by (ratings', answers', embeddings'), as Bloom filters in the heap:
 * a new id, nearly every event, is then known to be new without reading the store. A store read of a missing key cost
 * about 7.5 microseconds a record on 2 cores (deploy/bench's engine floor); without it the stream thread took 24.2
 * instead of 35.7 seconds over a 1M catch-up. "Not seen" is certain; "maybe seen" is settled by the store, so de-duplication stays exact. The filters double
 * in size as the partition grows (about 1.2 MB a million keys at most, twice that in all), instead of being sized for a
 * study nobody knows the size of in advance.
 */
public final class SeenKeys {

    private static final int FIRST = 1 << 16;
    private static final double FALSE_POSITIVES = 0.01;

    private final List<BloomFilter<byte[]>> filters = new ArrayList<>();
    private long room;

    public SeenKeys() {
        grow(FIRST);
    }

    /** False when the key was certainly never {@link #add added}. */
    public boolean mightContain(Bytes key) {
        byte[] bytes = key.get();
        for (int i = filters.size() - 1; i >= 0; i--) {
            if (filters.get(i).mightContain(bytes)) {
                return true;
            }
        }
        return false;
    }

    public void add(Bytes key) {
        if (room == 0) {
            grow((long) FIRST << filters.size());
        }
        filters.get(filters.size() - 1).put(key.get());
        room--;
    }

    private void grow(long capacity) {
        filters.add(BloomFilter.create(Funnels.byteArrayFunnel(), capacity, FALSE_POSITIVES));
        room = capacity;
    }
}
