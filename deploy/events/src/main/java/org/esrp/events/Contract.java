package org.esrp.events;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The checks the records' {@code violations()} share. */
final class Contract {

    private Contract() {
    }

    static void required(List<String> problems, String field, Object value) {
        if (value == null) {
            problems.add(field + " is missing");
        }
    }

    static void oneOf(List<String> problems, String field, String value, String... allowed) {
        if (!List.of(allowed).contains(value)) {
            problems.add(field + " must be one of " + List.of(allowed) + ", was " + value);
        }
    }

    static void metrics(List<String> problems, String field, List<RubricMetric> metrics) {
        if (metrics == null || metrics.isEmpty()) {
            problems.add(field + " is missing");
            return;
        }
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < metrics.size(); i++) {
            RubricMetric metric = metrics.get(i);
            String at = field + "[" + i + "]";
            if (metric == null || metric.key() == null || metric.key().isBlank() || !keys.add(metric.key())) {
                problems.add(at + ".key must be present and unique");
            } else if (metric.dimension() == null || metric.dimension().isBlank()) {
                problems.add(at + ".dimension is missing");
            } else if (metric.min() >= metric.max()) {
                problems.add(at + ".max must be above min");
            }
        }
    }
}
