package org.esrp.metrics.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.events.Rubric;
import org.esrp.events.RubricMetric;
import org.esrp.metrics.domain.Estimate;
import org.esrp.metrics.domain.Exclusions;
import org.esrp.metrics.domain.Leaderboard;
import org.esrp.metrics.domain.Responder;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.service.RatedDialogues.Pair;
import org.esrp.metrics.service.RatedDialogues.Rated;
import org.esrp.metrics.service.RatedDialogues.Score;
import org.esrp.metrics.service.RatedDialogues.Scores;
import org.esrp.metrics.stats.Descriptive;
import org.esrp.metrics.stats.Exact;
import org.esrp.metrics.stats.Ratio;
import org.esrp.metrics.stats.PairedTests;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;

/**
 * Leaderboards of a study, on its own rubric; the same aggregates always give the same leaderboard. Scores are exact
 * fractions until they are reported. The human fans are one group: on each (character, scenario) pair their pooled
 * score is the mean of the fans' dialogue scores there; every paired statistic uses the pairs both sides share.
 */
@ApplicationScoped
public class LeaderboardService {

    public static final String INTERVAL = "95% t-interval over dialogues; a dialogue's score is the mean of its raters' scores;"
            + " the human fans' row is over (character, scenario) pairs, each the mean of the fans' dialogue scores there";
    public static final String TEST = "Wilcoxon signed-rank, two-sided, on exact differences (zeros dropped, exact ties), over the"
            + " (character, scenario) pairs a responder shares with the human fans (pooled: the mean of the fans' dialogue scores"
            + " on the pair); Holm-corrected across responders for each score";
    public static final List<String> GROUPS = List.of("character", "emotion", "persona");
    /** How the human fans appear in the table: as one group (default), or as the group and each fan. */
    public static final List<String> FANS = List.of("group", "each");
    public static final String HUMAN_FANS = "human fans";
    private static final String HUMAN = "HUMAN";

    /** What the leaderboard is computed from, taken from the model in one short hold of its lock. */
    record Inputs(UUID studyId, List<RubricMetric> rubric, Scores scores, Map<UUID, Responder> responders, List<Rated> rated,
                  Leaderboard.Quality quality) {
    }

    /**
     * The entries of a table: every responder's rated dialogues but the fans' (theirs too with {@code eachFan}), and
     * the fans' pooled scores per (character, scenario) pair (no responder id); the fans, by id.
     */
    record Table(List<Rated> entries, Map<Pair, Rated> humans, List<UUID> fans) {
    }

    // per (study model, rater kind): each dialogue's scores as last derived, so a leaderboard derives again only the
    // dialogues rated since the last one (weak keys: a model that is no longer served takes its entries along)
    private final Map<StudyModel, Map<String, Map<UUID, RatedDialogues.Derived>>> derived =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    public Leaderboard leaderboard(StudyModel model, LeaderboardQuery query) {
        return compute(inputs(model, query.raterKind(), query.quality()), query.groupBy(), query.raterKind(), "each".equals(query.fans()));
    }

    /**
     * @param raterKind null for every kind
     * @param quality whether the study's quality policy applies (as last derived from its rater statistics)
     */
    Inputs inputs(StudyModel model, String raterKind, boolean quality) {
        Map<UUID, RatedDialogues.Derived> known = derived.computeIfAbsent(model, m -> new java.util.concurrent.ConcurrentHashMap<>())
                .computeIfAbsent(raterKind + "/" + quality, k -> new HashMap<>());
        return model.read(m -> {
            List<RubricMetric> rubric = m.rubric();
            Scores scores = Scores.of(rubric);
            Exclusions exclusions = m.exclusions(quality);
            List<Rated> rated = RatedDialogues.rated(m, RaterKinds.code(raterKind), scores, known, exclusions);
            return new Inputs(m.studyId(), rubric, scores, RatedDialogues.responders(m), rated, new Leaderboard.Quality(
                    quality ? "policy" : "off", m.policy(), exclusions.excludedRaters(), rated.stream().mapToInt(Rated::excluded).sum()));
        });
    }

    static Table table(Inputs inputs, boolean eachFan) {
        Set<UUID> fanIds = fans(inputs.responders());
        List<UUID> fans = new ArrayList<>();
        List<Rated> fanDialogues = new ArrayList<>();
        List<Rated> entries = new ArrayList<>();
        for (Rated r : inputs.rated()) {
            if (fanIds.contains(r.responderId())) {
                fanDialogues.add(r);
                if (!fans.contains(r.responderId())) {
                    fans.add(r.responderId());
                }
                if (eachFan) {
                    entries.add(r);
                }
            } else {
                entries.add(r);
            }
        }
        fans.sort(Comparator.naturalOrder());
        Map<Pair, Rated> humans = pooled(fanDialogues);
        entries.addAll(humans.values());
        return new Table(entries, humans, fans);
    }

