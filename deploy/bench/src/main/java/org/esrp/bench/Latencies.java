package org.esrp.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Milliseconds measured, and their percentiles (nearest rank). */
final class Latencies {

    private final List<Double> values = Collections.synchronizedList(new ArrayList<>());

    void add(double millis) {
        values.add(millis);
    }

    int size() {
        return values.size();
    }

    double percentile(double p) {
        List<Double> sorted;
        synchronized (values) {
            sorted = new ArrayList<>(values);
        }
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    String summary() {
        return String.format(Locale.ROOT, "p50 %.1f ms, p99 %.1f ms, max %.1f ms (n=%d)", percentile(50), percentile(99), percentile(100), size());
    }
}
