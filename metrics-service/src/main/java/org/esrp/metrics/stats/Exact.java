package org.esrp.metrics.stats;

import java.util.Collection;

/**
 * Sums and means of rational scores without rounding. A score that is a mean of integer ratings is a fraction with a
 * small denominator; summed as doubles, mathematically equal scores can differ in the last bit, so a zero difference is
 * not dropped and equal differences fall into different tie groups.
 */
public final class Exact {

    private Exact() {}

    /** The exact sum. */
    public static Ratio sum(Collection<Ratio> values) {
        ExactSum sum = new ExactSum();
        values.forEach(sum::add);
        return sum.value();
    }

    /** The exact mean; null for no values. */
    public static Ratio mean(Collection<Ratio> values) {
        return values.isEmpty() ? null : sum(values).divide(values.size());
    }
}
