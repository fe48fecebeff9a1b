package org.esrp.metrics.stats;

import org.apache.commons.math3.fraction.BigFraction;

import java.math.BigInteger;
import java.util.Collection;

/**
 * Sums and means of rational scores without rounding. A score that is a mean of integer ratings is a fraction with a
 * small denominator; summed as doubles, mathematically equal scores can differ in the last bit, so a zero difference is
 * not dropped and equal differences fall into different tie groups.
 */
public final class Exact {

    private Exact() {}

    /** The exact sum; the values are added by denominator first, so a long sum costs few reductions. */
    public static Ratio sum(Collection<Ratio> values) {
        // scores have a handful of distinct denominators: a short list searched in order beats a map
        long[] denominators = new long[8];
        long[] sums = new long[8];
        int used = 0;
        BigFraction rest = BigFraction.ZERO;
        for (Ratio value : values) {
            Long denominator = value.smallDenominator();
            if (denominator == null) {
                rest = rest.add(value.fraction());
                continue;
            }
            int at = 0;
            while (at < used && denominators[at] != denominator) {
                at++;
            }
            if (at == used) {
                if (used == denominators.length) {
                    denominators = java.util.Arrays.copyOf(denominators, used * 2);
                    sums = java.util.Arrays.copyOf(sums, used * 2);
                }
                denominators[used] = denominator;
                sums[used++] = 0;
            }
            try {
                sums[at] = Math.addExact(sums[at], value.smallNumerator());
            } catch (ArithmeticException overflow) {
                rest = rest.add(new BigFraction(BigInteger.valueOf(sums[at]), BigInteger.valueOf(denominator))).add(value.fraction());
                sums[at] = 0;
            }
        }
        Ratio sum = Ratio.of(rest);
        for (int at = 0; at < used; at++) {
            sum = sum.plus(Ratio.of(sums[at], denominators[at]));
        }
        return sum;
    }

    /** The exact mean; null for no values. */
    public static Ratio mean(Collection<Ratio> values) {
        return values.isEmpty() ? null : sum(values).divide(values.size());
    }
}