    private static Leaderboard compute(Inputs inputs, String groupBy, String raterKind, boolean eachFan) {
        Map<UUID, Responder> responders = inputs.responders();
        Table table = table(inputs, eachFan);
        List<Leaderboard.Group> groups = new ArrayList<>();
        if (groupBy == null) {
            groups.add(new Leaderboard.Group(null, rows(table.entries(), responders, inputs.scores(), table.fans().size())));
        } else {
            Function<Rated, String> key = switch (groupBy) {
                case "character" -> Rated::characterName;
                case "emotion" -> r -> r.emotion() == null ? "unknown" : r.emotion();
                case "persona" -> r -> r.persona() == null ? "unknown" : r.persona();
                default -> throw new IllegalArgumentException(groupBy);
            };
            Map<String, List<Rated>> byGroup = new TreeMap<>();
            for (Rated r : table.entries()) {
                byGroup.computeIfAbsent(String.valueOf(key.apply(r)), k -> new ArrayList<>()).add(r);
            }
            byGroup.forEach((value, members) -> groups.add(new Leaderboard.Group(value, rows(members, responders, inputs.scores(),
                    table.fans().size()))));
        }
        return new Leaderboard(inputs.studyId(), raterKind, groupBy, INTERVAL, inputs.quality(), metrics(inputs.rubric()), groups,
                groupBy == null ? baseline(inputs.rated(), table.humans(), table.fans(), responders, inputs.scores()) : null);
    }

    /** The HUMAN responders: the fans. */
    static Set<UUID> fans(Map<UUID, Responder> responders) {
        Set<UUID> fans = new HashSet<>();
        responders.forEach((id, responder) -> {
            if (HUMAN.equals(responder.kind())) {
                fans.add(id);
            }
        });
        return fans;
    }

    /** The fans' pooled scores per (character, scenario) pair, in pair order. */
    private static Map<Pair, Rated> pooled(List<Rated> fanDialogues) {
        Map<Pair, List<Rated>> byPair = new TreeMap<>(Pair.ORDER);
        for (Rated r : fanDialogues) {
            byPair.computeIfAbsent(r.pair(), p -> new ArrayList<>()).add(r);
        }
        Map<Pair, Rated> pooled = new TreeMap<>(Pair.ORDER);
        byPair.forEach((pair, dialogues) -> pooled.put(pair, RatedDialogues.pooled(dialogues)));
        return pooled;
    }


    private static List<Leaderboard.Metric> metrics(List<RubricMetric> rubric) {
        return rubric.stream().map(m -> new Leaderboard.Metric(m.key(), m.name(), Rubric.dimensionKey(m.dimension()), m.dimension(),
                m.min(), m.max())).toList();
    }

