package org.esrp.metrics.service;

import org.esrp.events.Rubric;
import org.esrp.events.RubricMetric;
import org.esrp.metrics.domain.DialogueInfo;
import org.esrp.metrics.domain.ItemInfo;
import org.esrp.metrics.domain.Responder;
import org.esrp.metrics.domain.StudyModel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** The rated dialogues of a study: per dialogue, the mean of its raters' scores on each metric, dimension and overall. */
final class RatedDialogues {

    static final String OVERALL = "overall";

    /** Where a score sits: a metric, a dimension, or overall. */
    enum Level { METRIC, DIMENSION, OVERALL }

    /** A score of the leaderboard: overall, a dimension or a metric, by key. */
    record Score(Level level, String key) {
        static final Score ALL = new Score(Level.OVERALL, OVERALL);
    }

    /** A dialogue's identity and its mean scores (metrics and dimensions apart: a metric may share a dimension's key). */
    record Rated(UUID dialogueId, UUID responderId, UUID characterId, String characterName, UUID scenarioId,
                 String persona, String emotion, int ratings, Map<String, Double> metrics, Map<String, Double> dimensions,
                 Double overall) {

        Double score(Score score) {
            return switch (score.level()) {
                case METRIC -> metrics.get(score.key());
                case DIMENSION -> dimensions.get(score.key());
                case OVERALL -> overall;
            };
        }
    }

    private RatedDialogues() {
    }

    /** Every responder known, from its answers or, failing those, from ratings of its dialogues; by id. */
    static Map<UUID, Responder> responders(StudyModel model) {
        return new TreeMap<>(model.responders());
    }

    /**
     * DIALOGUE items with non-gold ratings of the kind (null: every kind), in dialogue id order. Call inside
     * {@link StudyModel#read}.
     */
    static List<Rated> rated(StudyModel model, Byte raterKind) {
        List<RubricMetric> rubric = model.rubric();
        Map<String, List<String>> dimensions = Rubric.dimensions(rubric);
        int[] index = rubric.stream().mapToInt(m -> model.metricIndexOf(m.key())).toArray();
        List<Rated> rated = new ArrayList<>();
        for (StudyModel.Item item : model.items()) {
            ItemInfo info = item.info();
            int ratings = item.ratings(raterKind);
            if (info.dialogueId() == null || ratings == 0) {
                continue;
            }
            Map<String, Double> metrics = new LinkedHashMap<>();
            for (int i = 0; i < rubric.size(); i++) {
                int count = item.count(raterKind, index[i]);
                if (count > 0) {
                    metrics.put(rubric.get(i).key(), item.sum(raterKind, index[i]) / (double) count);
                }
            }
            DialogueInfo dialogue = model.dialogue(info.dialogueId());
            rated.add(new Rated(info.dialogueId(), info.responderId(), info.characterId(),
                    info.characterName() != null || dialogue == null ? info.characterName() : dialogue.characterName(),
                    info.scenarioId(), dialogue == null ? null : dialogue.persona(), dialogue == null ? null : dialogue.emotion(),
                    ratings, metrics, dimensionMeans(metrics, dimensions), overall(metrics)));
        }
        return rated;
    }

    /** Per dimension the mean of its metrics' means. */
    private static Map<String, Double> dimensionMeans(Map<String, Double> metrics, Map<String, List<String>> dimensions) {
        Map<String, Double> means = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> dimension : dimensions.entrySet()) {
            double sum = 0;
            int n = 0;
            for (String metric : dimension.getValue()) {
                Double score = metrics.get(metric);
                if (score != null) {
                    sum += score;
                    n++;
                }
            }
            if (n > 0) {
                means.put(dimension.getKey(), sum / n);
            }
        }
        return means;
    }

    /** The mean of all the metrics' means, in rubric order. */
    private static Double overall(Map<String, Double> metrics) {
        if (metrics.isEmpty()) {
            return null;
        }
        double sum = 0;
        for (double score : metrics.values()) {
            sum += score;
        }
        return sum / metrics.size();
    }
}
