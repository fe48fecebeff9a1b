package org.esrp.metrics.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.events.Rubric;
import org.esrp.events.RubricMetric;
import org.esrp.metrics.domain.Estimate;
import org.esrp.metrics.domain.Leaderboard;
import org.esrp.metrics.domain.Responder;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.service.RatedDialogues.Level;
import org.esrp.metrics.service.RatedDialogues.Rated;
import org.esrp.metrics.service.RatedDialogues.Score;
import org.esrp.metrics.stats.Descriptive;
import org.esrp.metrics.stats.PairedTests;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/** Leaderboards of a study, on its own rubric; the same aggregates always give the same leaderboard. */
@ApplicationScoped
public class LeaderboardService {

    public static final String INTERVAL = "95% t-interval over dialogues; a dialogue's score is the mean of its raters' scores";
    public static final String TEST = "Wilcoxon signed-rank, two-sided, over (character, scenario) pairs; Holm-corrected across responders for each score";
    public static final List<String> GROUPS = List.of("character", "emotion", "persona");

    /** @param raterKind null for every kind */
    public Leaderboard leaderboard(StudyModel model, String groupBy, String raterKind) {
        return model.read(m -> compute(m, groupBy, raterKind));
    }

    private static Leaderboard compute(StudyModel model, String groupBy, String raterKind) {
        List<RubricMetric> rubric = model.rubric();
        Map<String, List<String>> dimensions = Rubric.dimensions(rubric);
        Map<UUID, Responder> responders = RatedDialogues.responders(model);
        List<Rated> rated = RatedDialogues.rated(model, RaterKinds.code(raterKind));
        List<Leaderboard.Group> groups = new ArrayList<>();
        if (groupBy == null) {
            groups.add(new Leaderboard.Group(null, rows(rated, responders, rubric, dimensions)));
        } else {
            Function<Rated, String> key = switch (groupBy) {
                case "character" -> Rated::characterName;
                case "emotion" -> r -> r.emotion() == null ? "unknown" : r.emotion();
                case "persona" -> r -> r.persona() == null ? "unknown" : r.persona();
                default -> throw new IllegalArgumentException(groupBy);
            };
            Map<String, List<Rated>> byGroup = new TreeMap<>();
            for (Rated r : rated) {
                byGroup.computeIfAbsent(String.valueOf(key.apply(r)), k -> new ArrayList<>()).add(r);
            }
            byGroup.forEach((value, members) -> groups.add(new Leaderboard.Group(value, rows(members, responders, rubric, dimensions))));
        }
        return new Leaderboard(model.studyId(), raterKind, groupBy, INTERVAL, metrics(rubric), groups,
                groupBy == null ? baseline(rated, responders, dimensions) : null);
    }

    private static List<Leaderboard.Metric> metrics(List<RubricMetric> rubric) {
        return rubric.stream().map(m -> new Leaderboard.Metric(m.key(), m.name(), Rubric.dimensionKey(m.dimension()), m.dimension(),
                m.min(), m.max())).toList();
    }

