package org.esrp.metrics.service;

import org.esrp.events.Rubric;
import org.esrp.events.RubricMetric;
import org.esrp.metrics.domain.DialogueInfo;
import org.esrp.metrics.domain.Exclusions;
import org.esrp.metrics.domain.ItemInfo;
import org.esrp.metrics.domain.RatingValues;
import org.esrp.metrics.domain.Responder;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.stats.Exact;
import org.esrp.metrics.stats.Ratio;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The rated dialogues of a study: per dialogue, the mean of its raters' scores on each metric, each dimension the mean of
 * its metrics' means, overall the mean of all the metrics' means; all exact fractions.
 */
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

    /**
     * A dialogue's identity and its mean scores, exact (null where it has none); or, with no dialogue and no responder,
     * the human fans' pooled scores on one (character, scenario) pair.
     */
    record Rated(UUID dialogueId, UUID responderId, UUID characterId, String characterName, UUID scenarioId,
                 String persona, String emotion, int ratings, int excluded, Ratio[] metrics, Ratio[] dimensions,
                 Ratio overall) {

        Ratio score(Score score) {
            return switch (score.level()) {
                case METRIC -> metrics[score.index()];
                case DIMENSION -> dimensions[score.index()];
                case OVERALL -> overall;
            };
        }

        Pair pair() {
            return new Pair(characterId, scenarioId);
        }
    }

    /** A (character, scenario) pair: what responders' dialogues are paired on. */
    record Pair(UUID characterId, UUID scenarioId) {

        static final java.util.Comparator<Pair> ORDER = java.util.Comparator.comparing(Pair::characterId,
                java.util.Comparator.nullsFirst(java.util.Comparator.<UUID>naturalOrder()))
                .thenComparing(Pair::scenarioId, java.util.Comparator.nullsFirst(java.util.Comparator.<UUID>naturalOrder()));
    }

    /** The fans' dialogues on one pair as one: each score the mean of the fans' scores there (those that have one). */
    static Rated pooled(List<Rated> fans) {
        Rated first = fans.get(0);
        Ratio[] metrics = new Ratio[first.metrics().length];
        for (int i = 0; i < metrics.length; i++) {
            int metric = i;
            metrics[i] = meanOf(fans, r -> r.metrics()[metric]);
        }
        Ratio[] dimensions = new Ratio[first.dimensions().length];
        for (int d = 0; d < dimensions.length; d++) {
            int dimension = d;
            dimensions[d] = meanOf(fans, r -> r.dimensions()[dimension]);
        }
        return new Rated(null, null, first.characterId(), first.characterName(), first.scenarioId(), first.persona(),
                first.emotion(), fans.stream().mapToInt(Rated::ratings).sum(), fans.stream().mapToInt(Rated::excluded).sum(), metrics,
                dimensions, meanOf(fans, Rated::overall));
    }

    private static Ratio meanOf(List<Rated> fans, java.util.function.Function<Rated, Ratio> score) {
        List<Ratio> scores = new ArrayList<>(fans.size());
        for (Rated fan : fans) {
            Ratio value = score.apply(fan);
            if (value != null) {
                scores.add(value);
            }
        }
        return Exact.mean(scores);
    }

    private RatedDialogues() {
    }

    /** Every responder known, from its answers or, failing those, from ratings of its dialogues; by id. */
    static Map<UUID, Responder> responders(StudyModel model) {
        return new TreeMap<>(model.responders());
    }

    /**
     * A dialogue's scores as last derived (null: none of its ratings count), and what from: its item's version, its
     * description, the rubric, what the quality policy left out.
     */
    record Derived(int version, DialogueInfo dialogue, List<RubricMetric> rubric, Exclusions exclusions, Rated rated) {
    }

    /**
     * DIALOGUE items with non-gold ratings of the kind (null: every kind) that the exclusions leave in, in dialogue id
     * order. Per dialogue: each metric the mean of its raters' scores; each dimension the mean of its metrics' means;
     * overall the mean of all the metrics' means (in rubric order). A dialogue whose item, description, rubric and
     * exclusions are as {@code derived} last saw them is taken from there (and what is derived now is put there). Call
     * inside {@link StudyModel#read}.
     */
    static List<Rated> rated(StudyModel model, Byte raterKind, Scores scores, Map<UUID, Derived> derived, Exclusions exclusions) {
        List<Rated> rated = new ArrayList<>();
        walk(model, model.items(), raterKind, scores, derived, exclusions, rated, null);
        return rated;
    }

    /**
     * Derives again, as {@link #rated} does, the dialogues of {@code items} whose scores may have changed since
     * {@code derived} last saw them, and tells {@code changed} of each that did: (its scores before, or null; its scores
     * now, or null).
     */
    static void changes(StudyModel model, Byte raterKind, Scores scores, Map<UUID, Derived> derived, Exclusions exclusions,
                        java.util.Collection<StudyModel.Item> items, java.util.function.BiConsumer<Rated, Rated> changed) {
        walk(model, items, raterKind, scores, derived, exclusions, null, changed);
    }

    private static void walk(StudyModel model, java.util.Collection<StudyModel.Item> items, Byte raterKind, Scores scores,
                             Map<UUID, Derived> derived, Exclusions exclusions, List<Rated> rated,
                             java.util.function.BiConsumer<Rated, Rated> changed) {
        List<RubricMetric> rubric = model.rubric();
        int[] index = rubric.stream().mapToInt(m -> model.metricIndexOf(m.key())).toArray();
        for (StudyModel.Item item : items) {
            ItemInfo info = item.info();
            if (info.dialogueId() == null || item.ratings(raterKind) == 0) {
                continue;
            }
            DialogueInfo dialogue = model.dialogue(info.dialogueId());
            Derived known = derived.get(info.dialogueId());
            // what the policy leaves out changed, but not for this item: its scores stand
            if (known != null && known.version() == item.version() && known.dialogue() == dialogue && known.rubric() == rubric
                    && (known.exclusions() == exclusions || (!exclusions.touches(item) && !known.exclusions().touches(item)))) {
                if (known.exclusions() != exclusions) {
                    derived.put(info.dialogueId(), new Derived(known.version(), dialogue, rubric, exclusions, known.rated()));
                }
                if (rated != null && known.rated() != null) {
                    rated.add(known.rated());
                }
                continue;
            }
            Rated one = derive(item, dialogue, raterKind, rubric, index, scores, exclusions);
            derived.put(info.dialogueId(), new Derived(item.version(), dialogue, rubric, exclusions, one));
            if (rated != null && one != null) {
                rated.add(one);
            }
            if (changed != null && (one != null || (known != null && known.rated() != null))) {
                changed.accept(known == null ? null : known.rated(), one);
            }
        }
    }

    /** A dialogue's scores from its item's running sums, or, when the policy leaves some of its ratings out, from the rest. */
    private static Rated derive(StudyModel.Item item, DialogueInfo dialogue, Byte raterKind, List<RubricMetric> rubric, int[] index,
                                Scores scores, Exclusions exclusions) {
        long[] sums = new long[rubric.size()];
        int[] counts = new int[rubric.size()];
        int ratings = 0;
        int excluded = 0;
        if (exclusions.touches(item)) {
            for (int r = 0; r < item.size(); r++) {
                if (item.has(r, RatingValues.GOLD) || (raterKind != null && item.raterKind(r) != raterKind)) {
                    continue;
                }
                if (exclusions.excludes(item, r)) {
                    excluded++;
                    continue;
                }
                ratings++;
                for (int i = 0; i < index.length; i++) {
                    short value = item.score(r, index[i]);
                    if (value != StudyModel.Item.MISSING) {
                        sums[i] += value;
                        counts[i]++;
                    }
                }
            }
        } else {
            ratings = item.ratings(raterKind);
            for (int i = 0; i < index.length; i++) {
                sums[i] = item.sum(raterKind, index[i]);
                counts[i] = item.count(raterKind, index[i]);
            }
        }
        if (ratings == 0) {
            return null;
        }
        Ratio[] metrics = new Ratio[rubric.size()];
        List<Ratio> all = new ArrayList<>(rubric.size());
        for (int i = 0; i < rubric.size(); i++) {
            if (counts[i] > 0) {
                metrics[i] = Ratio.of(sums[i], counts[i]);
                all.add(metrics[i]);
            }
        }
        Ratio[] dimensions = new Ratio[scores.members().length];
        for (int d = 0; d < dimensions.length; d++) {
            List<Ratio> members = new ArrayList<>();
            for (int metric : scores.members()[d]) {
                if (metrics[metric] != null) {
                    members.add(metrics[metric]);
                }
            }
            dimensions[d] = Exact.mean(members);
        }
        ItemInfo info = item.info();
        return new Rated(info.dialogueId(), info.responderId(), info.characterId(),
                info.characterName() != null || dialogue == null ? info.characterName() : dialogue.characterName(),
                info.scenarioId(), dialogue == null ? null : dialogue.persona(), dialogue == null ? null : dialogue.emotion(),
                ratings, excluded, metrics, dimensions, Exact.mean(all));
    }
}
