package org.esrp.metrics.stats;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Ranks with ties given their average rank (scipy.stats.rankdata's "average"), by the values' own order: exact scores
 * ({@link Ratio}) tie only when they are equal, which doubles summed in different orders would not guarantee.
 */
final class Ranks {

    private Ranks() {
    }

    /** Twice each value's rank (1-based), so that average ranks of ties, halves, stay integers. */
    static <T extends Comparable<? super T>> long[] doubled(List<T> values) {
        int n = values.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparing(values::get));
        long[] ranks = new long[n];
        int from = 0;
        while (from < n) {
            int to = from + 1;
            while (to < n && values.get(order[to]).compareTo(values.get(order[from])) == 0) {
                to++;
            }
            // positions from+1 .. to share the mean of their ranks, (from + 1 + to) / 2
            long doubledRank = from + 1L + to;
            for (int k = from; k < to; k++) {
                ranks[order[k]] = doubledRank;
            }
            from = to;
        }
        return ranks;
    }
}
