package org.esrp.metrics.domain;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A study's leaderboard: per responder the mean of each metric, dimension and overall with 95% confidence intervals,
 * ranked by overall; and each responder against the human fans on the same (character, scenario) pairs.
 */
public record Leaderboard(UUID studyId, String raterKind, String groupBy, String interval, List<Metric> rubric,
                          List<Group> groups, Baseline humanBaseline) {

    /** A metric of the study's rubric, with the key of its dimension (as in {@code dimensions}) and that dimension's name. */
    public record Metric(String key, String name, String dimension, String dimensionName, int min, int max) {
    }

    public record Group(String value, List<Row> rows) {
    }

    /** {@code dialogues} is n of the intervals: each dialogue's score is the mean of its raters' scores. */
    public record Row(int rank, UUID responderId, String responderName, String kind, String modelName, int dialogues,
                      int ratings, Map<String, Estimate> metrics, Map<String, Estimate> dimensions, Estimate overall) {
    }

    public record Baseline(UUID humanResponderId, String humanResponderName, String test, List<Comparison> rows) {
    }

    /** Responder minus human on one score ("overall" or a dimension), over the pairs both answered and were rated on. */
    public record Comparison(UUID responderId, String responderName, String score, int pairs, Double meanDifference,
                             Double low, Double high, Double pValue, Double pHolm, String method) {
    }
}
