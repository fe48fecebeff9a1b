package org.esrp.metrics.stats;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Percentile intervals of means, mean differences and ranks under a two-way cluster bootstrap (Owen 2007, "The pigeonhole
 * bootstrap", Ann. Appl. Stat. 1(2)): characters and scenarios are resampled independently with replacement, and a value
 * on character c and scenario s enters a resample with weight (times c was drawn) x (times s was drawn). Dialogues that
 * share a character or a scenario are correlated; an interval over dialogues as if they were independent is too narrow,
 * resampling both crossed factors keeps their share of the variance in the interval.
 *
 * <p>Each resample draws the characters' weights then the scenarios' weights with {@link SplittableRandom#nextInt(int)}
 * from one {@code new SplittableRandom(seed)}, so the result is a pure function of the arguments. An estimate whose
 * values all get weight zero in a resample is undefined there: it is left out of that resample's ranks, and its interval
 * is over the resamples where it is defined.
 */
public final class ClusterBootstrap {

    private ClusterBootstrap() {}

    /** Values on (character, scenario) cells: indices into {@code 0..characters-1} and {@code 0..scenarios-1}. */
    public record Cells(int[] characters, int[] scenarios, double[] values) {

        public Cells {
            if (characters.length != scenarios.length || characters.length != values.length) {
                throw new IllegalArgumentException("one character and one scenario per value");
            }
        }
    }

    /** An estimate's percentile interval and in how many resamples it was defined. */
    public record Interval(double low, double high, int defined) {
    }

    /** A rank interval: 1 is the highest mean; a tie shares the best rank of the tied. */
    public record RankInterval(int low, int high) {
    }

    /** Per mean: its interval and its rank interval; per difference: its interval. */
    public record Result(List<Interval> means, List<RankInterval> ranks, List<Interval> differences) {
    }

    /**
     * @param means the values of each ranked estimate (a responder's dialogue scores on their cells)
     * @param differences the paired differences of each compared pair, on the cells both share
     * @param confidence e.g. 0.95: the ends are the (1-c)/2 and (1+c)/2 quantiles (Hyndman-Fan type 7)
     */
    public static Result run(List<Cells> means, List<Cells> differences, int characters, int scenarios, int resamples, long seed,
                             double confidence) {
        Objects.requireNonNull(means, "means");
        Objects.requireNonNull(differences, "differences");
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be >= 1: " + resamples);
        }
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1): " + confidence);
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] characterWeights = new int[characters];
        int[] scenarioWeights = new int[scenarios];
        double[][] meanDraws = new double[means.size()][resamples];
        double[][] rankDraws = new double[means.size()][resamples];
        double[][] differenceDraws = new double[differences.size()][resamples];
        double[] current = new double[means.size()];
        for (int b = 0; b < resamples; b++) {
            Arrays.fill(characterWeights, 0);
            Arrays.fill(scenarioWeights, 0);
            for (int i = 0; i < characters; i++) {
                characterWeights[rng.nextInt(characters)]++;
            }
            for (int i = 0; i < scenarios; i++) {
                scenarioWeights[rng.nextInt(scenarios)]++;
            }
            for (int k = 0; k < means.size(); k++) {
                current[k] = weightedMean(means.get(k), characterWeights, scenarioWeights);
                meanDraws[k][b] = current[k];
            }
            for (int k = 0; k < means.size(); k++) {
                if (Double.isNaN(current[k])) {
                    rankDraws[k][b] = Double.NaN;
                    continue;
                }
                int above = 0;
                for (double other : current) {
                    if (other > current[k]) {
                        above++;
                    }
                }
                rankDraws[k][b] = 1 + above;
            }
            for (int k = 0; k < differences.size(); k++) {
                differenceDraws[k][b] = weightedMean(differences.get(k), characterWeights, scenarioWeights);
            }
        }
        double alpha = 1 - confidence;
        List<Interval> meanIntervals = Arrays.stream(meanDraws).map(d -> interval(d, alpha)).toList();
        List<RankInterval> rankIntervals = Arrays.stream(rankDraws).map(d -> {
            Interval ranks = interval(d, alpha);
            return ranks.defined() == 0 ? null : new RankInterval((int) Math.floor(ranks.low()), (int) Math.ceil(ranks.high()));
        }).toList();
        List<Interval> differenceIntervals = Arrays.stream(differenceDraws).map(d -> interval(d, alpha)).toList();
        return new Result(meanIntervals, rankIntervals, differenceIntervals);
    }

    private static double weightedMean(Cells cells, int[] characterWeights, int[] scenarioWeights) {
        double sum = 0;
        long weight = 0;
        int[] c = cells.characters();
        int[] s = cells.scenarios();
        double[] v = cells.values();
        for (int i = 0; i < v.length; i++) {
            int w = characterWeights[c[i]] * scenarioWeights[s[i]];
            if (w != 0) {
                sum += w * v[i];
                weight += w;
            }
        }
        return weight == 0 ? Double.NaN : sum / weight;
    }

    private static Interval interval(double[] draws, double alpha) {
        double[] defined = Arrays.stream(draws).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (defined.length == 0) {
            return new Interval(Double.NaN, Double.NaN, 0);
        }
        return new Interval(Descriptive.sortedQuantile(defined, alpha / 2), Descriptive.sortedQuantile(defined, 1 - alpha / 2),
                defined.length);
    }
}
