package org.esrp.metrics.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/** Paired-sample tests and multiple-comparison adjustment, pure JDK. */
public final class PairedTests {

    private static final String EXACT = "wilcoxon-signed-rank-exact";
    private static final String NORMAL = "wilcoxon-signed-rank-normal";

    // Up to here 2^n fits easily and the DP over W+ (at most n(n+1)/2 + 1 cells) is instant;
    // beyond it the normal approximation is already good.
    private static final int EXACT_MAX_N = 25;
    private static final double CF_EPS = 1e-15;
    private static final double CF_TINY = 1e-300;

    private PairedTests() {}

    /**
     * Test result.
     *
     * @param n number of differences given (zeros included)
     * @param meanDifference mean of all differences, zeros included
     * @param ciLow lower end of the 95% t-interval of the differences ({@link Descriptive#tInterval})
     * @param ciHigh upper end of that interval
     * @param pValue two-sided p-value, capped at 1
     * @param method "wilcoxon-signed-rank-exact" or "wilcoxon-signed-rank-normal": which one produced the p-value
     */
    public record Result(int n, double meanDifference, double ciLow, double ciHigh, double pValue, String method) {}

    /**
     * {@link #wilcoxonSignedRank(List)} of differences given as doubles, each taken at its exact binary value: a
     * difference of decimal fractions such as 0.3 - 0.1 may need rounding by the caller to tie as intended.
     *
     * @throws IllegalArgumentException if a difference is NaN or infinite
     */
    public static Result wilcoxonSignedRank(double[] differences) {
        Objects.requireNonNull(differences, "differences");
        List<Ratio> exact = new ArrayList<>(differences.length);
        for (double d : differences) {
            if (!Double.isFinite(d)) {
                throw new IllegalArgumentException("differences must be finite: " + d);
            }
            exact.add(Ratio.exactly(d));
        }
        return wilcoxonSignedRank(exact);
    }

    /**
     * Two-sided Wilcoxon signed-rank test of paired differences (x_i - y_i), given exactly.
     *
     * <p>Zero differences are dropped before ranking (Wilcoxon's method). Absolute differences
     * that are equal as fractions are ties and share their average rank: a score that is a mean of
     * integer ratings (such as 37/9) is compared exactly, never through a rounded sum.
     *
     * <p>With n' non-zero differences and W+ the sum of the ranks of the positive ones, the
     * p-value is exact ("wilcoxon-signed-rank-exact") when n' &lt;= 25 and there are no ties:
     * {@code min(1, 2 * P(W+ <= min(w, n'(n'+1)/2 - w)))} under the null distribution of W+,
     * found by dynamic programming. Otherwise ("wilcoxon-signed-rank-normal") it is
     * {@code min(1, 2 * (1 - Phi(z)))} with {@code z = max(0, |W+ - mu| - 0.5) / sigma},
     * {@code mu = n'(n'+1)/4} and {@code sigma^2 = n'(n'+1)(2n'+1)/24 - sum(t^3 - t)/48} over
     * tie groups of size t. The continuity correction is clamped at zero rather than allowed
     * to flip the sign of the deviation.
     *
     * <p>The mean difference is exact, then rounded once; the interval is the t-interval of the
     * differences' exact moments, rounded once. If every difference is zero the exact null distribution is the
     * point W+ = 0 and the p-value is 1. For an empty input the p-value, mean and interval are NaN
     * and the method is "wilcoxon-signed-rank-exact", the branch an empty sample falls into.
     */
    public static Result wilcoxonSignedRank(List<Ratio> differences) {
        Objects.requireNonNull(differences, "differences");
        SignedRanks ranks = new SignedRanks();
        differences.forEach(ranks::add);
        return wilcoxonSignedRank(ranks);
    }

    /**
     * {@link #wilcoxonSignedRank(List)} of the differences kept in {@code ranks}; the interval is that of their exact
     * moments ({@link Moments#interval}).
     */
    public static Result wilcoxonSignedRank(SignedRanks ranks) {
        int n = ranks.n();
        if (n == 0) {
            return new Result(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, EXACT);
        }
        double meanDifference = ranks.moments().mean().doubleValue();
        Descriptive.Interval ci = ranks.moments().interval(0.95);

        // Equal absolute values share their average rank; SignedRanks keeps W+ and the ties' sum(t^3 - t) as it changes.
        double wPlus = ranks.twiceWPlus() / 2.0;
        double tieTerm = ranks.tieTerm();
        boolean ties = ranks.ties();
        int m = ranks.nonZero();

        double p;
        String method;
        if (m <= EXACT_MAX_N && !ties) {
            p = exactPValue((int) wPlus, m);
            method = EXACT;
        } else {
            double mm = m;
            double mu = mm * (mm + 1) / 4;
            double variance = mm * (mm + 1) * (2 * mm + 1) / 24 - tieTerm / 48;
            double z = Math.max(0, Math.abs(wPlus - mu) - 0.5) / Math.sqrt(variance);
            p = Math.min(1, 2 * normalUpperTail(z));
            method = NORMAL;
        }
        return new Result(n, meanDifference, ci.low(), ci.high(), p, method);
    }

