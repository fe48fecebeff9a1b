package org.esrp.metrics.stats;

import java.util.Map;
import java.util.TreeMap;

/**
 * Paired differences as the Wilcoxon signed-rank test ranks them, kept as differences are added and taken away: the
 * distinct absolute values in order, each with how many differences have it and how many of those are positive, the
 * zeros, and the moments of every difference. A change costs a look-up among the distinct values (few, for scores
 * that are means of integer ratings); the test then walks them once ({@link PairedTests#wilcoxonSignedRank(SignedRanks)}).
 */
public final class SignedRanks {

    private final TreeMap<Ratio, int[]> magnitudes = new TreeMap<>();
    private final Moments moments = new Moments();
    private int zeros;

    public void add(Ratio difference) {
        moments.add(difference);
        if (difference.signum() == 0) {
            zeros++;
            return;
        }
        int[] tally = magnitudes.computeIfAbsent(difference.abs(), d -> new int[2]);
        tally[0]++;
        tally[1] += difference.signum() > 0 ? 1 : 0;
    }

    /** Takes away a difference added before. */
    public void remove(Ratio difference) {
        moments.remove(difference);
        if (difference.signum() == 0) {
            zeros--;
            return;
        }
        Ratio magnitude = difference.abs();
        int[] tally = magnitudes.get(magnitude);
        if (--tally[0] == 0) {
            magnitudes.remove(magnitude);
        } else {
            tally[1] -= difference.signum() > 0 ? 1 : 0;
        }
    }

    /** The number of differences, zeros included. */
    public int n() {
        return moments.n();
    }

    Moments moments() {
        return moments;
    }

    int nonZero() {
        return moments.n() - zeros;
    }

    /** The distinct absolute values of the non-zero differences, ascending, each with {count, positives}. */
    Iterable<Map.Entry<Ratio, int[]>> magnitudes() {
        return magnitudes.entrySet();
    }
}
