package org.esrp.metrics.stats;

import org.apache.commons.math3.fraction.BigFraction;

import java.math.BigInteger;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Sums and means of rational scores without rounding. A score that is a mean of integer ratings is a fraction with a
 * small denominator; summed as doubles, mathematically equal scores can differ in the last bit, so a zero difference is
 * not dropped and equal differences fall into different tie groups.
 */
public final class Exact {

    private Exact() {}

    /** The exact sum; the fractions are added by denominator first, so a long sum costs few reductions. */
    public static BigFraction sum(Collection<BigFraction> values) {
        Map<BigInteger, BigInteger> byDenominator = new HashMap<>();
        for (BigFraction value : values) {
            byDenominator.merge(value.getDenominator(), value.getNumerator(), BigInteger::add);
        }
        BigFraction sum = BigFraction.ZERO;
        for (Map.Entry<BigInteger, BigInteger> e : byDenominator.entrySet()) {
            sum = sum.add(new BigFraction(e.getValue(), e.getKey()));
        }
        return sum;
    }

    /** The exact mean; null for no values. */
    public static BigFraction mean(Collection<BigFraction> values) {
        return values.isEmpty() ? null : sum(values).divide(values.size());
    }

    /** The double nearest to the fraction (numerator and denominator of scores are far below 2^53: one rounding). */
    public static double toDouble(BigFraction value) {
        return value == null ? Double.NaN : value.doubleValue();
    }
}
