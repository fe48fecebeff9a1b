package org.esrp.metrics.stats;

import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;

import java.util.Arrays;
import java.util.Objects;

/**
 * A linear mixed model with one fixed factor (cell-means coded: one coefficient per level, no intercept) and crossed
 * random intercepts, fitted by REML: {@code y ~ 0 + fixed + (1|random_0) + (1|random_1) + ...}, as lme4's
 * {@code lmer(y ~ 0 + fixed + (1|r0) + (1|r1) + ..., REML = TRUE)} fits it.
 *
 * <p>The formulation is lme4's (Bates et al. 2015, "Fitting linear mixed-effects models using lme4", J. Stat. Softw.
 * 67(1), section 3): relative covariance factor {@code Lambda = diag(theta_k)} per random factor, the penalized system
 * {@code [Lambda'Z'Z Lambda + I, Lambda'Z'X; X'Z Lambda, X'X]}, and the profiled REML criterion
 * {@code log|L|^2 + log|R_X|^2 + (n-p)(1 + log(2 pi pwrss / (n-p)))} minimized over {@code theta >= 0} with BOBYQA (as
 * lme4 does). The first random factor (the one with the most levels: the raters) has a diagonal block, so it is
 * eliminated first; what is left is dense but small (the other factors' levels and the fixed levels).
 *
 * <p>Wald intervals of the fixed coefficients use {@code vcov = sigma^2 (A^-1)_beta}, lme4's {@code vcov(fit)}.
 */
public final class MixedModel {

    private MixedModel() {}

    /**
     * Observations.
     *
     * @param y the response
     * @param fixed each observation's fixed level, 0..fixedLevels-1
     * @param random per random factor, each observation's level in 0..randomLevels[k]-1; factor 0 should be the largest
     */
    public record Data(double[] y, int[] fixed, int fixedLevels, int[][] random, int[] randomLevels) {

        public Data {
            Objects.requireNonNull(y, "y");
            if (fixed.length != y.length || random.length != randomLevels.length || random.length == 0) {
                throw new IllegalArgumentException("one fixed level per observation and at least one random factor");
            }
            for (int[] factor : random) {
                if (factor.length != y.length) {
                    throw new IllegalArgumentException("one level of each random factor per observation");
                }
            }
        }
    }

    /**
     * The fit: per fixed level its coefficient and standard error (NaN for a level with no observation); per random
     * factor its variance; the residual variance; the REML criterion at the optimum.
     */
    public record Fit(double[] coefficients, double[] standardErrors, double[] randomVariances, double residualVariance,
                      double remlCriterion, int evaluations) {

        /** The Wald interval of a coefficient at the given two-sided confidence. */
        public Descriptive.Interval wald(int level, double confidence) {
            double z = Math.sqrt(2) * org.apache.commons.math3.special.Erf.erfInv(confidence);
            return new Descriptive.Interval(coefficients[level] - z * standardErrors[level], coefficients[level] + z * standardErrors[level]);
        }
    }

    /** Sufficient statistics: everything an evaluation of the criterion needs, gathered in one pass. */
    private static final class Cross {
        final int n;
        final int p;
        final int rows;           // levels of random factor 0
        final int dense;          // levels of the other random factors, then the fixed levels
        final int[] offset;       // per random factor k >= 1: its first dense index
        final int fixedOffset;
        final double[] rowCount;
        final double[] rowSum;
        final double[][] rowCross; // rows x dense
        final double[][] denseCross; // dense x dense
        final double[] denseSum;
        final double yy;

        Cross(Data data) {
            n = data.y().length;
            p = data.fixedLevels();
            rows = data.randomLevels()[0];
            offset = new int[data.random().length];
            int at = 0;
            for (int k = 1; k < data.random().length; k++) {
                offset[k] = at;
                at += data.randomLevels()[k];
            }
            fixedOffset = at;
            dense = at + p;
            rowCount = new double[rows];
            rowSum = new double[rows];
            rowCross = new double[rows][dense];
            denseCross = new double[dense][dense];
            denseSum = new double[dense];
            double squares = 0;
            int[] columns = new int[data.random().length];
            for (int i = 0; i < n; i++) {
                double y = data.y()[i];
                squares += y * y;
                int row = data.random()[0][i];
                rowCount[row]++;
                rowSum[row] += y;
                int m = 0;
                for (int k = 1; k < data.random().length; k++) {
                    columns[m++] = offset[k] + data.random()[k][i];
                }
                columns[m++] = fixedOffset + data.fixed()[i];
                for (int a = 0; a < m; a++) {
                    rowCross[row][columns[a]]++;
                    denseSum[columns[a]] += y;
                    for (int b = 0; b < m; b++) {
                        denseCross[columns[a]][columns[b]]++;
                    }
                }
            }
            yy = squares;
        }

