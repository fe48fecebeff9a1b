package org.esrp.metrics.stats;

/**
 * The count, exact sum and exact sum of squares of a sample that values join and leave: its mean and the t-interval of
 * its mean, the same whatever the order in which the values came and went.
 */
public final class Moments {

    private int n;
    private final ExactSum sum = new ExactSum();
    private final ExactSum squares = new ExactSum();

    public void add(Ratio value) {
        n++;
        sum.add(value);
        squares.add(value.times(value));
    }

    public void remove(Ratio value) {
        n--;
        sum.subtract(value);
        squares.subtract(value.times(value));
    }

    public int n() {
        return n;
    }

    /** The exact mean; null for no values. */
    public Ratio mean() {
        return n == 0 ? null : sum.value().divide(n);
    }

    /**
     * The t-interval of the mean ({@link Descriptive#tInterval(int, double, double, double)}), from the exact sample
     * variance rounded once.
     */
    public Descriptive.Interval interval(double confidence) {
        if (n < 2) {
            return Descriptive.tInterval(n, Double.NaN, Double.NaN, confidence);
        }
        Ratio total = sum.value();
        Ratio variance = squares.value().minus(total.times(total).divide(n)).divide(n - 1);
        return Descriptive.tInterval(n, total.divide(n).doubleValue(), Math.sqrt(variance.doubleValue()), confidence);
    }
}
