package org.esrp.metrics.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.esrp.metrics.stats.Krippendorff.Level;
import org.esrp.metrics.stats.Krippendorff.Result;
import org.junit.jupiter.api.Test;

class KrippendorffTest {

    private static final Double M = null; // missing

    /**
     * Reliability data of Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability",
     * section C: observers A-D (rows) by units 1..12 (columns), values 1-5.
     */
    private static final Double[][] PAPER_CODERS = {
        {1d, 2d, 3d, 3d, 2d, 1d, 4d, 1d, 2d, M, M, M},
        {1d, 2d, 3d, 3d, 2d, 2d, 4d, 1d, 2d, 5d, M, 3d},
        {M, 3d, 3d, 3d, 2d, 3d, 4d, 2d, 2d, 5d, 1d, M},
        {1d, 2d, 3d, 3d, 2d, 4d, 4d, 1d, 2d, 5d, 1d, M},
    };

    /** Transposes coder rows into the per-unit lists the API takes. */
    private static List<List<Double>> units(Double[][] coders) {
        List<List<Double>> units = new ArrayList<>();
        for (int u = 0; u < coders[0].length; u++) {
            List<Double> unit = new ArrayList<>();
            for (Double[] coder : coders) {
                unit.add(coder[u]);
            }
            units.add(unit);
        }
        return units;
    }

    @Test
    void paperExampleNominal() {
        Result r = Krippendorff.alpha(units(PAPER_CODERS), Level.NOMINAL);
        assertEquals(0.743, r.alpha(), 0.0005);
        // Exact rational from an independent pairwise computation in exact fractions.
        assertEquals(113.0 / 152.0, r.alpha(), 1e-12);
        assertEquals(11, r.units());
        assertEquals(40, r.pairableValues());
    }

    @Test
    void paperExampleOrdinal() {
        Result r = Krippendorff.alpha(units(PAPER_CODERS), Level.ORDINAL);
        assertEquals(0.815, r.alpha(), 0.0005);
        assertEquals(108577.0 / 133160.0, r.alpha(), 1e-12);
        assertEquals(11, r.units());
        assertEquals(40, r.pairableValues());
    }

    @Test
    void paperExampleInterval() {
        Result r = Krippendorff.alpha(units(PAPER_CODERS), Level.INTERVAL);
        assertEquals(0.849, r.alpha(), 0.0005);
        assertEquals(951.0 / 1120.0, r.alpha(), 1e-12);
        assertEquals(11, r.units());
        assertEquals(40, r.pairableValues());
    }

    @Test
    void paperExamplePairableCountsByHand() {
        // Values per unit in the paper's table: 3,4,4,4,4,4,4,4,4,3,2,1 -> unit 12 is not pairable.
        int units = 0;
        int values = 0;
        for (List<Double> unit : units(PAPER_CODERS)) {
            long m = unit.stream().filter(v -> v != null).count();
            if (m >= 2) {
                units++;
                values += (int) m;
            }
        }
        assertEquals(11, units);
        assertEquals(40, values);
    }

    @Test
    void paperBinaryExample() {
        Double[][] coders = {
            {0d, 1d, 0d, 0d, 0d, 0d, 0d, 0d, 1d, 0d},
            {1d, 1d, 1d, 0d, 0d, 1d, 0d, 0d, 0d, 0d},
        };
        Result r = Krippendorff.alpha(units(coders), Level.NOMINAL);
        assertEquals(0.095, r.alpha(), 0.0005);
        // By hand: o_01 = 4 disagreeing pairs, n_0 = 14, n_1 = 6, n = 20;
        // alpha = 1 - (n - 1) * o_01 / (n_0 * n_1) = 1 - 19 * 4 / 84.
        assertEquals(1 - 19.0 * 4 / 84, r.alpha(), 1e-12);
        assertEquals(10, r.units());
        assertEquals(20, r.pairableValues());
        // With two categories every metric reduces to nominal up to a constant factor.
        assertEquals(r.alpha(), Krippendorff.alpha(units(coders), Level.INTERVAL).alpha(), 1e-12);
        assertEquals(r.alpha(), Krippendorff.alpha(units(coders), Level.ORDINAL).alpha(), 1e-12);
    }

    @Test
    void allValuesEqualIsNaN() {
        List<List<Double>> units = List.of(List.of(3d, 3d, 3d), List.of(3d, 3d), List.of(3d));
        for (Level level : Level.values()) {
            Result r = Krippendorff.alpha(units, level);
            assertTrue(Double.isNaN(r.alpha()), level.toString());
            assertEquals(2, r.units());
            assertEquals(5, r.pairableValues());
        }
    }

    @Test
    void noPairableValuesIsNaN() {
        Result empty = Krippendorff.alpha(List.of(), Level.NOMINAL);
        assertTrue(Double.isNaN(empty.alpha()));
        assertEquals(0, empty.units());
        assertEquals(0, empty.pairableValues());

        List<List<Double>> singles = Arrays.asList(Arrays.asList(1d, null), List.of(2d), null, List.of());
        Result r = Krippendorff.alpha(singles, Level.INTERVAL);
        assertTrue(Double.isNaN(r.alpha()));
        assertEquals(0, r.units());
        assertEquals(0, r.pairableValues());
    }

    @Test
    void perfectAgreementIsOne() {
        List<List<Double>> units = List.of(List.of(1d, 1d), List.of(2d, 2d, 2d), List.of(5d, 5d));
        for (Level level : Level.values()) {
            assertEquals(1.0, Krippendorff.alpha(units, level).alpha(), 1e-15, level.toString());
        }
    }

