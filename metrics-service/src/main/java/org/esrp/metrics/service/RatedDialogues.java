package org.esrp.metrics.service;

import org.esrp.events.Rubric;
import org.esrp.events.RubricMetric;
import org.esrp.metrics.domain.DialogueInfo;
import org.esrp.metrics.domain.ItemInfo;
import org.esrp.metrics.domain.Responder;
import org.esrp.metrics.domain.StudyModel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** The rated dialogues of a study: per dialogue, the mean of its raters' scores on each metric, dimension and overall. */
final class RatedDialogues {

    static final String OVERALL = "overall";

    /** Where a score sits: a metric (by its rubric position), a dimension (by its position), or overall. */
    enum Level { METRIC, DIMENSION, OVERALL }

    /** A score of the leaderboard, by its level, its key and its position in that level. */
    record Score(Level level, String key, int index) {
        static final Score ALL = new Score(Level.OVERALL, OVERALL, 0);
    }

    /** The rubric's metrics and dimensions, in order, as the leaderboard's scores. */
    record Scores(List<Score> metrics, List<Score> dimensions, int[][] members) {

        static Scores of(List<RubricMetric> rubric) {
            Map<String, List<String>> byDimension = Rubric.dimensions(rubric);
            List<Score> metrics = new ArrayList<>();
            for (int i = 0; i < rubric.size(); i++) {
                metrics.add(new Score(Level.METRIC, rubric.get(i).key(), i));
            }
            List<Score> dimensions = new ArrayList<>();
            int[][] members = new int[byDimension.size()][];
            int d = 0;
            for (Map.Entry<String, List<String>> dimension : byDimension.entrySet()) {
                dimensions.add(new Score(Level.DIMENSION, dimension.getKey(), d));
                members[d++] = dimension.getValue().stream().mapToInt(key -> indexOf(rubric, key)).toArray();
            }
            return new Scores(metrics, dimensions, members);
        }

        private static int indexOf(List<RubricMetric> rubric, String key) {
            for (int i = 0; i < rubric.size(); i++) {
                if (rubric.get(i).key().equals(key)) {
                    return i;
                }
            }
            throw new IllegalArgumentException(key);
        }
    }

    /** A dialogue's identity and its mean scores (NaN where it has none). */
    record Rated(UUID dialogueId, UUID responderId, UUID characterId, String characterName, UUID scenarioId,
                 String persona, String emotion, int ratings, double[] metrics, double[] dimensions, double overall) {

        double score(Score score) {
            return switch (score.level()) {
                case METRIC -> metrics[score.index()];
                case DIMENSION -> dimensions[score.index()];
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

    /** A dialogue's scores as last derived, and what from: its item's version, its description, the rubric. */
    record Derived(int version, DialogueInfo dialogue, List<RubricMetric> rubric, Rated rated) {
    }

    /**
     * DIALOGUE items with non-gold ratings of the kind (null: every kind), in dialogue id order. Per dialogue: each
     * metric the mean of its raters' scores; each dimension the mean of its metrics' means; overall the mean of all
     * the metrics' means (in rubric order). A dialogue whose item, description and rubric are as {@code derived} last
     * saw them is taken from there (and what is derived now is put there). Call inside {@link StudyModel#read}.
     */
    static List<Rated> rated(StudyModel model, Byte raterKind, Scores scores, Map<UUID, Derived> derived) {
        List<RubricMetric> rubric = model.rubric();
        int[] index = rubric.stream().mapToInt(m -> model.metricIndexOf(m.key())).toArray();
        List<Rated> rated = new ArrayList<>();
        for (StudyModel.Item item : model.items()) {
            ItemInfo info = item.info();
            int ratings = item.ratings(raterKind);
            if (info.dialogueId() == null || ratings == 0) {
                continue;
            }
            DialogueInfo dialogue = model.dialogue(info.dialogueId());
            Derived known = derived.get(info.dialogueId());
            if (known != null && known.version() == item.version() && known.dialogue() == dialogue && known.rubric() == rubric) {
                rated.add(known.rated());
                continue;
            }
            double[] metrics = new double[rubric.size()];
            double all = 0;
            int allN = 0;
            for (int i = 0; i < rubric.size(); i++) {
                int count = item.count(raterKind, index[i]);
                metrics[i] = count > 0 ? item.sum(raterKind, index[i]) / (double) count : Double.NaN;
                if (count > 0) {
                    all += metrics[i];
                    allN++;
                }
            }
            double[] dimensions = new double[scores.members().length];
            for (int d = 0; d < dimensions.length; d++) {
                double sum = 0;
                int n = 0;
                for (int metric : scores.members()[d]) {
                    if (!Double.isNaN(metrics[metric])) {
                        sum += metrics[metric];
                        n++;
                    }
                }
                dimensions[d] = n > 0 ? sum / n : Double.NaN;
            }
            Rated one = new Rated(info.dialogueId(), info.responderId(), info.characterId(),
                    info.characterName() != null || dialogue == null ? info.characterName() : dialogue.characterName(),
                    info.scenarioId(), dialogue == null ? null : dialogue.persona(), dialogue == null ? null : dialogue.emotion(),
                    ratings, metrics, dimensions, allN > 0 ? all / allN : Double.NaN);
            derived.put(info.dialogueId(), new Derived(item.version(), dialogue, rubric, one));
            rated.add(one);
        }
        return rated;
    }
}
