package org.esrp.metrics.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.metrics.domain.Adjusted;
import org.esrp.metrics.domain.Estimate;
import org.esrp.metrics.domain.Exclusions;
import org.esrp.metrics.domain.RatingValues;
import org.esrp.metrics.domain.Responder;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.stats.Descriptive;
import org.esrp.metrics.stats.MixedModel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Rater-adjusted means per responder: every non-gold rating of a dialogue is an observation (its score on the chosen
 * level: the mean of its metrics' scores overall or in a dimension, or one metric's score), fitted by
 * {@code score ~ 0 + responder + (1|rater) + (1|character) + (1|scenario)} with REML ({@link MixedModel}). The human
 * fans are one responder, as on the leaderboard.
 */
@ApplicationScoped
public class AdjustedService {

    public static final String MODEL = "score ~ 0 + responder + (1|rater) + (1|character) + (1|scenario), REML (lme4's"
            + " formulation, BOBYQA); a rating's score is the mean of its scores on the chosen metrics; Wald 95% intervals";

    /** The observations, copied in one short hold of the model's lock. */
    private record Ratings(List<UUID> responders, List<UUID> raters, List<UUID> characters, List<UUID> scenarios,
                           double[] y, int[] responder, int[] rater, int[] character, int[] scenario, int n) {
    }

    /**
     * @param raterKind null for every kind
     * @param score one of {@link ComparisonService#scores}
     * @param quality whether the study's quality policy applies
     */
    public Adjusted adjusted(StudyModel model, String raterKind, String score, boolean quality) {
        Byte kind = RaterKinds.code(raterKind);
        Map<UUID, Responder> known = model.read(StudyModel::responders);
        Ratings ratings = model.read(m -> observations(m, kind, metricsOf(m, score), known,
                m.exclusions(quality)));
        List<Adjusted.Responder> rows = new ArrayList<>();
        String applied = quality ? "policy" : "off";
        if (ratings.n() <= ratings.responders().size() || ratings.raters().isEmpty()) {
            return new Adjusted(model.studyId(), raterKind, score, applied, MODEL, ratings.n(), new Adjusted.Variances(null, null, null, null),
                    rows);
        }
        double[] y = java.util.Arrays.copyOf(ratings.y(), ratings.n());
        MixedModel.Fit fit = MixedModel.fit(new MixedModel.Data(y, java.util.Arrays.copyOf(ratings.responder(), ratings.n()),
                ratings.responders().size(), new int[][]{java.util.Arrays.copyOf(ratings.rater(), ratings.n()),
                java.util.Arrays.copyOf(ratings.character(), ratings.n()), java.util.Arrays.copyOf(ratings.scenario(), ratings.n())},
                new int[]{ratings.raters().size(), ratings.characters().size(), ratings.scenarios().size()}));
        double[] sums = new double[ratings.responders().size()];
        int[] counts = new int[sums.length];
        for (int i = 0; i < ratings.n(); i++) {
            sums[ratings.responder()[i]] += y[i];
            counts[ratings.responder()[i]]++;
        }
        record Row(int level, double adjusted) {
        }
        List<Row> order = new ArrayList<>();
        for (int j = 0; j < sums.length; j++) {
            order.add(new Row(j, fit.coefficients()[j]));
        }
        order.sort(Comparator.comparingDouble(Row::adjusted).reversed().thenComparingInt(Row::level));
        for (int rank = 0; rank < order.size(); rank++) {
            int j = order.get(rank).level();
            UUID id = ratings.responders().get(j);
            Descriptive.Interval wald = fit.wald(j, 0.95);
            Responder responder = id == null ? null : known.getOrDefault(id, new Responder(id, null, null, null));
            rows.add(new Adjusted.Responder(id == null ? ComparisonService.HUMAN_FANS_KEY : id.toString(), id,
                    id == null ? LeaderboardService.HUMAN_FANS : responder.name(), id == null ? "HUMAN" : responder.kind(), counts[j],
                    Estimate.finite(sums[j] / counts[j]), Estimate.finite(fit.coefficients()[j]), Estimate.finite(wald.low()),
                    Estimate.finite(wald.high()), rank + 1));
        }
        return new Adjusted(model.studyId(), raterKind, score, applied, MODEL, ratings.n(), new Adjusted.Variances(
                Estimate.finite(fit.randomVariances()[0]), Estimate.finite(fit.randomVariances()[1]),
                Estimate.finite(fit.randomVariances()[2]), Estimate.finite(fit.residualVariance())), rows);
    }