        /** The relative scale of a dense index: theta of its random factor, 1 for a fixed level. */
        double scale(double[] theta, int j) {
            if (j >= fixedOffset) {
                return 1;
            }
            int k = offset.length - 1;
            while (k > 1 && offset[k] > j) {
                k--;
            }
            return theta[k];
        }
    }

    /** One evaluation at theta: the criterion, and what the fit reports. */
    private record Solution(double criterion, double pwrss, double[] dense, double[][] inverse) {
    }

    public static Fit fit(Data data) {
        Cross cross = new Cross(data);
        int k = data.random().length;
        if (cross.n <= cross.p) {
            throw new IllegalArgumentException("more observations than fixed levels are needed: " + cross.n);
        }
        int[] evaluations = new int[1];
        MultivariateFunction criterion = theta -> {
            evaluations[0]++;
            return solve(cross, theta, false).criterion();
        };
        double[] start = new double[k];
        Arrays.fill(start, 1);
        double[] lower = new double[k];
        double[] upper = new double[k];
        Arrays.fill(upper, 1e3);
        double[] best;
        if (k == 1) {
            best = new double[]{goldenSection(t -> criterion.value(new double[]{t}), 0, 50)};
        } else {
            PointValuePair optimum = new BOBYQAOptimizer(2 * k + 1, 0.25, 1e-9).optimize(new MaxEval(10_000),
                    new ObjectiveFunction(criterion), GoalType.MINIMIZE, new InitialGuess(start), new SimpleBounds(lower, upper));
            best = optimum.getPoint();
        }
        Solution at = solve(cross, best, true);
        double sigma2 = at.pwrss() / (cross.n - cross.p);
        double[] coefficients = new double[cross.p];
        double[] errors = new double[cross.p];
        for (int j = 0; j < cross.p; j++) {
            int d = cross.fixedOffset + j;
            boolean observed = cross.denseCross[d][d] > 0;
            coefficients[j] = observed ? at.dense()[d] : Double.NaN;
            errors[j] = observed ? Math.sqrt(sigma2 * at.inverse()[d][d]) : Double.NaN;
        }
        double[] variances = new double[k];
        for (int f = 0; f < k; f++) {
            variances[f] = best[f] * best[f] * sigma2;
        }
        return new Fit(coefficients, errors, variances, sigma2, at.criterion(), evaluations[0]);
    }

