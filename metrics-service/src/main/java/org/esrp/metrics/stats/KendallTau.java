package org.esrp.metrics.stats;

import java.util.List;
import java.util.Objects;

/**
 * Kendall's tau-b, as scipy.stats.kendalltau gives it by default: {@code (C - D) / sqrt((P - Tx)(P - Ty))} over the
 * P = n(n-1)/2 pairs, C concordant, D discordant, Tx and Ty the pairs tied in x and in y (a pair tied in both counts in
 * both). Pairs are compared by the values' own order, so exact scores tie only when equal. O(n^2): it ranks responders,
 * a few dozen at most.
 */
public final class KendallTau {

    /** @param tauB NaN when undefined: fewer than 2 pairs, or either side constant */
    public record Result(double tauB, int n) {
    }

    private KendallTau() {
    }

    public static <X extends Comparable<? super X>, Y extends Comparable<? super Y>> Result tauB(List<X> x, List<Y> y) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.size() != y.size()) {
            throw new IllegalArgumentException("x and y differ in length: " + x.size() + " and " + y.size());
        }
        int n = x.size();
        long concordant = 0;
        long discordant = 0;
        long tiedX = 0;
        long tiedY = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                int sx = Integer.signum(x.get(i).compareTo(x.get(j)));
                int sy = Integer.signum(y.get(i).compareTo(y.get(j)));
                if (sx == 0) {
                    tiedX++;
                }
                if (sy == 0) {
                    tiedY++;
                }
                if (sx * sy > 0) {
                    concordant++;
                } else if (sx * sy < 0) {
                    discordant++;
                }
            }
        }
        long pairs = (long) n * (n - 1) / 2;
        if (pairs - tiedX == 0 || pairs - tiedY == 0) {
            return new Result(Double.NaN, n);
        }
        double tau = (concordant - discordant) / Math.sqrt((double) (pairs - tiedX)) / Math.sqrt((double) (pairs - tiedY));
        return new Result(Math.max(-1, Math.min(1, tau)), n);
    }
}
