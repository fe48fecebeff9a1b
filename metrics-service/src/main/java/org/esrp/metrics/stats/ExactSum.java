package org.esrp.metrics.stats;

import org.apache.commons.math3.fraction.BigFraction;

import java.math.BigInteger;

/**
 * A running exact sum of ratios, to which values are added and from which they are taken away again: a leaderboard kept
 * up to date as dialogues are rated costs a few operations per change, never a pass over every dialogue. Scores have a
 * handful of distinct denominators, so the sum is kept as one long numerator per denominator (a short list searched in
 * order beats a map); what overflows, or has no small denominator, is kept as a {@link BigFraction}. The value is exact,
 * so it does not depend on the order of the changes.
 */
public final class ExactSum {

    // more distinct denominators than this are folded into the BigFraction: rare, and exact either way
    private static final int MAX_BUCKETS = 64;

    private long[] denominators = new long[8];
    private long[] numerators = new long[8];
    private int used;
    private BigFraction rest = BigFraction.ZERO;

    public void add(Ratio value) {
        change(value, false);
    }

    public void subtract(Ratio value) {
        change(value, true);
    }

    private void change(Ratio value, boolean subtract) {
        Long denominator = value.smallDenominator();
        if (denominator == null) {
            rest = subtract ? rest.subtract(value.fraction()) : rest.add(value.fraction());
            return;
        }
        int at = bucket(denominator);
        long numerator = value.smallNumerator();
        try {
            numerators[at] = subtract ? Math.subtractExact(numerators[at], numerator) : Math.addExact(numerators[at], numerator);
        } catch (ArithmeticException overflow) {
            rest = rest.add(new BigFraction(BigInteger.valueOf(numerators[at]), BigInteger.valueOf(denominator)));
            numerators[at] = 0;
            rest = subtract ? rest.subtract(value.fraction()) : rest.add(value.fraction());
        }
    }

    private int bucket(long denominator) {
        for (int at = 0; at < used; at++) {
            if (denominators[at] == denominator) {
                return at;
            }
        }
        if (used == MAX_BUCKETS) {
            for (int at = 0; at < used; at++) {
                rest = rest.add(new BigFraction(BigInteger.valueOf(numerators[at]), BigInteger.valueOf(denominators[at])));
            }
            used = 0;
        }
        if (used == denominators.length) {
            denominators = java.util.Arrays.copyOf(denominators, used * 2);
            numerators = java.util.Arrays.copyOf(numerators, used * 2);
        }
        denominators[used] = denominator;
        numerators[used] = 0;
        return used++;
    }

    public Ratio value() {
        Ratio sum = Ratio.of(rest);
        for (int at = 0; at < used; at++) {
            if (numerators[at] != 0) {
                sum = sum.plus(Ratio.of(numerators[at], denominators[at]));
            }
        }
        return sum;
    }
}
