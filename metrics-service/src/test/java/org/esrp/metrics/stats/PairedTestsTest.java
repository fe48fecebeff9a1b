package org.esrp.metrics.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.esrp.metrics.stats.PairedTests.Result;
import org.junit.jupiter.api.Test;

class PairedTestsTest {

    private static final String EXACT = "wilcoxon-signed-rank-exact";
    private static final String NORMAL = "wilcoxon-signed-rank-normal";

    @Test
    void exactSmallCaseByBruteForce() {
        double[] d = {1.5, -0.5, 2, 3, 2.5, -1};
        // Ranks of |d| by hand: 0.5->1, 1->2, 1.5->3, 2->4, 2.5->5, 3->6; positives are 1.5, 2, 2.5, 3.
        int wPlus = 3 + 4 + 6 + 5;
        double expected = bruteForceTwoSided(new int[] {1, 2, 3, 4, 5, 6}, wPlus);
        Result r = PairedTests.wilcoxonSignedRank(d);
        assertEquals(expected, r.pValue(), 1e-12);
        // Same number by counting: W+ <= 3 for {}, {1}, {2}, {3}, {1,2}: 2 * 5 / 64.
        assertEquals(10.0 / 64.0, r.pValue(), 1e-12);
        assertEquals(EXACT, r.method());
        assertEquals(6, r.n());
        assertEquals(7.5 / 6, r.meanDifference(), 1e-15);
    }

