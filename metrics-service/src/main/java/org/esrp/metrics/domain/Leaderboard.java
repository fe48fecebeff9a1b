package org.esrp.metrics.domain;

import org.esrp.events.QualityPolicy;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A study's leaderboard: per responder the mean of each metric, dimension and overall with 95% confidence intervals,
 * ranked by overall; and each responder against the human fans on the same (character, scenario) pairs.
 */
public record Leaderboard(UUID studyId, String raterKind, String groupBy, String interval, Quality quality, List<Metric> rubric,
                          List<Group> groups, Baseline humanBaseline) {

    /**
     * Which ratings count: {@code applied} "policy" (the study's quality policy, as shown) or "off" (every rating); how
     * many raters the policy excludes and how many ratings of the table it leaves out (theirs and those flagged TOO_FAST).
     */
    public record Quality(String applied, QualityPolicy policy, int excludedRaters, int excludedRatings) {
    }

    /** A metric of the study's rubric, with the key of its dimension (as in {@code dimensions}) and that dimension's name. */
    public record Metric(String key, String name, String dimension, String dimensionName, int min, int max) {
    }

    public record Group(String value, List<Row> rows) {
    }

    /**
     * A responder, or the human fans as one group (no responder id; {@code fans} is how many are pooled).
     * {@code dialogues} is n of the intervals: each dialogue's score is the mean of its raters' scores; for the human fans
     * it counts (character, scenario) pairs. {@code pairsWithHumans}: the rated (character, scenario) pairs shared with
     * the human fans; {@code sharedPairs}: those shared with each other responder of the table, by id (paired
     * statistics use only shared pairs).
     */
    public record Row(int rank, UUID responderId, String responderName, String kind, String modelName, Integer fans,
                      int dialogues, int ratings, Map<String, Estimate> metrics, Map<String, Estimate> dimensions,
                      Estimate overall, Integer pairsWithHumans, Map<UUID, Integer> sharedPairs) {

        public Row ranked(int rank) {
            return new Row(rank, responderId, responderName, kind, modelName, fans, dialogues, ratings, metrics, dimensions,
                    overall, pairsWithHumans, sharedPairs);
        }
    }

    /** The human fans pooled (every HUMAN responder), on {@code pairs} rated (character, scenario) pairs. */
    public record Baseline(List<UUID> humanResponderIds, List<String> humanResponderNames, int pairs, String test,
                           List<Comparison> rows) {
    }

    /** Responder minus human on one score ("overall" or a dimension), over the pairs both answered and were rated on. */
    public record Comparison(UUID responderId, String responderName, String score, int pairs, Double meanDifference,
                             Double low, Double high, Double pValue, Double pHolm, String method) {
    }
}
