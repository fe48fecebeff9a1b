package org.esrp.metrics.stats;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Descriptive statistics and Student-t distribution functions, pure JDK.
 *
 * <p>The t distribution is evaluated through the regularized incomplete beta function,
 * {@code P(T > t) = I_x(df/2, 1/2) / 2} with {@code x = df / (df + t^2)}; the quantile inverts
 * that with a bracketed Newton iteration. For every int df both are accurate to about 1e-13
 * relative (checked against 80-digit references up to df = 2^31 - 1), far inside the 1e-6
 * that confidence intervals need.
 */
public final class Descriptive {

    /** A closed interval {@code [low, high]}; both ends are NaN when it cannot be computed. */
    public record Interval(double low, double high) {}

    private static final Interval UNDEFINED = new Interval(Double.NaN, Double.NaN);

    // Below this df the ratio Gamma(df/2)/Gamma((df+1)/2) is built by exact recurrence;
    // above it the Stirling series already converges past double precision.
    private static final int RECURRENCE_MAX_DF = 40;
    private static final double LN_SQRT_PI = 0.5 * Math.log(Math.PI);
    // Below double precision, so the double-double fraction is converged for a double result.
    private static final double CF_EPS = 1e-18;
    private static final double CF_TINY = 1e-300;
    // A guard against non-termination only: for the t tail the fraction converges in tens of terms.
    private static final int CF_MAX_ITER = 100_000;

    private Descriptive() {}