    @Test
    void exactMatchesRDocumentationExample() {
        // R ?wilcox.test, depression scores (Hollander & Wolfe 1973, p. 29): V = 40, p-value = 0.03906.
        double[] x = {1.83, 0.50, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.30};
        double[] y = {0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29};
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i] - y[i];
        }
        Result r = PairedTests.wilcoxonSignedRank(d);
        assertEquals(EXACT, r.method());
        // 2 * P(W+ <= 5) for n = 9 = 2 * 10 / 512, and brute force agrees.
        assertEquals(20.0 / 512.0, r.pValue(), 1e-12);
        assertEquals(bruteForceTwoSided(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 40), r.pValue(), 1e-12);
    }

    @Test
    void exactMatchesBruteForceOnRandomUntiedSamples() {
        Random rng = new Random(99);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + rng.nextInt(14);
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                // Distinct magnitudes i+1 plus a small shift, random sign: no ties, no zeros.
                d[i] = (rng.nextBoolean() ? 1 : -1) * (i + 1 + 0.25);
            }
            shuffle(d, rng);
            int[] ranks = new int[n];
            int wPlus = 0;
            for (int i = 0; i < n; i++) {
                ranks[i] = i + 1;
            }
            for (double v : d) {
                if (v > 0) {
                    wPlus += (int) (v - 0.25);
                }
            }
            Result r = PairedTests.wilcoxonSignedRank(d);
            assertEquals(EXACT, r.method());
            assertEquals(bruteForceTwoSided(ranks, wPlus), r.pValue(), 1e-12, "trial " + trial);
        }
    }

    @Test
    void normalApproximationWithTiesAndZeroTextbookExample() {
        // Classic signed-rank example (Wikipedia, "Wilcoxon signed-rank test"): one zero, one tie.
        double[] d = {15, -7, 5, 20, 0, -9, 17, -12, 5, -10};
        // By hand, zero dropped (n' = 9), |d| sorted 5,5,7,9,10,12,15,17,20 -> ranks 1.5,1.5,3..9.
        // W+ = 7 (15) + 1.5 (5) + 9 (20) + 8 (17) + 1.5 (5) = 27; one tie group of size 2.
        double nPrime = 9;
        double wPlus = 27;
        double mu = nPrime * (nPrime + 1) / 4;
        double sigma = Math.sqrt(nPrime * (nPrime + 1) * (2 * nPrime + 1) / 24 - (8.0 - 2.0) / 48);
        double z = (Math.abs(wPlus - mu) - 0.5) / sigma;
        double expected = 2 * (0.5 - integrateStandardNormal(z));

        Result r = PairedTests.wilcoxonSignedRank(d);
        assertEquals(NORMAL, r.method());
        assertEquals(expected, r.pValue(), 1e-12);
        // scipy.stats.wilcoxon(d, zero_method='wilcox', correction=True, method='approx'), SciPy 1.17.1.
        assertEquals(0.6352893188352069, r.pValue(), 1e-12);
        assertEquals(10, r.n());
        assertEquals(2.4, r.meanDifference(), 1e-12);
        Descriptive.Interval ci = Descriptive.tInterval(d, 0.95);
        assertEquals(ci.low(), r.ciLow());
        assertEquals(ci.high(), r.ciHigh());
    }

    @Test
    void normalApproximationMatchesIndependentFormulaOnLikertDifferences() {
        Random rng = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            int n = 2 + rng.nextInt(60);
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                // Differences of two 1-5 ratings, biased a little upwards: many zeros and ties.
                d[i] = Math.min(4, Math.max(-4, rng.nextInt(5) - 2 + (rng.nextInt(3) == 0 ? 1 : 0)));
            }
            Result r = PairedTests.wilcoxonSignedRank(d);
            double expected = referenceNormalPValue(d);
            if (Double.isNaN(expected)) {
                continue; // untied and small: exact branch, covered elsewhere
            }
            assertEquals(NORMAL, r.method(), "trial " + trial);
            assertEquals(expected, r.pValue(), 1e-12, "trial " + trial);
        }
    }

    @Test
    void branchSelection() {
        double[] untied25 = new double[25];
        double[] untied26 = new double[26];
        for (int i = 0; i < 26; i++) {
            if (i < 25) {
                untied25[i] = (i % 3 == 0 ? -1 : 1) * (i + 1);
            }
            untied26[i] = (i % 3 == 0 ? -1 : 1) * (i + 1);
        }
        assertEquals(EXACT, PairedTests.wilcoxonSignedRank(untied25).method());
        assertEquals(NORMAL, PairedTests.wilcoxonSignedRank(untied26).method());
        assertEquals(NORMAL, PairedTests.wilcoxonSignedRank(new double[] {1, 1, -2}).method());
        // Zeros are not ties: they are dropped before ranking.
        Result withZeros = PairedTests.wilcoxonSignedRank(new double[] {0, 0, 1, -2, 3});
        assertEquals(EXACT, withZeros.method());
        // n' = 3, W+ = 1 + 3 = 4, lower tail min(4, 2) = 2: {}, {1}, {2} -> 2 * 3 / 8.
        assertEquals(0.75, withZeros.pValue(), 1e-15);
        assertEquals(5, withZeros.n());
        assertEquals(0.4, withZeros.meanDifference(), 1e-15);
    }

    @Test
    void pValueCappedAtOne() {
        // W+ at the centre of its distribution: 2 * P(W+ <= centre) > 1 before capping.
        // Positives 1 + 2 + 7 + 8 = 18 = 36 / 2.
        Result exact = PairedTests.wilcoxonSignedRank(new double[] {1, 2, -3, -4, -5, -6, 7, 8});
        assertEquals(1.0, exact.pValue());
        Result normal = PairedTests.wilcoxonSignedRank(new double[] {1, -1, 2, -2});
        assertEquals(NORMAL, normal.method());
        assertEquals(1.0, normal.pValue());
    }

    @Test
    void degenerateInputs() {
        Result empty = PairedTests.wilcoxonSignedRank(new double[0]);
        assertEquals(0, empty.n());
        assertTrue(Double.isNaN(empty.pValue()));
        assertTrue(Double.isNaN(empty.meanDifference()));
        assertTrue(Double.isNaN(empty.ciLow()) && Double.isNaN(empty.ciHigh()));

        Result zeros = PairedTests.wilcoxonSignedRank(new double[] {0, 0, 0});
        assertEquals(3, zeros.n());
        assertEquals(1.0, zeros.pValue());
        assertEquals(0.0, zeros.meanDifference());
        assertEquals(0.0, zeros.ciLow());
        assertEquals(0.0, zeros.ciHigh());

        Result one = PairedTests.wilcoxonSignedRank(new double[] {2});
        assertEquals(1.0, one.pValue()); // 2 * P(W+ <= 0) = 2 * 1/2
        assertTrue(Double.isNaN(one.ciLow()));

        assertThrows(IllegalArgumentException.class, () -> PairedTests.wilcoxonSignedRank(new double[] {1, Double.NaN}));
        assertThrows(NullPointerException.class, () -> PairedTests.wilcoxonSignedRank((double[]) null));
    }

    @Test
    void ratiosAreExactAndFallBackToBigFractionsBeyondLongs() {
        assertEquals(Ratio.of(1, 3), Ratio.of(2, 6));
        assertEquals(0, Ratio.of(1, 3).minus(Ratio.of(-1, 3)).compareTo(Ratio.of(2, 3)));
        // (2^62 - 1)/3 - (-1/5): the cross products overflow longs, the result does not lose a digit
        Ratio big = Ratio.of(Long.MAX_VALUE / 2, 3).minus(Ratio.of(-1, 5));
        assertEquals(new org.apache.commons.math3.fraction.BigFraction(java.math.BigInteger.valueOf(Long.MAX_VALUE / 2).multiply(
                java.math.BigInteger.valueOf(5)).add(java.math.BigInteger.valueOf(3)), java.math.BigInteger.valueOf(15)), big.fraction());
        assertTrue(Ratio.of(Long.MAX_VALUE, 1).compareTo(Ratio.of(Long.MAX_VALUE - 1, 1)) > 0);
        assertTrue(Ratio.of(-7, 2).compareTo(Ratio.of(-3, 1)) < 0);
        assertEquals(Ratio.of(5, 6), Exact.mean(List.of(Ratio.of(1, 2), Ratio.of(2, 3), Ratio.of(4, 3))));
        assertEquals(0.1, Ratio.exactly(0.1).doubleValue());
    }

    @Test
    void exactFractionsDropTrueZerosAndTieEqualValues() {
        // 37/9 - 37/9 is zero however the two scores were formed; the rest are 1/3 ... 5/3, all positive and untied:
        // W+ = 15 among 5, so p = 2 * 1/32 (as scipy.stats.wilcoxon(zero_method="wilcox", method="exact") gives)
        List<Ratio> d = List.of(Ratio.of(111, 27).minus(Ratio.of(37, 9)), Ratio.of(1, 3), Ratio.of(2, 3), Ratio.of(1, 1),
                Ratio.of(4, 3), Ratio.of(5, 3));
        Result r = PairedTests.wilcoxonSignedRank(d);
        assertEquals(0.0625, r.pValue());
        assertEquals(EXACT, r.method());
        assertEquals(6, r.n());
        assertEquals(5.0 / 6, r.meanDifference());
        // 2/6 and -1/3 are one tie group of two (ranks 1.5 each), so the normal approximation applies
        Result tied = PairedTests.wilcoxonSignedRank(List.of(Ratio.of(2, 6), Ratio.of(-1, 3), Ratio.of(2, 1)));
        assertEquals(NORMAL, tied.method());
    }

    @Test
    void normalTailAgainstScipyReference() {
        // scipy.stats.norm.sf (SciPy 1.17.1).
        double[][] cases = {
            {0.0, 0.5}, {0.5, 0.3085375387259869}, {1.0, 0.15865525393145707}, {1.2247, 0.11034413707094565},
            {1.96, 0.024997895148220435}, {3.0, 0.0013498980316300933}, {5.0, 2.866515718791933e-07},
            {10.0, 7.61985302416047e-24}, {37.0, 5.7255712225239266e-300},
        };
        for (double[] c : cases) {
            // Relative 1e-12: exp(-z^2/2) inherits the rounding of its argument, ~z^2/2 ulps.
            assertEquals(c[1], PairedTests.normalUpperTail(c[0]), 1e-12 * c[1], "z=" + c[0]);
        }
    }

    @Test
    void holmTextbookExample() {
        double[] adjusted = PairedTests.holm(new double[] {0.01, 0.04, 0.03, 0.005});
        // Sorted: 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, max(0.06, 0.04*1) = 0.06.
        assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02}, adjusted, 1e-15);
    }

    @Test
    void holmNaNHandling() {
        double[] adjusted = PairedTests.holm(new double[] {Double.NaN, 0.01, 0.04, Double.NaN, 0.03, 0.005});
        // m = 4 non-NaN values, so the result equals the example without NaNs.
        assertArrayEquals(new double[] {Double.NaN, 0.03, 0.06, Double.NaN, 0.06, 0.02}, adjusted, 1e-15);
        double[] allNaN = PairedTests.holm(new double[] {Double.NaN, Double.NaN});
        assertTrue(Double.isNaN(allNaN[0]) && Double.isNaN(allNaN[1]));
    }

    @Test
    void holmCapsAndMonotonicity() {
        assertArrayEquals(new double[] {1.0, 1.0}, PairedTests.holm(new double[] {0.6, 0.5}), 0.0);
        // 0.011 * 2 = 0.022 < 0.01 * 3 = 0.03: the step-down maximum lifts it to 0.03.
        assertArrayEquals(new double[] {0.5, 0.03, 0.03}, PairedTests.holm(new double[] {0.5, 0.011, 0.01}), 1e-15);
        // Ties give equal adjusted values whatever their order.
        assertArrayEquals(new double[] {0.06, 0.06, 0.06}, PairedTests.holm(new double[] {0.02, 0.02, 0.02}), 1e-15);
        assertEquals(0, PairedTests.holm(new double[0]).length);
        assertArrayEquals(new double[] {0.2}, PairedTests.holm(new double[] {0.2}), 0.0);
        assertThrows(IllegalArgumentException.class, () -> PairedTests.holm(new double[] {0.1, 1.2}));
        assertThrows(IllegalArgumentException.class, () -> PairedTests.holm(new double[] {-0.1}));
    }

    @Test
    void holmDoesNotModifyInput() {
        double[] p = {0.04, 0.01};
        PairedTests.holm(p);
        assertArrayEquals(new double[] {0.04, 0.01}, p, 0.0);
    }

    // ---- independent references ----

    /** Two-sided p: share of all 2^n sign patterns with |W+ - mean| >= |observed - mean|. */
    private static double bruteForceTwoSided(int[] ranks, int observedWPlus) {
        int n = ranks.length;
        double total = 0;
        for (int r : ranks) {
            total += r;
        }
        double centre = total / 2;
        double observed = Math.abs(observedWPlus - centre);
        long extreme = 0;
        for (long mask = 0; mask < (1L << n); mask++) {
            double w = 0;
            for (int i = 0; i < n; i++) {
                if ((mask & (1L << i)) != 0) {
                    w += ranks[i];
                }
            }
            if (Math.abs(w - centre) >= observed - 1e-9) {
                extreme++;
            }
        }
        return Math.min(1, (double) extreme / (1L << n));
    }

    /**
     * Normal-approximation p-value from first principles; NaN when the exact branch applies.
     * Mid-ranks come from counting (number smaller + (number equal + 1) / 2), not sorting.
     */
    private static double referenceNormalPValue(double[] d) {
        double[] nz = java.util.Arrays.stream(d).filter(v -> v != 0).toArray();
        int n = nz.length;
        double wPlus = 0;
        boolean ties = false;
        double tieTerm = 0;
        for (int i = 0; i < n; i++) {
            int smaller = 0;
            int equal = 0;
            for (double v : nz) {
                if (Math.abs(v) < Math.abs(nz[i])) {
                    smaller++;
                } else if (Math.abs(v) == Math.abs(nz[i])) {
                    equal++;
                }
            }
            if (nz[i] > 0) {
                wPlus += smaller + (equal + 1) / 2.0;
            }
            if (equal > 1) {
                ties = true;
                // Each member of a group of size t adds (t^3 - t)/t, so the group adds t^3 - t.
                tieTerm += ((double) equal * equal * equal - equal) / equal;
            }
        }
        if (n <= 25 && !ties) {
            return Double.NaN;
        }
        double mu = n * (n + 1) / 4.0;
        double var = n * (n + 1) * (2.0 * n + 1) / 24 - tieTerm / 48;
        double z = Math.max(0, Math.abs(wPlus - mu) - 0.5) / Math.sqrt(var);
        return Math.min(1, 2 * (0.5 - integrateStandardNormal(z)));
    }

    /** Integral of the standard normal density over [0, z] by composite Simpson's rule. */
    private static double integrateStandardNormal(double z) {
        int intervals = 20_000;
        double h = z / intervals;
        double sum = density(0) + density(z);
        for (int i = 1; i < intervals; i++) {
            sum += (i % 2 == 1 ? 4 : 2) * density(i * h);
        }
        return sum * h / 3;
    }

    private static double density(double x) {
        return Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    }

    private static void shuffle(double[] a, Random rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            double t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
