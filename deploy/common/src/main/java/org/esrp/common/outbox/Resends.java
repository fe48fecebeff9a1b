package org.esrp.common.outbox;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an outbox handed to the broker and has not yet seen acknowledged. Handing an id over again (after a failed or
 * timed-out send, whose record may have reached the topic all the same) is a re-publish: allowed by the contract,
 * since consumers drop repeats by id, and counted as {@value #METRIC} so that operators see broker trouble.
 * Counted per process: a record sent just before a crash and sent again after it is not seen as a repeat.
 */
public final class Resends {

    public static final String METRIC = "esrp.outbox.republished";
    private static final int MAX_PENDING = 1_000_000;

    private final Set<UUID> pending = ConcurrentHashMap.newKeySet();
    private final Counter republished;

    public Resends(MeterRegistry registry, String topic) {
        this.republished = registry.counter(METRIC, "topic", topic);
    }

    public void sending(UUID id) {
        if (!pending.add(id)) {
            republished.increment();
        }
        if (pending.size() > MAX_PENDING) {
            pending.clear();
        }
    }

    public void acknowledged(UUID id) {
        pending.remove(id);
    }
}
