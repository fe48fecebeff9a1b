package org.esrp.metrics.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.esrp.metrics.stats.Descriptive.Interval;
import org.junit.jupiter.api.Test;

class DescriptiveTest {

    private static final double[] SAMPLE = {2, 4, 4, 4, 5, 5, 7, 9};

    @Test
    void meanAndSampleSdByHand() {
        // Sum 40 over 8 values; squared deviations 9+1+1+1+0+0+4+16 = 32 over n-1 = 7.
        assertEquals(5.0, Descriptive.mean(SAMPLE), 1e-15);
        assertEquals(Math.sqrt(32.0 / 7.0), Descriptive.sampleSd(SAMPLE), 1e-15);
    }

    @Test
    void degenerateSizes() {
        assertTrue(Double.isNaN(Descriptive.mean(new double[0])));
        assertTrue(Double.isNaN(Descriptive.sampleSd(new double[0])));
        assertTrue(Double.isNaN(Descriptive.sampleSd(new double[] {3})));
        assertEquals(3.0, Descriptive.mean(new double[] {3}));
        assertEquals(0.0, Descriptive.sampleSd(new double[] {4, 4, 4}));
    }

    @Test
    void meanAndSdStayAccurateWithLargeOffset() {
        // Same spread as SAMPLE shifted by 1e9: naive sum-of-squares formulas lose all digits here.
        double[] shifted = new double[SAMPLE.length];
        for (int i = 0; i < SAMPLE.length; i++) {
            shifted[i] = SAMPLE[i] + 1e9;
        }
        assertEquals(1e9 + 5, Descriptive.mean(shifted), 0.0);
        assertEquals(Math.sqrt(32.0 / 7.0), Descriptive.sampleSd(shifted), 1e-12);
    }

    @Test
    void tQuantileTableValues() {
        // Standard t-table values.
        assertEquals(12.7062047, Descriptive.tQuantile(0.975, 1), 1e-6);
        assertEquals(2.5705818, Descriptive.tQuantile(0.975, 5), 1e-6);
        assertEquals(2.0422725, Descriptive.tQuantile(0.975, 30), 1e-6);
        assertEquals(1.8124611, Descriptive.tQuantile(0.95, 10), 1e-6);
        assertEquals(2.3646243, Descriptive.tQuantile(0.975, 7), 1e-6);
    }

    @Test
    void tQuantileAgainstScipyReference() {
        // scipy.stats.t.ppf (SciPy 1.17.1), an independent implementation (Boost).
        assertEquals(12.706204736174694, Descriptive.tQuantile(0.975, 1), 1e-10);
        assertEquals(2.5705818356363146, Descriptive.tQuantile(0.975, 5), 1e-12);
        assertEquals(2.0422724563012378, Descriptive.tQuantile(0.975, 30), 1e-12);
        assertEquals(2.019540970441376, Descriptive.tQuantile(0.975, 41), 1e-12);
        assertEquals(1.9839715185235518, Descriptive.tQuantile(0.975, 100), 1e-12);
        assertEquals(1.9623390808264083, Descriptive.tQuantile(0.975, 1000), 1e-12);
        assertEquals(1.9599877075346095, Descriptive.tQuantile(0.975, 100000), 1e-12);
        assertEquals(0.2631668613520229, Descriptive.tQuantile(0.6, 7), 1e-12);
        assertEquals(707.1057205157672, Descriptive.tQuantile(0.999999, 2), 1e-8);
        assertEquals(-2225.769284683093, Descriptive.tQuantile(1e-10, 3), 1e-8);
        assertEquals(-3.183098861837907e+299, Descriptive.tQuantile(1e-300, 1), 1e287);
    }

    @Test
    void largeDfKeepsFullPrecision() {
        // References from mpmath (80 digits): 0.5 * (1 - betainc(1/2, df/2, 0, t^2/(df+t^2))) and its root.
        int maxDf = Integer.MAX_VALUE;
        assertEquals(0.024997895212781748, Descriptive.tCdf(-1.96, maxDf), 1e-14 * 0.025);
        assertEquals(9.865878020640493e-10, Descriptive.tCdf(-6, maxDf), 1e-13 * 9.9e-10);
        assertEquals(0.024997899769699205, Descriptive.tCdf(-1.96, 30_000_000), 1e-14 * 0.025);
        assertEquals(0.006210459596279523, Descriptive.tCdf(-2.5, 100_000), 1e-14 * 0.0062);
        assertEquals(-1.959963985644729, Descriptive.tQuantile(0.025, maxDf), 1e-13);
        assertEquals(-5.612046834369282, Descriptive.tQuantile(1e-8, 1_000_000), 1e-13);
    }