    /**
     * The penalized system at theta, factor 0 eliminated through its diagonal block (Schur complement), the rest by a
     * Cholesky factorization. A fixed level with no observation gets a unit diagonal (its coefficient is reported NaN).
     */
    private static Solution solve(Cross c, double[] theta, boolean withInverse) {
        int q = c.dense;
        double t0 = theta[0];
        double[] scale = new double[q];
        for (int j = 0; j < q; j++) {
            scale[j] = c.scale(theta, j);
        }
        double[][] s = new double[q][q];
        double[] rhs = new double[q];
        for (int a = 0; a < q; a++) {
            for (int b = 0; b <= a; b++) {
                s[a][b] = scale[a] * scale[b] * c.denseCross[a][b];
            }
            if (a < c.fixedOffset || c.denseCross[a][a] == 0) {
                s[a][a] += 1;
            }
            rhs[a] = scale[a] * c.denseSum[a];
        }
        double logDet = 0;
        double[] rowDiagonal = new double[c.rows];
        double[] rowRhs = new double[c.rows];
        double[] b = new double[q];
        for (int r = 0; r < c.rows; r++) {
            double d = t0 * t0 * c.rowCount[r] + 1;
            rowDiagonal[r] = d;
            rowRhs[r] = t0 * c.rowSum[r];
            logDet += Math.log(d);
            if (t0 == 0 || c.rowCount[r] == 0) {
                continue;
            }
            double[] cross = c.rowCross[r];
            int nonZero = 0;
            int[] at = new int[q];
            for (int j = 0; j < q; j++) {
                if (cross[j] != 0) {
                    b[nonZero] = t0 * scale[j] * cross[j];
                    at[nonZero++] = j;
                }
            }
            for (int x = 0; x < nonZero; x++) {
                double bx = b[x] / d;
                for (int y = 0; y <= x; y++) {
                    s[at[x]][at[y]] -= bx * b[y];
                }
                rhs[at[x]] -= bx * rowRhs[r];
            }
        }
        // lower-triangular Cholesky in place
        for (int j = 0; j < q; j++) {
            double diagonal = s[j][j];
            for (int k = 0; k < j; k++) {
                diagonal -= s[j][k] * s[j][k];
            }
            if (!(diagonal > 0)) {
                return new Solution(Double.POSITIVE_INFINITY, Double.NaN, null, null);
            }
            double l = Math.sqrt(diagonal);
            s[j][j] = l;
            logDet += 2 * Math.log(l);
            for (int i = j + 1; i < q; i++) {
                double v = s[i][j];
                for (int k = 0; k < j; k++) {
                    v -= s[i][k] * s[j][k];
                }
                s[i][j] = v / l;
            }
        }
        double[] dense = back(s, forward(s, rhs));
        double pwrss = c.yy;
        for (int j = 0; j < q; j++) {
            pwrss -= dense[j] * rhs(c, scale, j);
        }
        for (int r = 0; r < c.rows; r++) {
            double v = rowRhs[r];
            if (t0 != 0) {
                double[] cross = c.rowCross[r];
                for (int j = 0; j < q; j++) {
                    if (cross[j] != 0) {
                        v -= t0 * scale[j] * cross[j] * dense[j];
                    }
                }
            }
            double u = v / rowDiagonal[r];
            pwrss -= u * rowRhs[r];
        }
        int df = c.n - c.p;
        double criterion = logDet + df * (1 + Math.log(2 * Math.PI * pwrss / df));
        double[][] inverse = null;
        if (withInverse) {
            inverse = new double[q][q];
            for (int j = c.fixedOffset; j < q; j++) {
                double[] unit = new double[q];
                unit[j] = 1;
                double[] column = back(s, forward(s, unit));
                for (int i = 0; i < q; i++) {
                    inverse[i][j] = column[i];
                }
            }
        }
        // the dense solution is for the scaled random effects and the fixed coefficients: the latter are unscaled
        return new Solution(criterion, pwrss, dense, inverse);
    }

    private static double rhs(Cross c, double[] scale, int j) {
        return scale[j] * c.denseSum[j];
    }

    private static double[] forward(double[][] l, double[] b) {
        int q = b.length;
        double[] x = new double[q];
        for (int i = 0; i < q; i++) {
            double v = b[i];
            for (int k = 0; k < i; k++) {
                v -= l[i][k] * x[k];
            }
            x[i] = v / l[i][i];
        }
        return x;
    }

    private static double[] back(double[][] l, double[] y) {
        int q = y.length;
        double[] x = new double[q];
        for (int i = q - 1; i >= 0; i--) {
            double v = y[i];
            for (int k = i + 1; k < q; k++) {
                v -= l[k][i] * x[k];
            }
            x[i] = v / l[i][i];
        }
        return x;
    }

    private static double goldenSection(java.util.function.DoubleUnaryOperator f, double low, double high) {
        double ratio = (Math.sqrt(5) - 1) / 2;
        double a = low;
        double b = high;
        double c = b - ratio * (b - a);
        double d = a + ratio * (b - a);
        while (b - a > 1e-9) {
            if (f.applyAsDouble(c) < f.applyAsDouble(d)) {
                b = d;
            } else {
                a = c;
            }
            c = b - ratio * (b - a);
            d = a + ratio * (b - a);
        }
        return (a + b) / 2;
    }
}