    @Test
    void nanCountsAsMissing() {
        List<List<Double>> withNull = units(PAPER_CODERS);
        List<List<Double>> withNaN = new ArrayList<>();
        for (List<Double> unit : withNull) {
            List<Double> copy = new ArrayList<>();
            for (Double v : unit) {
                copy.add(v == null ? Double.NaN : v);
            }
            withNaN.add(copy);
        }
        assertEquals(Krippendorff.alpha(withNull, Level.INTERVAL), Krippendorff.alpha(withNaN, Level.INTERVAL));
    }

    @Test
    void rejectsInfiniteValuesAndNullArguments() {
        assertThrows(IllegalArgumentException.class,
                () -> Krippendorff.alpha(List.of(List.of(1d, Double.POSITIVE_INFINITY)), Level.INTERVAL));
        assertThrows(NullPointerException.class, () -> Krippendorff.alpha(null, Level.NOMINAL));
        assertThrows(NullPointerException.class, () -> Krippendorff.alpha(List.of(), null));
    }

    @Test
    void metricInvariances() {
        List<List<Double>> base = randomUnits(new Random(7), 30, 4, 5);
        // Interval alpha is invariant under affine maps, ordinal under monotone maps,
        // nominal under any relabelling: properties of the definitions, not of this code.
        assertEquals(Krippendorff.alpha(base, Level.INTERVAL).alpha(),
                Krippendorff.alpha(map(base, v -> 10 - 3 * v), Level.INTERVAL).alpha(), 1e-12);
        assertEquals(Krippendorff.alpha(base, Level.ORDINAL).alpha(),
                Krippendorff.alpha(map(base, v -> Math.exp(v)), Level.ORDINAL).alpha(), 1e-12);
        // 3v mod 5 is a non-monotone bijection of 1..5.
        assertEquals(Krippendorff.alpha(base, Level.NOMINAL).alpha(),
                Krippendorff.alpha(map(base, v -> (double) ((int) v * 3 % 5)), Level.NOMINAL).alpha(), 1e-12);
    }

    @Test
    void matchesIndependentPairwiseDefinitionOnRandomData() {
        Random rng = new Random(20240611);
        for (int trial = 0; trial < 200; trial++) {
            List<List<Double>> units = randomUnits(rng, 1 + rng.nextInt(25), 2 + rng.nextInt(4), 2 + rng.nextInt(4));
            for (Level level : Level.values()) {
                double expected = pairwiseAlpha(units, level);
                double actual = Krippendorff.alpha(units, level).alpha();
                if (Double.isNaN(expected)) {
                    assertTrue(Double.isNaN(actual), "trial " + trial + " " + level);
                } else {
                    assertEquals(expected, actual, 1e-12, "trial " + trial + " " + level);
                }
            }
        }
    }

    /**
     * Reference from the pairable-values form of alpha (no coincidence matrix):
     * D_o = (1/n) sum_u 1/(m_u - 1) sum_{i != j in u} d2(v_i, v_j) and
     * D_e = 1/(n(n-1)) sum_{i != j over all pairable values} d2(v_i, v_j).
     */
    private static double pairwiseAlpha(List<List<Double>> units, Level level) {
        List<double[]> pairable = new ArrayList<>();
        List<Double> pool = new ArrayList<>();
        for (List<Double> unit : units) {
            double[] vals = unit.stream().filter(v -> v != null).mapToDouble(Double::doubleValue).toArray();
            if (vals.length >= 2) {
                pairable.add(vals);
                for (double v : vals) {
                    pool.add(v);
                }
            }
        }
        int n = pool.size();
        if (n == 0) {
            return Double.NaN;
        }
        double within = 0;
        for (double[] vals : pairable) {
            double s = 0;
            for (int i = 0; i < vals.length; i++) {
                for (int j = 0; j < vals.length; j++) {
                    if (i != j) {
                        s += d2(level, vals[i], vals[j], pool);
                    }
                }
            }
            within += s / (vals.length - 1);
        }
        double all = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    all += d2(level, pool.get(i), pool.get(j), pool);
                }
            }
        }
        if (all == 0) {
            return Double.NaN;
        }
        double dObserved = within / n;
        double dExpected = all / ((double) n * (n - 1));
        return 1 - dObserved / dExpected;
    }

    private static double d2(Level level, double c, double k, List<Double> pool) {
        if (c == k) {
            return 0;
        }
        switch (level) {
            case NOMINAL:
                return 1;
            case INTERVAL:
                return (c - k) * (c - k);
            default:
                double lo = Math.min(c, k);
                double hi = Math.max(c, k);
                long between = pool.stream().filter(g -> g >= lo && g <= hi).count();
                long nLo = pool.stream().filter(g -> g == lo).count();
                long nHi = pool.stream().filter(g -> g == hi).count();
                double d = between - (nLo + nHi) / 2.0;
                return d * d;
        }
    }

    private static List<List<Double>> randomUnits(Random rng, int unitCount, int coders, int categories) {
        List<List<Double>> units = new ArrayList<>();
        for (int u = 0; u < unitCount; u++) {
            List<Double> unit = new ArrayList<>();
            int base = 1 + rng.nextInt(categories);
            for (int c = 0; c < coders; c++) {
                if (rng.nextInt(5) == 0) {
                    unit.add(null);
                } else if (rng.nextBoolean()) {
                    unit.add((double) base);
                } else {
                    unit.add((double) (1 + rng.nextInt(categories)));
                }
            }
            units.add(unit);
        }
        return units;
    }

    private static List<List<Double>> map(List<List<Double>> units, java.util.function.DoubleUnaryOperator f) {
        List<List<Double>> out = new ArrayList<>();
        for (List<Double> unit : units) {
            List<Double> copy = new ArrayList<>();
            for (Double v : unit) {
                copy.add(v == null ? null : f.applyAsDouble(v));
            }
            out.add(copy);
        }
        return out;
    }
}