    @Test
    void tQuantileLimitsAndValidation() {
        assertEquals(0.0, Descriptive.tQuantile(0.5, 3));
        assertEquals(Double.NEGATIVE_INFINITY, Descriptive.tQuantile(0, 3));
        assertEquals(Double.POSITIVE_INFINITY, Descriptive.tQuantile(1, 3));
        assertThrows(IllegalArgumentException.class, () -> Descriptive.tQuantile(0.5, 0));
        assertThrows(IllegalArgumentException.class, () -> Descriptive.tQuantile(-0.1, 3));
        assertThrows(IllegalArgumentException.class, () -> Descriptive.tQuantile(1.1, 3));
        assertThrows(IllegalArgumentException.class, () -> Descriptive.tQuantile(Double.NaN, 3));
        assertThrows(IllegalArgumentException.class, () -> Descriptive.tCdf(1, 0));
    }

    @Test
    void tQuantileIsSymmetricAndInvertsCdf() {
        int[] dfs = {1, 2, 3, 4, 7, 15, 39, 40, 41, 42, 60, 250, 10_000, 1_000_000};
        double[] ps = {1e-12, 1e-6, 0.001, 0.025, 0.1, 0.3, 0.49, 0.5001, 0.75, 0.95, 0.975, 0.999};
        for (int df : dfs) {
            for (double p : ps) {
                double t = Descriptive.tQuantile(p, df);
                assertEquals(p, Descriptive.tCdf(t, df), 1e-13 * Math.max(p, 1e-3), "df=" + df + " p=" + p);
                // Mirror through a pair (q, 1 - q) that is exact in binary: q >= 0.5 makes 1 - q exact.
                double q = Math.max(p, 1 - p);
                assertEquals(-Descriptive.tQuantile(q, df), Descriptive.tQuantile(1 - q, df), 0.0, "df=" + df + " p=" + p);
            }
        }
    }

    @Test
    void tCdfAgainstClosedForms() {
        // Closed forms for small integer df (Abramowitz & Stegun 26.7.3/26.7.4):
        // df=1: 1/2 + atan(t)/pi; df=2: 1/2 + t/(2 sqrt(2 + t^2));
        // df=3: 1/2 + (theta + sin(theta) cos(theta))/pi with theta = atan(t/sqrt(3)).
        double[] ts = {-50, -7.5, -2, -1, -0.3, 0, 0.001, 0.7, 1.5, 3, 12, 300};
        for (double t : ts) {
            assertEquals(0.5 + Math.atan(t) / Math.PI, Descriptive.tCdf(t, 1), 1e-14, "df=1 t=" + t);
            assertEquals(0.5 + t / (2 * Math.sqrt(2 + t * t)), Descriptive.tCdf(t, 2), 1e-14, "df=2 t=" + t);
            double theta = Math.atan(t / Math.sqrt(3));
            assertEquals(0.5 + (theta + Math.sin(theta) * Math.cos(theta)) / Math.PI, Descriptive.tCdf(t, 3), 1e-14,
                    "df=3 t=" + t);
        }
        // Far lower tail of df=1: 1/2 + atan(t)/pi = atan(-1/t)/pi for t < 0, without cancellation.
        assertEquals(Math.atan(1e6) / Math.PI, Descriptive.tCdf(-1e-6, 1), 1e-15);
        assertEquals(Math.atan(1e-12) / Math.PI, Descriptive.tCdf(-1e12, 1), 1e-12 * Math.atan(1e-12) / Math.PI);
    }

    @Test
    void tCdfAgainstScipyReference() {
        // scipy.stats.t.cdf (SciPy 1.17.1).
        assertEquals(1.7190340394579253e-05, Descriptive.tCdf(-40, 3), 1e-17);
        assertEquals(0.9924146098825557, Descriptive.tCdf(2.5, 60), 1e-14);
        assertEquals(3.183098861731804e-06, Descriptive.tCdf(-1e5, 1), 1e-18);
        assertEquals(0.617880247916378, Descriptive.tCdf(0.3, 1000), 1e-14);
    }

    @Test
    void tCdfLimits() {
        assertEquals(0.5, Descriptive.tCdf(0, 5));
        assertEquals(1.0, Descriptive.tCdf(Double.POSITIVE_INFINITY, 5));
        assertEquals(0.0, Descriptive.tCdf(Double.NEGATIVE_INFINITY, 5));
        assertTrue(Double.isNaN(Descriptive.tCdf(Double.NaN, 5)));
    }