    /** The study's metric indices a score averages: all the rubric's (overall), a dimension's, or one metric. */
    private static int[] metricsOf(StudyModel model, String score) {
        RatedDialogues.Scores scores = RatedDialogues.Scores.of(model.rubric());
        List<Integer> positions = new ArrayList<>();
        if (score == null || RatedDialogues.OVERALL.equals(score)) {
            scores.metrics().forEach(m -> positions.add(m.index()));
        } else {
            scores.dimensions().stream().filter(d -> d.key().equals(score)).findFirst()
                    .ifPresent(d -> java.util.Arrays.stream(scores.members()[d.index()]).forEach(positions::add));
            scores.metrics().stream().filter(m -> m.key().equals(score)).findFirst().ifPresent(m -> positions.add(m.index()));
        }
        return positions.stream().mapToInt(i -> model.metricIndexOf(model.rubric().get(i).key())).toArray();
    }

    private static Ratings observations(StudyModel model, Byte kind, int[] metrics, Map<UUID, Responder> responders,
                                        Exclusions exclusions) {
        TreeSet<UUID> responderIds = new TreeSet<>(Comparator.nullsLast(Comparator.naturalOrder()));
        TreeSet<UUID> characterIds = new TreeSet<>(Comparator.nullsFirst(Comparator.naturalOrder()));
        TreeSet<UUID> scenarioIds = new TreeSet<>(Comparator.nullsFirst(Comparator.naturalOrder()));
        TreeSet<Integer> raterIndices = new TreeSet<>();
        java.util.Set<UUID> fans = LeaderboardService.fans(responders);
        int capacity = 0;
        for (StudyModel.Item item : model.items()) {
            if (item.info().dialogueId() != null) {
                capacity += item.size();
            }
        }
        double[] y = new double[capacity];
        UUID[] responderOf = new UUID[capacity];
        UUID[] characterOf = new UUID[capacity];
        UUID[] scenarioOf = new UUID[capacity];
        int[] raterOf = new int[capacity];
        int n = 0;
        for (StudyModel.Item item : model.items()) {
            if (item.info().dialogueId() == null) {
                continue;
            }
            UUID responder = fans.contains(item.info().responderId()) ? null : item.info().responderId();
            for (int r = 0; r < item.size(); r++) {
                if (item.has(r, RatingValues.GOLD) || (kind != null && item.raterKind(r) != kind) || exclusions.excludes(item, r)) {
                    continue;
                }
                long sum = 0;
                int count = 0;
                for (int metric : metrics) {
                    short value = item.score(r, metric);
                    if (value != StudyModel.Item.MISSING) {
                        sum += value;
                        count++;
                    }
                }
                if (count == 0) {
                    continue;
                }
                y[n] = sum / (double) count;
                responderOf[n] = responder;
                characterOf[n] = item.info().characterId();
                scenarioOf[n] = item.info().scenarioId();
                raterOf[n] = item.rater(r);
                responderIds.add(responder);
                characterIds.add(characterOf[n]);
                scenarioIds.add(scenarioOf[n]);
                raterIndices.add(raterOf[n]);
                n++;
            }
        }
        Map<UUID, Integer> responderIndex = ComparisonService.index(responderIds);
        Map<UUID, Integer> characterIndex = ComparisonService.index(characterIds);
        Map<UUID, Integer> scenarioIndex = ComparisonService.index(scenarioIds);
        Map<Integer, Integer> raterIndex = new TreeMap<>();
        List<UUID> raters = new ArrayList<>();
        for (int rater : raterIndices) {
            raterIndex.put(rater, raterIndex.size());
            raters.add(model.raterId(rater));
        }
        int[] responder = new int[n];
        int[] rater = new int[n];
        int[] character = new int[n];
        int[] scenario = new int[n];
        for (int i = 0; i < n; i++) {
            responder[i] = responderIndex.get(responderOf[i]);
            rater[i] = raterIndex.get(raterOf[i]);
            character[i] = characterIndex.get(characterOf[i]);
            scenario[i] = scenarioIndex.get(scenarioOf[i]);
        }
        return new Ratings(new ArrayList<>(responderIds), raters, new ArrayList<>(characterIds), new ArrayList<>(scenarioIds), y,
                responder, rater, character, scenario, n);
    }

}