    /** One row per responder of the entries (the fans' pooled entries, with no responder, make the human fans' row). */
    private static List<Leaderboard.Row> rows(List<Rated> entries, Map<UUID, Responder> responders, Scores scores, int fans) {
        Map<UUID, List<Rated>> byResponder = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
        for (Rated r : entries) {
            byResponder.computeIfAbsent(r.responderId(), id -> new ArrayList<>()).add(r);
        }
        // each (character, scenario) pair numbered once, each responder's rated pairs a bit set: shared pairs are an AND
        Map<Pair, Integer> numbers = new HashMap<>();
        Map<UUID, BitSet> pairs = new HashMap<>();
        byResponder.forEach((id, dialogues) -> pairs.put(id, pairsOf(dialogues, numbers)));
        BitSet humanPairs = pairs.get(null);
        record Ranked(Leaderboard.Row row, Ratio overall) {
        }
        List<Ranked> rows = new ArrayList<>();
        byResponder.forEach((responderId, dialogues) -> {
            Map<String, Estimate> metrics = new LinkedHashMap<>();
            scores.metrics().forEach(m -> metrics.put(m.key(), estimate(dialogues, m).estimate()));
            Map<String, Estimate> dimensionEstimates = new LinkedHashMap<>();
            scores.dimensions().forEach(d -> dimensionEstimates.put(d.key(), estimate(dialogues, d).estimate()));
            Exactly overall = estimate(dialogues, Score.ALL);
            Map<UUID, Integer> shared = new TreeMap<>();
            byResponder.keySet().forEach(other -> {
                if (other != null && !other.equals(responderId)) {
                    shared.put(other, intersection(pairs.get(responderId), pairs.get(other)));
                }
            });
            Integer withHumans = responderId == null || humanPairs == null ? null : intersection(pairs.get(responderId), humanPairs);
            Leaderboard.Row row;
            if (responderId == null) {
                row = new Leaderboard.Row(0, null, HUMAN_FANS, HUMAN, null, fans, dialogues.size(),
                        dialogues.stream().mapToInt(Rated::ratings).sum(), metrics, dimensionEstimates, overall.estimate(), null, shared);
            } else {
                Responder responder = responders.getOrDefault(responderId, new Responder(responderId, null, null, null));
                row = new Leaderboard.Row(0, responderId, responder.name(), responder.kind(), responder.modelName(), null,
                        dialogues.size(), dialogues.stream().mapToInt(Rated::ratings).sum(), metrics, dimensionEstimates,
                        overall.estimate(), withHumans, shared);
            }
            rows.add(new Ranked(row, overall.mean()));
        });
        rows.sort(Comparator.comparing(Ranked::overall, Comparator.nullsLast(Comparator.<Ratio>reverseOrder()))
                .thenComparing(r -> String.valueOf(r.row().responderName()))
                .thenComparing(r -> r.row().responderId(), Comparator.nullsFirst(Comparator.naturalOrder())));
        List<Leaderboard.Row> ranked = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            ranked.add(rows.get(i).row().ranked(i + 1));
        }
        return ranked;
    }

    private static BitSet pairsOf(List<Rated> dialogues, Map<Pair, Integer> numbers) {
        BitSet pairs = new BitSet();
        for (Rated r : dialogues) {
            if (r.overall() != null) {
                pairs.set(numbers.computeIfAbsent(r.pair(), p -> numbers.size()));
            }
        }
        return pairs;
    }

    private static int intersection(BitSet a, BitSet b) {
        BitSet both = (BitSet) a.clone();
        both.and(b);
        return both.cardinality();
    }

    /** An estimate and its exact mean (null for none), which ranks. */
    record Exactly(Estimate estimate, Ratio mean) {
    }

    static Exactly estimate(List<Rated> dialogues, Score score) {
        List<Ratio> values = new ArrayList<>(dialogues.size());
        for (Rated dialogue : dialogues) {
            Ratio value = dialogue.score(score);
            if (value != null) {
                values.add(value);
            }
        }
        if (values.isEmpty()) {
            return new Exactly(new Estimate(null, null, null, 0), null);
        }
        double[] doubles = new double[values.size()];
        for (int i = 0; i < doubles.length; i++) {
            doubles[i] = values.get(i).doubleValue();
        }
        Ratio mean = Exact.mean(values);
        Descriptive.Interval ci = Descriptive.tInterval(doubles, 0.95);
        return new Exactly(new Estimate(Estimate.finite(mean.doubleValue()), Estimate.finite(ci.low()), Estimate.finite(ci.high()),
                doubles.length), mean);
    }

    /** Each responder but the fans against the human fans (pooled) on the (character, scenario) pairs both were rated on. */
    private static Leaderboard.Baseline baseline(List<Rated> rated, Map<Pair, Rated> humans, List<UUID> fans,
                                                 Map<UUID, Responder> responders, Scores scores) {
        if (humans.isEmpty()) {
            return null;
        }
        Set<UUID> fanIds = Set.copyOf(fans);
        // looked up once per rated dialogue: hashed, not the ordered map
        Map<Pair, Rated> humanByPair = new HashMap<>(humans);
        Map<UUID, List<Rated[]>> pairedByResponder = new TreeMap<>();
        for (Rated r : rated) {
            if (!fanIds.contains(r.responderId())) {
                List<Rated[]> pairs = pairedByResponder.computeIfAbsent(r.responderId(), id -> new ArrayList<>());
                Rated h = humanByPair.get(r.pair());
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
                List<Ratio> differences = new ArrayList<>(pairs.size());
                for (Rated[] pair : pairs) {
                    Ratio own = pair[0].score(score);
                    Ratio human = pair[1].score(score);
                    if (own != null && human != null) {
                        differences.add(own.minus(human));
                    }
                }
                ids.add(responderId);
                results.add(PairedTests.wilcoxonSignedRank(differences));
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
        List<String> names = fans.stream().map(id -> responders.get(id).name()).toList();
        return new Leaderboard.Baseline(fans, names, humans.size(), TEST, rows);
    }
}
