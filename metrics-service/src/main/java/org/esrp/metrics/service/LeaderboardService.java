package org.esrp.metrics.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.events.Rubric;
import org.esrp.events.RubricMetric;
import org.esrp.metrics.domain.Estimate;
import org.esrp.metrics.domain.Leaderboard;
import org.esrp.metrics.domain.Responder;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.service.RatedDialogues.Rated;
import org.esrp.metrics.service.RatedDialogues.Score;
import org.esrp.metrics.service.RatedDialogues.Scores;
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

    /** What the leaderboard is computed from, taken from the model in one short hold of its lock. */
    private record Inputs(List<RubricMetric> rubric, Scores scores, Map<UUID, Responder> responders, List<Rated> rated) {
    }

    // per (study model, rater kind): each dialogue's scores as last derived, so a leaderboard derives again only the
    // dialogues rated since the last one (weak keys: a model that is no longer served takes its entries along)
    private final Map<StudyModel, Map<String, Map<UUID, RatedDialogues.Derived>>> derived =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /** @param raterKind null for every kind */
    public Leaderboard leaderboard(StudyModel model, String groupBy, String raterKind) {
        Map<UUID, RatedDialogues.Derived> known = derived.computeIfAbsent(model, m -> new java.util.concurrent.ConcurrentHashMap<>())
                .computeIfAbsent(String.valueOf(raterKind), k -> new HashMap<>());
        Inputs inputs = model.read(m -> {
            List<RubricMetric> rubric = m.rubric();
            Scores scores = Scores.of(rubric);
            return new Inputs(rubric, scores, RatedDialogues.responders(m), RatedDialogues.rated(m, RaterKinds.code(raterKind), scores, known));
        });
        return compute(model.studyId(), inputs, groupBy, raterKind);
    }

    private static Leaderboard compute(UUID studyId, Inputs inputs, String groupBy, String raterKind) {
        List<RubricMetric> rubric = inputs.rubric();
        Scores scores = inputs.scores();
        Map<UUID, Responder> responders = inputs.responders();
        List<Rated> rated = inputs.rated();
        List<Leaderboard.Group> groups = new ArrayList<>();
        if (groupBy == null) {
            groups.add(new Leaderboard.Group(null, rows(rated, responders, scores)));
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
            byGroup.forEach((value, members) -> groups.add(new Leaderboard.Group(value, rows(members, responders, scores))));
        }
        return new Leaderboard(studyId, raterKind, groupBy, INTERVAL, metrics(rubric), groups,
                groupBy == null ? baseline(rated, responders, scores) : null);
    }

    private static List<Leaderboard.Metric> metrics(List<RubricMetric> rubric) {
        return rubric.stream().map(m -> new Leaderboard.Metric(m.key(), m.name(), Rubric.dimensionKey(m.dimension()), m.dimension(),
                m.min(), m.max())).toList();
    }

    private static List<Leaderboard.Row> rows(List<Rated> rated, Map<UUID, Responder> responders, Scores scores) {
        Map<UUID, List<Rated>> byResponder = new TreeMap<>();
        for (Rated r : rated) {
            byResponder.computeIfAbsent(r.responderId(), id -> new ArrayList<>()).add(r);
        }
        List<Leaderboard.Row> rows = new ArrayList<>();
        byResponder.forEach((responderId, dialogues) -> {
            Map<String, Estimate> metrics = new LinkedHashMap<>();
            scores.metrics().forEach(m -> metrics.put(m.key(), estimate(dialogues, m)));
            Map<String, Estimate> dimensionEstimates = new LinkedHashMap<>();
            scores.dimensions().forEach(d -> dimensionEstimates.put(d.key(), estimate(dialogues, d)));
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
        double[] values = new double[dialogues.size()];
        int n = 0;
        for (Rated dialogue : dialogues) {
            double value = dialogue.score(score);
            if (!Double.isNaN(value)) {
                values[n++] = value;
            }
        }
        values = java.util.Arrays.copyOf(values, n);
        if (values.length == 0) {
            return new Estimate(null, null, null, 0);
        }
        Descriptive.Interval ci = Descriptive.tInterval(values, 0.95);
        return new Estimate(Estimate.finite(Descriptive.mean(values)), Estimate.finite(ci.low()), Estimate.finite(ci.high()), values.length);
    }

    /** A (character, scenario) pair: what a responder's dialogue and the fans' are paired on. */
    private record Pair(UUID characterId, UUID scenarioId) {
    }

    /** Each responder against the human fans on the (character, scenario) pairs both were rated on. */
    private static Leaderboard.Baseline baseline(List<Rated> rated, Map<UUID, Responder> responders, Scores scores) {
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
        Map<Pair, Rated> humanByPair = new HashMap<>();
        Map<UUID, List<Rated[]>> pairedByResponder = new TreeMap<>();
        for (Rated r : rated) {
            if (r.responderId().equals(human)) {
                humanByPair.put(new Pair(r.characterId(), r.scenarioId()), r);
            }
        }
        for (Rated r : rated) {
            if (!r.responderId().equals(human)) {
                List<Rated[]> pairs = pairedByResponder.computeIfAbsent(r.responderId(), id -> new ArrayList<>());
                Rated h = humanByPair.get(new Pair(r.characterId(), r.scenarioId()));
                if (h != null) {
                    pairs.add(new Rated[]{r, h});
                }
            }
        }
        List<Score> compared = new ArrayList<>(List.of(Score.ALL));
        compared.addAll(scores.dimensions());
        List<Leaderboard.Comparison> rows = new ArrayList<>();
        for (Score score : compared) {
            List<UUID> ids = new ArrayList<>();
            List<PairedTests.Result> results = new ArrayList<>();
            pairedByResponder.forEach((responderId, pairs) -> {
                double[] differences = new double[pairs.size()];
                int n = 0;
                for (Rated[] pair : pairs) {
                    double difference = pair[0].score(score) - pair[1].score(score);
                    if (!Double.isNaN(difference)) {
                        differences[n++] = difference;
                    }
                }
                ids.add(responderId);
                results.add(PairedTests.wilcoxonSignedRank(java.util.Arrays.copyOf(differences, n)));
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
