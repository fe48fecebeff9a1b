package org.esrp.metrics.domain;

import java.util.List;
import java.util.UUID;

/**
 * Every responder against every other on one score, with intervals that respect the design: per responder its mean with
 * a two-way cluster-bootstrap interval and a bootstrap rank interval; per pair of responders the mean difference on the
 * (character, scenario) pairs both were rated on, its bootstrap interval, and a Wilcoxon signed-rank p-value,
 * Holm-adjusted over all pairs. The human fans are one responder (key {@code human-fans}, no id).
 */
public record Comparisons(UUID studyId, String raterKind, String score, Leaderboard.Quality quality, Bootstrap bootstrap,
                          List<Ranked> responders, List<Pairwise> pairs) {

    /** How the intervals were drawn: the same data, resamples and seed give the same intervals. */
    public record Bootstrap(String method, int resamples, long seed, double confidence) {
    }

    /** {@code rank} orders the means; {@code rankLow}..{@code rankHigh} is where the bootstrap puts it (1 = best). */
    public record Ranked(String key, UUID responderId, String responderName, String kind, int dialogues, Double mean, Double low,
                         Double high, int rank, Integer rankLow, Integer rankHigh) {
    }

    /** {@code a} minus {@code b} (responder keys) over their {@code sharedPairs}. */
    public record Pairwise(String a, String aName, String b, String bName, int sharedPairs, Double meanDifference, Double low,
                           Double high, Double pValue, Double pHolm, String method) {
    }
}
