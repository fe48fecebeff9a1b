package org.esrp.metrics.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Krippendorff's alpha for any number of coders with missing values, following
 * K. Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability".
 */
public final class Krippendorff {

    /** Metric of the difference function delta^2. */
    public enum Level { NOMINAL, ORDINAL, INTERVAL }

    /**
     * Result.
     *
     * @param alpha Krippendorff's alpha; NaN when undefined
     * @param units the number of units with 2+ values (pairable units)
     * @param pairableValues the number of pairable values n, i.e. the sum of m_u over those units
     */
    public record Result(double alpha, int units, int pairableValues) {}

    private Krippendorff() {}

    /**
     * Krippendorff's alpha, {@code 1 - D_o / D_e}, computed from the coincidence matrix.
     *
     * <p>{@code units} holds, for each unit (item), the values given by the coders; a
     * {@code null} or NaN value is missing, and a {@code null} unit has no values. Units with
     * fewer than 2 values are not pairable and are ignored. With o_ck the coincidences,
     * n_c their marginals (the number of pairable values equal to c) and n = sum n_c:
     * {@code alpha = 1 - (n - 1) * sum o_ck d2(c,k) / sum n_c n_k d2(c,k)}, where d2 is
     * <ul>
     *   <li>NOMINAL: 0 if c = k, else 1;</li>
     *   <li>ORDINAL: {@code (sum_{g=c..k} n_g - (n_c + n_k)/2)^2} over the sorted distinct
     *       values, i.e. a distance in mid-ranks, so only the order of the values matters;</li>
     *   <li>INTERVAL: {@code (c - k)^2}.</li>
     * </ul>
     *
     * @return alpha NaN when there are no pairable values or D_e = 0 (a single distinct value)
     * @throws IllegalArgumentException if a value is infinite
     */
    public static Result alpha(List<List<Double>> units, Level level) {
        Objects.requireNonNull(units, "units");
        Objects.requireNonNull(level, "level");

        List<double[]> pairable = new ArrayList<>();
        TreeSet<Double> distinct = new TreeSet<>();
        for (List<Double> unit : units) {
            if (unit == null) {
                continue;
            }
            double[] values = unit.stream()
                    .filter(v -> v != null && !v.isNaN())
                    // Adding +0.0 maps -0.0 to 0.0; otherwise Double.compare would make them two categories.
                    .mapToDouble(v -> v + 0.0)
                    .toArray();
            for (double v : values) {
                if (Double.isInfinite(v)) {
                    throw new IllegalArgumentException("values must be finite: " + v);
                }
            }
            if (values.length < 2) {
                continue;
            }
            for (double v : values) {
                distinct.add(v);
            }
            pairable.add(values);
        }
        double[] categories = distinct.stream().mapToDouble(Double::doubleValue).toArray();
        List<int[]> counts = new ArrayList<>(pairable.size());
        for (double[] values : pairable) {
            int[] unitCounts = new int[categories.length];
            for (double v : values) {
                unitCounts[Arrays.binarySearch(categories, v)]++;
            }
            counts.add(unitCounts);
        }
        return alpha(categories, counts, level);
    }

    /**
     * Krippendorff's alpha from value counts: {@code categories} are the distinct values in ascending order, and each
     * unit gives how many of its values fall into each category (the same computation as {@link #alpha(List, Level)},
     * without a value list per unit). Units with fewer than 2 values are ignored.
     */
    public static Result alpha(double[] categories, List<int[]> units, Level level) {
        Objects.requireNonNull(categories, "categories");
        Objects.requireNonNull(units, "units");
        Objects.requireNonNull(level, "level");
        int k = categories.length;
        double[][] coincidences = new double[k][k];
        // The marginals are integer counts; tallying them directly keeps them exact instead
        // of re-summing the fractional coincidences.
        long[] marginals = new long[k];
        int n = 0;
        int pairableUnits = 0;
        for (int[] unitCounts : units) {
            int m = 0;
            for (int count : unitCounts) {
                m += count;
            }
            if (m < 2) {
                continue;
            }
            pairableUnits++;
            n += m;
            double weight = 1.0 / (m - 1);
            for (int c = 0; c < k; c++) {
                if (unitCounts[c] == 0) {
                    continue;
                }
                marginals[c] += unitCounts[c];
                for (int e = 0; e < k; e++) {
                    // A value is never paired with itself: hence n_uc - 1 on the diagonal.
                    long pairs = (long) unitCounts[c] * (unitCounts[e] - (c == e ? 1 : 0));
                    if (pairs != 0) {
                        coincidences[c][e] += pairs * weight;
                    }
                }
            }
        }
        if (n == 0) {
            return new Result(Double.NaN, 0, 0);
        }

        double[][] d2 = differences(level, categories, marginals);
        double observed = 0;
        double expected = 0;
        for (int c = 0; c < k; c++) {
            for (int e = 0; e < k; e++) {
                observed += coincidences[c][e] * d2[c][e];
                expected += (double) marginals[c] * marginals[e] * d2[c][e];
            }
        }
        double alpha = expected == 0 ? Double.NaN : 1 - (n - 1) * observed / expected;
        return new Result(alpha, pairableUnits, n);
    }

    private static double[][] differences(Level level, double[] categories, long[] marginals) {
        int k = categories.length;
        double[][] d2 = new double[k][k];
        // Prefix sums of the marginals turn the ordinal sum over g = c..k into one subtraction.
        long[] cumulative = new long[k + 1];
        for (int c = 0; c < k; c++) {
            cumulative[c + 1] = cumulative[c] + marginals[c];
        }
        for (int c = 0; c < k; c++) {
            for (int e = 0; e < k; e++) {
                if (c == e) {
                    continue;
                }
                double d;
                switch (level) {
                    case NOMINAL:
                        d = 1;
                        break;
                    case ORDINAL: {
                        int lo = Math.min(c, e);
                        int hi = Math.max(c, e);
                        double span = cumulative[hi + 1] - cumulative[lo] - (marginals[lo] + marginals[hi]) / 2.0;
                        d = span * span;
                        break;
                    }
                    case INTERVAL: {
                        double diff = categories[c] - categories[e];
                        d = diff * diff;
                        break;
                    }
                    default:
                        throw new AssertionError(level);
                }
                d2[c][e] = d;
            }
        }
        return d2;
    }
}