    @Test
    void tIntervalByHand() {
        // mean 5, sd sqrt(32/7), n 8, t_{0.975, 7} = 2.3646243 (t-table).
        double half = 2.3646243 * Math.sqrt(32.0 / 7.0) / Math.sqrt(8);
        Interval ci = Descriptive.tInterval(SAMPLE, 0.95);
        assertEquals(5 - half, ci.low(), 1e-6);
        assertEquals(5 + half, ci.high(), 1e-6);
    }

    @Test
    void tIntervalNeedsTwoValues() {
        Interval one = Descriptive.tInterval(new double[] {1}, 0.95);
        assertTrue(Double.isNaN(one.low()) && Double.isNaN(one.high()));
        Interval none = Descriptive.tInterval(new double[0], 0.95);
        assertTrue(Double.isNaN(none.low()) && Double.isNaN(none.high()));
        assertThrows(IllegalArgumentException.class, () -> Descriptive.tInterval(SAMPLE, 1.0));
        assertThrows(IllegalArgumentException.class, () -> Descriptive.tInterval(SAMPLE, 0.0));
    }

    @Test
    void bootstrapIsDeterministicForASeed() {
        Interval a = Descriptive.bootstrapMeanInterval(SAMPLE, 0.95, 5000, 42L);
        Interval b = Descriptive.bootstrapMeanInterval(SAMPLE, 0.95, 5000, 42L);
        assertEquals(a, b);
        // Irregular values, so that different seeds cannot land on the same resample means.
        double[] irregular = {3.1, 4.72, 1.05, 2.9, 4.4, 3.33, 1.8, 2.61, 4.95, 3.07};
        Interval c = Descriptive.bootstrapMeanInterval(irregular, 0.95, 5000, 42L);
        assertEquals(c, Descriptive.bootstrapMeanInterval(irregular, 0.95, 5000, 42L));
        assertNotEquals(c, Descriptive.bootstrapMeanInterval(irregular, 0.95, 5000, 43L));
    }

    @Test
    void bootstrapContainsMeanAndIsNonDegenerate() {
        for (long seed = 0; seed < 20; seed++) {
            Interval ci = Descriptive.bootstrapMeanInterval(SAMPLE, 0.95, 2000, seed);
            assertTrue(ci.low() < ci.high(), "seed " + seed);
            assertTrue(ci.low() <= 5 && 5 <= ci.high(), "seed " + seed);
        }
    }

    @Test
    void bootstrapMatchesExactBootstrapDistribution() {
        // The resample mean of SAMPLE has an exactly computable distribution: the sum of 8
        // independent draws from its 8 values, by repeated convolution over integer sums.
        long[] counts = {1};
        for (int draw = 0; draw < SAMPLE.length; draw++) {
            long[] next = new long[counts.length + 9];
            for (int s = 0; s < counts.length; s++) {
                for (double v : SAMPLE) {
                    next[s + (int) v] += counts[s];
                }
            }
            counts = next;
        }
        double total = Math.pow(SAMPLE.length, SAMPLE.length);
        double exactLow = Double.NaN;
        double exactHigh = Double.NaN;
        long cumulative = 0;
        for (int s = 0; s < counts.length; s++) {
            cumulative += counts[s];
            if (Double.isNaN(exactLow) && cumulative / total >= 0.025) {
                exactLow = s / 8.0;
            }
            if (Double.isNaN(exactHigh) && cumulative / total >= 0.975) {
                exactHigh = s / 8.0;
            }
        }
        // Exact 2.5% / 97.5% quantiles are 3.75 and 6.5; Monte Carlo error of 20000 resamples
        // stays within one lattice step (1/8) of them.
        assertEquals(3.75, exactLow);
        assertEquals(6.5, exactHigh);
        Interval ci = Descriptive.bootstrapMeanInterval(SAMPLE, 0.95, 20000, 1L);
        assertEquals(exactLow, ci.low(), 0.125);
        assertEquals(exactHigh, ci.high(), 0.125);
    }

    @Test
    void bootstrapEdgeCases() {
        Interval constant = Descriptive.bootstrapMeanInterval(new double[] {3, 3, 3}, 0.9, 100, 1L);
        assertEquals(new Interval(3, 3), constant);
        Interval single = Descriptive.bootstrapMeanInterval(new double[] {2.5}, 0.9, 100, 1L);
        assertEquals(new Interval(2.5, 2.5), single);
        Interval empty = Descriptive.bootstrapMeanInterval(new double[0], 0.9, 100, 1L);
        assertTrue(Double.isNaN(empty.low()) && Double.isNaN(empty.high()));
        assertThrows(IllegalArgumentException.class, () -> Descriptive.bootstrapMeanInterval(SAMPLE, 0.9, 0, 1L));
        assertThrows(IllegalArgumentException.class, () -> Descriptive.bootstrapMeanInterval(SAMPLE, 1.5, 10, 1L));
    }
}
