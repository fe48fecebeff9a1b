package org.esrp.metrics.stats;

import java.util.List;
import java.util.Objects;

/**
 * Spearman's rank correlation, as scipy.stats.spearmanr computes it: the Pearson correlation of the average ranks (ties
 * share the mean of their ranks), and the two-sided p-value of {@code t = rho * sqrt((n - 2) / ((1 + rho)(1 - rho)))}
 * on Student's t with n - 2 degrees of freedom.
 */
public final class Spearman {

    /**
     * @param rho NaN when undefined: fewer than 2 pairs, or either side constant
     * @param p NaN when rho is, or with fewer than 3 pairs (no degrees of freedom)
     */
    public record Result(double rho, double p, int n) {
    }

    private Spearman() {
    }

    /** The paired values x[i], y[i], ranked by their own order. */
    public static <X extends Comparable<? super X>, Y extends Comparable<? super Y>> Result of(List<X> x, List<Y> y) {
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        if (x.size() != y.size()) {
            throw new IllegalArgumentException("x and y differ in length: " + x.size() + " and " + y.size());
        }
        int n = x.size();
        if (n < 2) {
            return new Result(Double.NaN, Double.NaN, n);
        }
        long[] rx = Ranks.doubled(x);
        long[] ry = Ranks.doubled(y);
        // Doubled ranks are integers with mean n + 1: their deviations, and the sums of products below, are exact (up
        // to n^3), so rho is rounded once, in the final division.
        long sxy = 0;
        long sxx = 0;
        long syy = 0;
        for (int i = 0; i < n; i++) {
            long dx = rx[i] - (n + 1L);
            long dy = ry[i] - (n + 1L);
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) {
            return new Result(Double.NaN, Double.NaN, n);
        }
        // one square root of the product: a perfect correlation (sxy^2 = sxx syy) comes out as exactly 1
        double rho = Math.max(-1, Math.min(1, sxy / Math.sqrt((double) sxx * (double) syy)));
        return new Result(rho, pValue(rho, n), n);
    }

    /** Two-sided p of rho on t with n - 2 degrees of freedom; 0 for a perfect correlation, as scipy gives. */
    static double pValue(double rho, int n) {
        if (n < 3 || Double.isNaN(rho)) {
            return Double.NaN;
        }
        int df = n - 2;
        double denominator = (1 + rho) * (1 - rho);
        if (denominator <= 0) {
            return 0;
        }
        double t = Math.abs(rho) * Math.sqrt(df / denominator);
        return Math.min(1, 2 * Descriptive.tCdf(-t, df));
    }
}