    /** Arithmetic mean; NaN for an empty array. */
    public static double mean(double[] x) {
        Objects.requireNonNull(x, "x");
        int n = x.length;
        if (n == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (double v : x) {
            sum += v;
        }
        double m = sum / n;
        if (!Double.isFinite(m)) {
            return m;
        }
        // A second pass recovers the rounding error of the first sum, so long or
        // badly scaled samples still give a mean correct to a few ulps.
        double correction = 0;
        for (double v : x) {
            correction += v - m;
        }
        return m + correction / n;
    }

    /** Sample standard deviation with the n-1 denominator; NaN for fewer than 2 values. */
    public static double sampleSd(double[] x) {
        Objects.requireNonNull(x, "x");
        int n = x.length;
        if (n < 2) {
            return Double.NaN;
        }
        double m = mean(x);
        double ss = 0;
        double drift = 0;
        for (double v : x) {
            double d = v - m;
            ss += d * d;
            drift += d;
        }
        // Two-pass with the compensation term (Chan, Golub & LeVeque): avoids the
        // catastrophic cancellation of the sum-of-squares shortcut.
        double var = (ss - drift * drift / n) / (n - 1);
        return Math.sqrt(Math.max(var, 0));
    }

    /**
     * Student t quantile: the t with {@code tCdf(t, df) == p}.
     *
     * @return -Infinity for p = 0 and +Infinity for p = 1
     * @throws IllegalArgumentException if df &lt; 1 or p is NaN or outside [0, 1]
     */
    public static double tQuantile(double p, int df) {
        requireDf(df);
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("p must be in [0, 1]: " + p);
        }
        if (p == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (p == 1) {
            return Double.POSITIVE_INFINITY;
        }
        if (p == 0.5) {
            return 0;
        }
        // 1 - p is exact for p in [0.5, 1] (Sterbenz), so working on the smaller tail
        // keeps full relative precision for tiny lower-tail probabilities too.
        double tail = p < 0.5 ? p : 1 - p;
        double t = solveUpperTail(tail, df);
        return p < 0.5 ? -t : t;
    }

    /**
     * Student t cumulative distribution function {@code P(T <= t)}.
     *
     * @return NaN for NaN t
     * @throws IllegalArgumentException if df &lt; 1
     */
    public static double tCdf(double t, int df) {
        requireDf(df);
        if (Double.isNaN(t)) {
            return Double.NaN;
        }
        double upper = upperTail(Math.abs(t), df);
        return t < 0 ? upper : 1 - upper;
    }

    /**
     * Student t confidence interval for the mean: {@code mean ± t_{(1+c)/2, n-1} * sd / sqrt(n)}.
     *
     * @return (NaN, NaN) for fewer than 2 values
     * @throws IllegalArgumentException if confidence is not strictly between 0 and 1
     */
    public static Interval tInterval(double[] x, double confidence) {
        Objects.requireNonNull(x, "x");
        requireConfidence(confidence);
        int n = x.length;
        if (n < 2) {
            return UNDEFINED;
        }
        return tInterval(n, mean(x), sampleSd(x), confidence);
    }

    /**
     * Student t confidence interval for the mean of n values with the given mean and sample standard deviation:
     * {@code mean ± t_{(1+c)/2, n-1} * sd / sqrt(n)}.
     *
     * @return (NaN, NaN) for fewer than 2 values
     * @throws IllegalArgumentException if confidence is not strictly between 0 and 1
     */
    public static Interval tInterval(int n, double mean, double sd, double confidence) {
        requireConfidence(confidence);
        if (n < 2) {
            return UNDEFINED;
        }
        double half = intervalQuantile(confidence, n - 1) * sd / Math.sqrt(n);
        return new Interval(mean - half, mean + half);
    }

    // A leaderboard asks for the same few (confidence, df) quantiles over and over; each costs an iterative solve.
    private static final java.util.Map<Long, Double> QUANTILES = new java.util.concurrent.ConcurrentHashMap<>();

    private static double intervalQuantile(double confidence, int df) {
        if (confidence != 0.95) {
            return tQuantile((1 + confidence) / 2, df);
        }
        return QUANTILES.computeIfAbsent((long) df, d -> tQuantile(0.975, df));
    }

    /**
     * Percentile bootstrap interval for the mean. Each of {@code resamples} resamples draws
     * n indices with {@link SplittableRandom#nextInt(int)} from {@code new SplittableRandom(seed)},
     * so the result is a pure function of the arguments. The ends are the
     * {@code (1-c)/2} and {@code (1+c)/2} quantiles of the resample means, interpolated
     * linearly between order statistics (Hyndman-Fan type 7, R's default).
     *
     * @return (NaN, NaN) for an empty sample
     * @throws IllegalArgumentException if confidence is not strictly between 0 and 1 or resamples &lt; 1
     */
    public static Interval bootstrapMeanInterval(double[] x, double confidence, int resamples, long seed) {
        Objects.requireNonNull(x, "x");
        requireConfidence(confidence);
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be >= 1: " + resamples);
        }
        int n = x.length;
        if (n == 0) {
            return UNDEFINED;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        double[] means = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += x[rng.nextInt(n)];
            }
            means[b] = sum / n;
        }
        Arrays.sort(means);
        double alpha = 1 - confidence;
        return new Interval(sortedQuantile(means, alpha / 2), sortedQuantile(means, 1 - alpha / 2));
    }

    /** The p quantile of sorted values, interpolated linearly between order statistics (Hyndman-Fan type 7). */
    static double sortedQuantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        if (lo >= sorted.length - 1) {
            return sorted[sorted.length - 1];
        }
        double frac = h - lo;
        // Equal neighbours must give exactly that value, not value + 0 * (inf - inf) artefacts.
        if (frac == 0 || sorted[lo] == sorted[lo + 1]) {
            return sorted[lo];
        }
        return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
    }

    /** P(T > a) for a >= 0. */
    private static double upperTail(double a, int df) {
        if (a == 0) {
            return 0.5;
        }
        if (a == Double.POSITIVE_INFINITY) {
            return 0;
        }
        double halfDf = 0.5 * df;
        // x = df/(df+a^2) and y = 1-x are formed from s = a/sqrt(df) (or its inverse, whichever
        // is <= 1) so that neither overflows nor is obtained as 1 - (something close to 1).
        double sqrtDf = Math.sqrt(df);
        double x;
        double y;
        double lnX;
        double lnY;
        if (a < sqrtDf) {
            double s = a / sqrtDf;
            double s2 = s * s;
            double l = Math.log1p(s2);
            x = 1 / (1 + s2);
            y = s2 / (1 + s2);
            lnX = -l;
            lnY = 2 * Math.log(s) - l;
        } else {
            double s = sqrtDf / a;
            double s2 = s * s;
            double l = Math.log1p(s2);
            x = s2 / (1 + s2);
            y = 1 / (1 + s2);
            lnX = 2 * Math.log(s) - l;
            lnY = -l;
        }
        double front = Math.exp(halfDf * lnX + 0.5 * lnY - lnBetaHalf(df));
        double ix;
        // The continued fraction converges fast only on this side of the mean of the beta
        // distribution; on the other side use the symmetry I_x(a,b) = 1 - I_{1-x}(b,a).
        if (x < (halfDf + 1) / (halfDf + 2.5)) {
            ix = front * betaContinuedFraction(halfDf, 0.5, precise(x, y)) / halfDf;
        } else {
            ix = 1 - front * betaContinuedFraction(0.5, halfDf, precise(y, x)) / 0.5;
        }
        return 0.5 * ix;
    }

    /**
     * v as a double-double, given v and its complement 1 - v each to full relative precision:
     * near 1, v is better known as 1 - complement than as the rounded double v.
     */
    private static DD precise(double v, double complement) {
        return v > 0.5 ? DD.ONE.subtract(DD.of(complement)) : DD.of(v);
    }

    /** Student t density at a >= 0. */
    private static double density(double a, int df) {
        double sqrtDf = Math.sqrt(df);
        double lnOnePlus;
        if (a < sqrtDf) {
            double s = a / sqrtDf;
            lnOnePlus = Math.log1p(s * s);
        } else {
            double s = sqrtDf / a;
            lnOnePlus = -2 * Math.log(s) + Math.log1p(s * s);
        }
        return Math.exp(-lnBetaHalf(df) - 0.5 * Math.log(df) - 0.5 * (df + 1.0) * lnOnePlus);
    }

    /** Solves P(T > a) = tail for a > 0, with 0 &lt; tail &lt; 0.5. */
    private static double solveUpperTail(double tail, int df) {
        double lo = 0;
        double hi = 1;
        while (upperTail(hi, df) > tail) {
            lo = hi;
            hi *= 2;
            if (hi == Double.POSITIVE_INFINITY) {
                // Quantile beyond the largest double (e.g. df = 1 with tail below ~1e-309).
                if (upperTail(Double.MAX_VALUE, df) > tail) {
                    return Double.POSITIVE_INFINITY;
                }
                hi = Double.MAX_VALUE;
                break;
            }
        }
        double a = 0.5 * (lo + hi);
        // Newton on the convex, decreasing tail function, falling back to bisection
        // whenever a step leaves the bracket, so convergence is guaranteed.
        for (int iter = 0; iter < 2000; iter++) {
            double g = upperTail(a, df) - tail;
            if (g == 0) {
                return a;
            }
            if (g > 0) {
                lo = a;
            } else {
                hi = a;
            }
            double next = a + g / density(a, df);
            if (!(next > lo && next < hi)) {
                next = 0.5 * (lo + hi);
                if (next <= lo || next >= hi) {
                    return a;
                }
            }
            if (Math.abs(next - a) <= 2 * Math.ulp(a)) {
                return next;
            }
            a = next;
        }
        return a;
    }

    /**
     * ln B(df/2, 1/2). Only these half-integer arguments occur, which allows an exact
     * recurrence for small df and a cancellation-free Stirling difference for large df,
     * instead of a general log-gamma whose two large terms would cancel.
     */
    private static double lnBetaHalf(int df) {
        // B(df/2, 1/2) = sqrt(pi) * Gamma(df/2) / Gamma((df+1)/2)
        return LN_SQRT_PI + lnGammaRatio(df);
    }

    /** ln(Gamma(df/2) / Gamma(df/2 + 1/2)). */
    private static double lnGammaRatio(int df) {
        if (df <= RECURRENCE_MAX_DF) {
            // r(1) = sqrt(pi), r(2) = 2/sqrt(pi), r(k+2) = r(k) * k/(k+1).
            double r = (df % 2 == 1) ? Math.sqrt(Math.PI) : 2 / Math.sqrt(Math.PI);
            for (int k = (df % 2 == 1) ? 1 : 2; k < df; k += 2) {
                r *= (double) k / (k + 1);
            }
            return Math.log(r);
        }
        double z = 0.5 * df;
        // Stirling for lnGamma(z) - lnGamma(z + 1/2) with the O(z ln z) terms cancelled
        // analytically: what remains has an absolute error of a few 1e-16, which for a
        // logarithm is the relative error of the ratio.
        return -0.5 * Math.log(z) + (0.5 - z * Math.log1p(0.5 / z)) + stirlingTail(z) - stirlingTail(z + 0.5);
    }

    /** lnGamma(z) - [(z - 1/2) ln z - z + ln(2 pi)/2], Bernoulli-number series, for z >= 20. */
    private static double stirlingTail(double z) {
        double r = 1 / z;
        double r2 = r * r;
        return r * (1.0 / 12 - r2 * (1.0 / 360 - r2 * (1.0 / 1260 - r2 * (1.0 / 1680 - r2 / 1188))));
    }

    /**
     * Continued fraction of the incomplete beta function (modified Lentz), evaluated in
     * double-double. For large df the odd coefficients approach -1, so each step of
     * {@code 1 + aa * d} cancels about log10(df) digits; in plain double the t tail would
     * lose up to 8 digits at df near 2^31. The fraction needs only tens of terms, so the
     * extra arithmetic is cheap.
     */
    private static double betaContinuedFraction(double a, double b, DD x) {
        double qab = a + b;
        double qap = a + 1;
        double qam = a - 1;
        DD c = DD.ONE;
        DD d = guard(DD.ONE.subtract(x.multiply(qab).divide(DD.of(qap)))).reciprocal();
        DD h = d;
        for (int m = 1; m <= CF_MAX_ITER; m++) {
            int m2 = 2 * m;
            DD aa = x.multiply(DD.product(m, b - m)).divide(DD.product(qam + m2, a + m2));
            d = guard(DD.ONE.add(aa.multiply(d))).reciprocal();
            c = guard(DD.ONE.add(aa.divide(c)));
            h = h.multiply(d.multiply(c));
            aa = x.multiply(DD.product(-(a + m), qab + m)).divide(DD.product(a + m2, qap + m2));
            d = guard(DD.ONE.add(aa.multiply(d))).reciprocal();
            c = guard(DD.ONE.add(aa.divide(c)));
            DD del = d.multiply(c);
            h = h.multiply(del);
            if (Math.abs((del.hi() - 1) + del.lo()) <= CF_EPS) {
                return h.hi() + h.lo();
            }
        }
        throw new ArithmeticException("incomplete beta continued fraction did not converge: a=" + a + ", b=" + b + ", x=" + x.hi());
    }

    /** Lentz's guard: a zero denominator is replaced by a tiny one rather than dividing by zero. */
    private static DD guard(DD v) {
        return Math.abs(v.hi()) < CF_TINY ? DD.of(CF_TINY) : v;
    }

    /**
     * Double-double number hi + lo with |lo| &lt;= ulp(hi)/2: about 32 significant digits from
     * error-free transformations (two-sum, fma-based two-product).
     */
    private record DD(double hi, double lo) {
        static final DD ONE = new DD(1, 0);

        static DD of(double v) {
            return new DD(v, 0);
        }

        /** The exact product of two doubles. */
        static DD product(double a, double b) {
            double p = a * b;
            return new DD(p, Math.fma(a, b, -p));
        }

        DD add(DD o) {
            double s = hi + o.hi;
            double bb = s - hi;
            double err = (hi - (s - bb)) + (o.hi - bb);
            return normalize(s, err + lo + o.lo);
        }

        DD subtract(DD o) {
            return add(new DD(-o.hi, -o.lo));
        }

        DD multiply(DD o) {
            double p = hi * o.hi;
            double err = Math.fma(hi, o.hi, -p) + (hi * o.lo + lo * o.hi);
            return normalize(p, err);
        }

        DD multiply(double v) {
            return multiply(of(v));
        }

        DD divide(DD o) {
            double q1 = hi / o.hi;
            DD r = subtract(o.multiply(q1));
            double q2 = (r.hi + r.lo) / o.hi;
            return normalize(q1, q2);
        }

        DD reciprocal() {
            return ONE.divide(this);
        }

        private static DD normalize(double a, double b) {
            double s = a + b;
            return new DD(s, b - (s - a));
        }
    }

    private static void requireDf(int df) {
        if (df < 1) {
            throw new IllegalArgumentException("df must be >= 1: " + df);
        }
    }

    private static void requireConfidence(double confidence) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1): " + confidence);
        }
    }
}