    /**
     * Holm-Bonferroni step-down adjusted p-values, returned in the input order.
     *
     * <p>With the m non-NaN p-values sorted ascending as p(1) &lt;= ... &lt;= p(m), the adjusted
     * value of p(i) is {@code min(1, max_{j <= i} (m - j + 1) p(j))}. NaN entries stay NaN and
     * are not counted in m.
     *
     * @throws IllegalArgumentException if a non-NaN p-value is outside [0, 1]
     */
    public static double[] holm(double[] pValues) {
        Objects.requireNonNull(pValues, "pValues");
        int len = pValues.length;
        double[] adjusted = new double[len];
        Arrays.fill(adjusted, Double.NaN);
        int m = 0;
        for (double p : pValues) {
            if (Double.isNaN(p)) {
                continue;
            }
            if (p < 0 || p > 1) {
                throw new IllegalArgumentException("p-values must be in [0, 1]: " + p);
            }
            m++;
        }
        Integer[] order = new Integer[m];
        int k = 0;
        for (int i = 0; i < len; i++) {
            if (!Double.isNaN(pValues[i])) {
                order[k++] = i;
            }
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> pValues[i]));
        double running = 0;
        for (int j = 0; j < m; j++) {
            // The running maximum is what makes the step-down procedure monotone: a hypothesis
            // cannot be rejected unless every smaller p-value was rejected first.
            running = Math.max(running, Math.min(1, (m - j) * pValues[order[j]]));
            adjusted[order[j]] = running;
        }
        return adjusted;
    }

    /** Two-sided exact p-value for an integer W+ among m untied, non-zero differences. */
    private static double exactPValue(int wPlus, int m) {
        int max = m * (m + 1) / 2;
        // counts[s] = number of subsets of ranks {1..m} with sum s, i.e. of sign patterns giving W+ = s.
        long[] counts = new long[max + 1];
        counts[0] = 1;
        for (int rank = 1; rank <= m; rank++) {
            for (int s = max; s >= rank; s--) {
                counts[s] += counts[s - rank];
            }
        }
        // W+ is symmetric about max/2, so the two-sided tail is twice the smaller one-sided tail.
        int lowTail = Math.min(wPlus, max - wPlus);
        long tailCount = 0;
        for (int s = 0; s <= lowTail; s++) {
            tailCount += counts[s];
        }
        // Both operands are exact integers below 2^53, so this is one correctly rounded division.
        return Math.min(1, (double) (2 * tailCount) / (double) (1L << m));
    }

    /**
     * 1 - Phi(z) for z >= 0, as Q(1/2, z^2/2)/2 with Q the regularized upper incomplete gamma
     * function; this keeps full relative precision in the far tail, where 1 - Phi would cancel.
     */
    static double normalUpperTail(double z) {
        if (z == Double.POSITIVE_INFINITY) {
            return 0;
        }
        double x = 0.5 * z * z;
        if (x == 0) {
            return 0.5;
        }
        // exp(-x) x^a / Gamma(a) with a = 1/2 and Gamma(1/2) = sqrt(pi).
        double prefix = Math.exp(-x + 0.5 * Math.log(x) - 0.5 * Math.log(Math.PI));
        double q;
        if (x < 1.5) {
            // Series for the lower function P converges quickly for x < a + 1.
            double ap = 0.5;
            double term = 1 / ap;
            double sum = term;
            for (int i = 0; i < 1000; i++) {
                ap += 1;
                term *= x / ap;
                sum += term;
                if (Math.abs(term) < Math.abs(sum) * CF_EPS) {
                    break;
                }
            }
            q = 1 - sum * prefix;
        } else {
            // Continued fraction for Q converges quickly for x >= a + 1 (modified Lentz).
            double a = 0.5;
            double b = x + 1 - a;
            double c = 1 / CF_TINY;
            double d = 1 / b;
            double h = d;
            for (int i = 1; i < 1000; i++) {
                double an = -i * (i - a);
                b += 2;
                d = an * d + b;
                if (Math.abs(d) < CF_TINY) {
                    d = CF_TINY;
                }
                c = b + an / c;
                if (Math.abs(c) < CF_TINY) {
                    c = CF_TINY;
                }
                d = 1 / d;
                double del = d * c;
                h *= del;
                if (Math.abs(del - 1) <= CF_EPS) {
                    break;
                }
            }
            q = prefix * h;
        }
        return 0.5 * q;
    }
}
