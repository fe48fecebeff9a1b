package org.esrp.metrics.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.metrics.diversity.DistinctN;
import org.esrp.metrics.diversity.EmbeddingDispersion;
import org.esrp.metrics.diversity.SelfBleu;
import org.esrp.metrics.domain.Estimate;
import org.esrp.metrics.domain.Exclusions;
import org.esrp.metrics.domain.GroupDiversity;
import org.esrp.metrics.domain.RatingValues;
import org.esrp.metrics.domain.Responder;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.stats.Descriptive;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Automatic diversity per responder: distinct-1, distinct-2, character-level self-BLEU and embedding dispersion (mean
 * pairwise cosine distance) per (responder, character) group, averaged over characters; beside it the human diversity
 * rating of diversity items. The groups' measures are computed in the background when their answers change
 * ({@link DiversityWorker}); this only averages them.
 */
@ApplicationScoped
public class DiversityService {

    /** Diversity items per hold of the model's lock. */
    private static final int CHUNK = 256;

    /**
     * {@code distinct1LengthControlled}, {@code distinct2LengthControlled}: the same measures with every responder's
     * answers for a character cut to the same length (the shortest responder's, in steps of {@value #LENGTH_STEP} code
     * points), averaged over characters: fans write shorter answers than LLMs, and distinct-n falls with length.
     */
    public record Diversity(UUID responderId, String responderName, String kind, Double distinct1, Double distinct2,
                            Double distinct1LengthControlled, Double distinct2LengthControlled, Double selfBleu,
                            Double embeddingDispersion, Estimate humanDiversityRating) {
    }

    /** The granularity of the length budget, in code points. */
    public static final int LENGTH_STEP = 50;

    /**
     * @param round 1 or 2 for the answers of that round only; null for both
     * @param quality whether the study's quality policy applies to the human diversity ratings
     */
    public List<Diversity> diversity(StudyModel model, Integer round, boolean quality) {
        int scope = round == null ? 0 : round;
        record Groups(Map<UUID, List<GroupDiversity.Measures>> measures, Map<UUID, Map<UUID, GroupDiversity.Measures>> byCharacter,
                      Map<UUID, Responder> responders) {
        }
        Groups read = model.read(m -> {
            Map<UUID, List<GroupDiversity.Measures>> measures = new TreeMap<>();
            Map<UUID, Map<UUID, GroupDiversity.Measures>> byCharacter = new TreeMap<>();
            for (GroupDiversity group : m.groups()) {
                if (group.answers()[scope] > 0 && group.measures()[scope] != null) {
                    measures.computeIfAbsent(group.responderId(), id -> new ArrayList<>()).add(group.measures()[scope]);
                    byCharacter.computeIfAbsent(group.characterId(), id -> new TreeMap<>()).put(group.responderId(), group.measures()[scope]);
                }
            }
            return new Groups(measures, byCharacter, RatedDialogues.responders(m));
        });
        StudyModel.letWritersIn();
        Map<UUID, Map<UUID, double[]>> ratings = humanRatings(model, quality);
        Map<UUID, List<double[]>> lengthControlled = lengthControlled(read.byCharacter());
        List<Diversity> rows = new ArrayList<>();
        for (Responder responder : read.responders().values()) {
            List<GroupDiversity.Measures> groups = read.measures().getOrDefault(responder.id(), List.of());
            List<double[]> controlled = lengthControlled.getOrDefault(responder.id(), List.of());
            rows.add(new Diversity(responder.id(), responder.name(), responder.kind(),
                    mean(groups, GroupDiversity.Measures::distinct1, true), mean(groups, GroupDiversity.Measures::distinct2, true),
                    meanOf(controlled, 0), meanOf(controlled, 1),
                    mean(groups, GroupDiversity.Measures::selfBleu, false), mean(groups, GroupDiversity.Measures::dispersion, false),
                    humanRating(ratings.get(responder.id()))));
        }
        return rows;
    }

