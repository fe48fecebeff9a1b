package org.esrp.metrics.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When keys that keep changing are worth computing again: once a key has been quiet for {@code quiet}, or has kept
 * changing for {@code throttle}, and never sooner than {@code throttle} after its last computation. A group of answers
 * fed one answer a second by a generation run costs a computation every {@code throttle}, not one per answer: work
 * that grows with the group's size would otherwise grow with its square over a run. Times are {@link System#nanoTime}
 * values; {@link #touch} may be called from any thread, {@link #due} from one.
 */
final class Debounce<K> {

    private record Changes(long first, long last) {
    }

    private final long quietNanos;
    private final long throttleNanos;
    private final Map<K, Changes> changed = new ConcurrentHashMap<>();
    private final Map<K, Long> computedAt = new HashMap<>();

    Debounce(long quietNanos, long throttleNanos) {
        this.quietNanos = quietNanos;
        this.throttleNanos = throttleNanos;
    }

    void touch(K key, long now) {
        changed.merge(key, new Changes(now, now), (before, next) -> new Changes(before.first(), next.last()));
    }

    /** The keys to compute now, oldest change first; each counts as computed at {@code now} from here on. */
    List<K> due(long now) {
        computedAt.values().removeIf(at -> now - at >= throttleNanos);
        List<Map.Entry<K, Changes>> ready = new ArrayList<>();
        for (Map.Entry<K, Changes> entry : List.copyOf(changed.entrySet())) {
            Changes changes = entry.getValue();
            boolean settled = now - changes.last() >= quietNanos || now - changes.first() >= throttleNanos;
            if (settled && !computedAt.containsKey(entry.getKey())) {
                ready.add(entry);
            }
        }
        ready.sort((a, b) -> Long.compare(a.getValue().first() - now, b.getValue().first() - now));
        List<K> due = new ArrayList<>(ready.size());
        for (Map.Entry<K, Changes> entry : ready) {
            // a change that came in meanwhile keeps the key for a later look
            if (changed.remove(entry.getKey(), entry.getValue())) {
                computedAt.put(entry.getKey(), now);
                due.add(entry.getKey());
            }
        }
        return due;
    }

    /** A computation that could not be done: the key is looked at again as if it had just changed. */
    void retry(K key, long now) {
        computedAt.remove(key);
        changed.putIfAbsent(key, new Changes(now, now));
    }
}