    private static List<Leaderboard.Row> rows(List<Rated> rated, Map<UUID, Responder> responders, List<RubricMetric> rubric,
                                              Map<String, List<String>> dimensions) {
        Map<UUID, List<Rated>> byResponder = new TreeMap<>();
        for (Rated r : rated) {
            byResponder.computeIfAbsent(r.responderId(), id -> new ArrayList<>()).add(r);
        }
        List<Leaderboard.Row> rows = new ArrayList<>();
        byResponder.forEach((responderId, dialogues) -> {
            Map<String, Estimate> metrics = new LinkedHashMap<>();
            rubric.forEach(m -> metrics.put(m.key(), estimate(dialogues, new Score(Level.METRIC, m.key()))));
            Map<String, Estimate> dimensionEstimates = new LinkedHashMap<>();
            dimensions.keySet().forEach(d -> dimensionEstimates.put(d, estimate(dialogues, new Score(Level.DIMENSION, d))));
            Responder responder = responders.getOrDefault(responderId, new Responder(responderId, null, null, null));
            rows.add(new Leaderboard.Row(0, responderId, responder.name(), responder.kind(), responder.modelName(),
                    dialogues.size(), dialogues.stream().mapToInt(Rated::ratings).sum(), metrics, dimensionEstimates,
                    estimate(dialogues, Score.ALL)));
        });
        rows.sort(Comparator.comparing((Leaderboard.Row r) -> r.overall().mean() == null ? Double.NEGATIVE_INFINITY : r.overall().mean())
                .reversed().thenComparing(r -> String.valueOf(r.responderName())).thenComparing(Leaderboard.Row::responderId));
        List<Leaderboard.Row> ranked = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Leaderboard.Row r = rows.get(i);
            ranked.add(new Leaderboard.Row(i + 1, r.responderId(), r.responderName(), r.kind(), r.modelName(), r.dialogues(),
                    r.ratings(), r.metrics(), r.dimensions(), r.overall()));
        }
        return ranked;
    }

    static Estimate estimate(List<Rated> dialogues, Score score) {
        double[] values = dialogues.stream().map(d -> d.score(score)).filter(v -> v != null).mapToDouble(Double::doubleValue).toArray();
        if (values.length == 0) {
            return new Estimate(null, null, null, 0);
        }
        Descriptive.Interval ci = Descriptive.tInterval(values, 0.95);
        return new Estimate(Estimate.finite(Descriptive.mean(values)), Estimate.finite(ci.low()), Estimate.finite(ci.high()), values.length);
    }

    /** Each responder against the human fans on the (character, scenario) pairs both were rated on. */
    private static Leaderboard.Baseline baseline(List<Rated> rated, Map<UUID, Responder> responders, Map<String, List<String>> dimensions) {
        Map<UUID, Long> humanCounts = new TreeMap<>();
        for (Rated r : rated) {
            Responder responder = responders.get(r.responderId());
            if (responder != null && "HUMAN".equals(responder.kind())) {
                humanCounts.merge(r.responderId(), 1L, Long::sum);
            }
        }
        if (humanCounts.isEmpty()) {
            return null;
        }
        UUID human = humanCounts.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
        Map<String, Rated> humanByPair = new HashMap<>();
        Map<UUID, Map<String, Rated>> othersByPair = new TreeMap<>();
        for (Rated r : rated) {
            String pair = r.characterId() + "/" + r.scenarioId();
            if (r.responderId().equals(human)) {
                humanByPair.put(pair, r);
            } else {
                othersByPair.computeIfAbsent(r.responderId(), id -> new TreeMap<>()).put(pair, r);
            }
        }
        List<Score> scores = new ArrayList<>(List.of(Score.ALL));
        dimensions.keySet().forEach(d -> scores.add(new Score(Level.DIMENSION, d)));
        List<Leaderboard.Comparison> rows = new ArrayList<>();
        for (Score score : scores) {
            List<UUID> ids = new ArrayList<>();
            List<PairedTests.Result> results = new ArrayList<>();
            othersByPair.forEach((responderId, pairs) -> {
                List<Double> differences = new ArrayList<>();
                pairs.forEach((pair, r) -> {
                    Rated h = humanByPair.get(pair);
                    if (h != null && r.score(score) != null && h.score(score) != null) {
                        differences.add(r.score(score) - h.score(score));
                    }
                });
                ids.add(responderId);
                results.add(PairedTests.wilcoxonSignedRank(differences.stream().mapToDouble(Double::doubleValue).toArray()));
            });
            double[] adjusted = PairedTests.holm(results.stream().mapToDouble(PairedTests.Result::pValue).toArray());
            for (int i = 0; i < ids.size(); i++) {
                PairedTests.Result t = results.get(i);
                Responder responder = responders.get(ids.get(i));
                rows.add(new Leaderboard.Comparison(ids.get(i), responder == null ? null : responder.name(), score.key(), t.n(),
                        Estimate.finite(t.meanDifference()), Estimate.finite(t.ciLow()), Estimate.finite(t.ciHigh()),
                        Estimate.finite(t.pValue()), Estimate.finite(adjusted[i]), t.method()));
            }
        }
        Responder humanResponder = responders.get(human);
        return new Leaderboard.Baseline(human, humanResponder == null ? null : humanResponder.name(), TEST, rows);
    }
}