    /**
     * Per responder, per character: distinct-1 and -2 of its answers cut to the character's budget, the largest multiple
     * of the step that every responder with answers for the character reaches. A character where one falls short of a
     * step counts for none.
     */
    private static Map<UUID, List<double[]>> lengthControlled(Map<UUID, Map<UUID, GroupDiversity.Measures>> byCharacter) {
        Map<UUID, List<double[]>> byResponder = new TreeMap<>();
        byCharacter.forEach((character, groups) -> {
            int budget = Integer.MAX_VALUE;
            for (GroupDiversity.Measures group : groups.values()) {
                budget = Math.min(budget, group.prefixes1() == null ? 0 : group.prefixes1().points());
            }
            if (budget == 0) {
                return;
            }
            int k = budget - 1;
            groups.forEach((responder, group) -> byResponder.computeIfAbsent(responder, id -> new ArrayList<>())
                    .add(new double[]{group.prefixes1().at(k), group.prefixes2().at(k)}));
        });
        return byResponder;
    }

    private static Double meanOf(List<double[]> values, int index) {
        if (values.isEmpty()) {
            return null;
        }
        double sum = 0;
        for (double[] value : values) {
            sum += value[index];
        }
        return Estimate.finite(sum / values.size());
    }

    /**
     * The measures of one group's answers (in a fixed order) and of the embeddings it has of them: distinct-n over
     * every answer, self-BLEU (4-gram) with fewer than 2 answers undefined, dispersion with fewer than 2 embeddings
     * undefined.
     */
    public static GroupDiversity.Measures measure(List<String> answers, List<float[]> vectors) {
        return new GroupDiversity.Measures(answers.size(), vectors.size(), finite(DistinctN.distinct(answers, 1)),
                finite(DistinctN.distinct(answers, 2)), finite(SelfBleu.selfBleu(answers, 4)),
                vectors.size() < 2 ? null : finite(EmbeddingDispersion.dispersion(vectors.toArray(float[][]::new))),
                DistinctN.prefixes(answers, 1, LENGTH_STEP), DistinctN.prefixes(answers, 2, LENGTH_STEP));
    }

    /**
     * The mean over groups; for distinct-n an undefined group makes the mean undefined (every group has answers), for
     * self-BLEU and dispersion undefined groups (too few answers or embeddings) are left out.
     */
    private static Double mean(List<GroupDiversity.Measures> groups, java.util.function.Function<GroupDiversity.Measures, Double> measure,
                               boolean strict) {
        double sum = 0;
        int n = 0;
        for (GroupDiversity.Measures group : groups) {
            Double value = measure.apply(group);
            if (value == null) {
                if (strict) {
                    return null;
                }
                continue;
            }
            sum += value;
            n++;
        }
        return n == 0 ? null : Estimate.finite(sum / n);
    }

    /**
     * Per responder, per DIVERSITY item, the item's mean human diversity score (one value per item), of the ratings kept;
     * read a chunk of items per hold of the model's lock.
     */
    private static Map<UUID, Map<UUID, double[]>> humanRatings(StudyModel model, boolean quality) {
        List<StudyModel.Item> items = model.read(m -> m.items().stream().filter(item -> "DIVERSITY".equals(item.info().kind())).toList());
        Map<UUID, Map<UUID, double[]>> byResponder = new TreeMap<>();
        model.readInChunks(items, CHUNK, (m, chunk) -> {
            int metric = m.metricIndexOf(m.diversityRubric().get(0).key());
            Exclusions exclusions = m.exclusions(quality);
            for (StudyModel.Item item : chunk) {
                long sum = 0;
                int n = 0;
                for (int r = 0; r < item.size(); r++) {
                    short score = item.score(r, metric);
                    if (!item.has(r, RatingValues.GOLD) && score != StudyModel.Item.MISSING && !exclusions.excludes(item, r)) {
                        sum += score;
                        n++;
                    }
                }
                if (n > 0) {
                    byResponder.computeIfAbsent(item.info().responderId(), id -> new TreeMap<>())
                            .put(item.info().itemId(), new double[]{sum / (double) n});
                }
            }
        });
        return byResponder;
    }

    private static Estimate humanRating(Map<UUID, double[]> byItem) {
        if (byItem == null || byItem.isEmpty()) {
            return new Estimate(null, null, null, 0);
        }
        double[] itemMeans = byItem.values().stream().mapToDouble(v -> v[0]).toArray();
        Descriptive.Interval ci = Descriptive.tInterval(itemMeans, 0.95);
        return new Estimate(Estimate.finite(Descriptive.mean(itemMeans)), Estimate.finite(ci.low()), Estimate.finite(ci.high()), itemMeans.length);
    }

    private static Double finite(double value) {
        return Estimate.finite(value);
    }
}
