package org.esrp.metrics.stats;

import org.apache.commons.math3.fraction.BigFraction;

import java.math.BigInteger;

/**
 * An exact rational number, as a score that is a mean of integer ratings is: numerator and denominator in longs (reduced
 * once they grow), the denominator positive. Scores have small denominators (raters x metrics x fans), so sums, differences and
 * comparisons stay in long arithmetic, which a leaderboard recomputed many times a second needs; an operation that
 * would overflow is done on {@link BigFraction} instead and its result kept there, so every result is exact.
 */
public final class Ratio implements Comparable<Ratio> {

    public static final Ratio ZERO = new Ratio(0, 1, null);

    private final long numerator;
    private final long denominator;
    // only when the value does not fit in longs
    private final BigFraction big;

    private Ratio(long numerator, long denominator, BigFraction big) {
        this.numerator = numerator;
        this.denominator = denominator;
        this.big = big;
    }

    public static Ratio of(long numerator, long denominator) {
        if (denominator == 0) {
            throw new ArithmeticException("zero denominator");
        }
        if (denominator < 0) {
            if (numerator == Long.MIN_VALUE || denominator == Long.MIN_VALUE) {
                return of(new BigFraction(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator)));
            }
            numerator = -numerator;
            denominator = -denominator;
        }
        // Reduced only once the terms grow: comparisons are by cross products, so small unreduced terms are exact and
        // save a gcd per operation on the leaderboard's hot path.
        if (denominator > REDUCE_ABOVE || Math.abs(numerator) > REDUCE_ABOVE) {
            long gcd = gcd(Math.abs(numerator), denominator);
            return new Ratio(numerator / gcd, denominator / gcd, null);
        }
        return new Ratio(numerator, denominator, null);
    }

    private static final long REDUCE_ABOVE = 1L << 24;

    /** The double's exact value (a binary fraction). */
    public static Ratio exactly(double value) {
        return of(new BigFraction(value));
    }

    static Ratio of(BigFraction value) {
        if (value.getNumerator().bitLength() < 63 && value.getDenominator().bitLength() < 63) {
            return new Ratio(value.getNumerator().longValue(), value.getDenominator().longValue(), null);
        }
        return new Ratio(0, 1, value);
    }

    public Ratio minus(Ratio other) {
        if (big == null && other.big == null) {
            try {
                if (denominator == other.denominator) {
                    return of(Math.subtractExact(numerator, other.numerator), denominator);
                }
                return of(Math.subtractExact(Math.multiplyExact(numerator, other.denominator), Math.multiplyExact(other.numerator, denominator)),
                        Math.multiplyExact(denominator, other.denominator));
            } catch (ArithmeticException overflow) {
                // done on BigFraction below
            }
        }
        return of(fraction().subtract(other.fraction()));
    }

    public Ratio plus(Ratio other) {
        return minus(other.negate());
    }

    public Ratio times(Ratio other) {
        if (big == null && other.big == null) {
            try {
                return of(Math.multiplyExact(numerator, other.numerator), Math.multiplyExact(denominator, other.denominator));
            } catch (ArithmeticException overflow) {
                // done on BigFraction below
            }
        }
        return of(fraction().multiply(other.fraction()));
    }

    public Ratio abs() {
        return signum() < 0 ? negate() : this;
    }

    public Ratio negate() {
        if (big == null && numerator != Long.MIN_VALUE) {
            return new Ratio(-numerator, denominator, null);
        }
        return of(fraction().negate());
    }

    public Ratio divide(int n) {
        if (big == null) {
            try {
                return of(numerator, Math.multiplyExact(denominator, (long) n));
            } catch (ArithmeticException overflow) {
                // done on BigFraction below
            }
        }
        return of(fraction().divide(n));
    }

    public int signum() {
        return big == null ? Long.signum(numerator) : big.getNumerator().signum();
    }

    /** The double nearest to the value: one rounding while numerator and denominator are below 2^53. */
    public double doubleValue() {
        return big == null ? (double) numerator / (double) denominator : big.doubleValue();
    }

    public BigFraction fraction() {
        return big != null ? big : new BigFraction(BigInteger.valueOf(numerator), BigInteger.valueOf(denominator));
    }

    /** The denominator, for summing by common denominator; null when the value is held as a BigFraction. */
    Long smallDenominator() {
        return big == null ? denominator : null;
    }

    long smallNumerator() {
        return numerator;
    }

    @Override
    public int compareTo(Ratio other) {
        if (big == null && other.big == null) {
            // a/b vs c/d as a*d vs c*b, in 128 bits
            long leftHigh = Math.multiplyHigh(numerator, other.denominator);
            long leftLow = numerator * other.denominator;
            long rightHigh = Math.multiplyHigh(other.numerator, denominator);
            long rightLow = other.numerator * denominator;
            if (leftHigh != rightHigh) {
                return Long.compare(leftHigh, rightHigh);
            }
            return Long.compareUnsigned(leftLow, rightLow);
        }
        return fraction().compareTo(other.fraction());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ratio other && compareTo(other) == 0;
    }

    @Override
    public int hashCode() {
        if (big != null) {
            return big.hashCode();
        }
        long gcd = gcd(Math.abs(numerator), denominator);
        return Long.hashCode(numerator / gcd) * 31 + Long.hashCode(denominator / gcd);
    }

    @Override
    public String toString() {
        return fraction().toString();
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long t = a % b;
            a = b;
            b = t;
        }
        return a == 0 ? 1 : a;
    }
}
