package org.esrp.metrics.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.esrp.metrics.config.MetricsConfig;
import org.esrp.metrics.domain.Comparisons;
import org.esrp.metrics.domain.Estimate;
import org.esrp.metrics.domain.Responder;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.service.LeaderboardService.Inputs;
import org.esrp.metrics.service.LeaderboardService.Table;
import org.esrp.metrics.service.RatedDialogues.Pair;
import org.esrp.metrics.service.RatedDialogues.Rated;
import org.esrp.metrics.service.RatedDialogues.Score;
import org.esrp.metrics.stats.ClusterBootstrap;
import org.esrp.metrics.stats.Exact;
import org.esrp.metrics.stats.Ratio;
import org.esrp.metrics.stats.PairedTests;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Every responder against every other, on one score: bootstrap intervals of the means and of the paired differences,
 * rank intervals, and Wilcoxon signed-rank tests on shared (character, scenario) pairs, Holm-adjusted over all pairs.
 * Heavier than a leaderboard (a thousand resamples), so it is a view of its own, computed in the background.
 */
@ApplicationScoped
public class ComparisonService {

    public static final String METHOD = "two-way cluster bootstrap (Owen 2007, the pigeonhole bootstrap): characters and"
            + " scenarios resampled independently with replacement, a dialogue weighted by the times its character and its"
            + " scenario were drawn; percentile intervals; ranks by mean in each resample";
    public static final String HUMAN_FANS_KEY = "human-fans";
    public static final double CONFIDENCE = 0.95;

    private final LeaderboardService leaderboards;
    private final int resamples;
    private final long seed;

    @Inject
    public ComparisonService(LeaderboardService leaderboards, MetricsConfig config) {
        this(leaderboards, config.bootstrap().resamples(), config.bootstrap().seed());
    }

    public ComparisonService(LeaderboardService leaderboards, int resamples, long seed) {
        this.leaderboards = leaderboards;
        this.resamples = resamples;
        this.seed = seed;
    }

    /** The score keys there are: overall, the rubric's dimensions, its metrics. */
    public static List<String> scores(StudyModel model) {
        RatedDialogues.Scores scores = RatedDialogues.Scores.of(model.rubric());
        List<String> keys = new ArrayList<>(List.of(Score.ALL.key()));
        scores.dimensions().forEach(d -> keys.add(d.key()));
        scores.metrics().forEach(m -> keys.add(m.key()));
        return keys;
    }

    /** One responder of the comparison: its key, description and its dialogues' scores (exact) by pair. */
    private record Side(String key, UUID responderId, String name, String kind, List<Rated> dialogues, Map<Pair, Ratio> byPair,
                        Ratio mean) {
    }

    /**
     * @param raterKind null for every kind
     * @param scoreKey one of {@link #scores}
     * @param quality whether the study's quality policy applies
     */
    public Comparisons comparisons(StudyModel model, String raterKind, String scoreKey, boolean quality) {
        Inputs inputs = leaderboards.inputs(model, raterKind, quality);
        Score score = find(inputs.scores(), scoreKey);
        Table table = LeaderboardService.table(inputs, false);

        Map<UUID, List<Rated>> byResponder = new TreeMap<>(Comparator.nullsLast(Comparator.naturalOrder()));
        TreeSet<UUID> characters = new TreeSet<>(Comparator.nullsFirst(Comparator.naturalOrder()));
        TreeSet<UUID> scenarios = new TreeSet<>(Comparator.nullsFirst(Comparator.naturalOrder()));
        for (Rated r : table.entries()) {
            if (r.score(score) != null) {
                byResponder.computeIfAbsent(r.responderId(), id -> new ArrayList<>()).add(r);
                characters.add(r.characterId());
                scenarios.add(r.scenarioId());
            }
        }
        List<Side> sides = new ArrayList<>();
        byResponder.forEach((id, dialogues) -> sides.add(side(id, dialogues, score, inputs.responders())));
        sides.sort(Comparator.comparing(Side::mean, Comparator.reverseOrder()).thenComparing(Side::name).thenComparing(Side::key));

        Map<UUID, Integer> characterIndex = index(characters);
        Map<UUID, Integer> scenarioIndex = index(scenarios);
        List<ClusterBootstrap.Cells> means = new ArrayList<>();
        for (Side side : sides) {
            means.add(cells(side.dialogues().stream().map(Rated::pair).toList(),
                    side.dialogues().stream().map(r -> r.score(score)).toList(), characterIndex, scenarioIndex));
        }
        record Compared(Side a, Side b, List<Pair> shared, List<Ratio> differences) {
        }
        List<Compared> compared = new ArrayList<>();
        for (int i = 0; i < sides.size(); i++) {
            for (int j = i + 1; j < sides.size(); j++) {
                Side a = sides.get(i);
                Side b = sides.get(j);
                List<Pair> shared = new ArrayList<>();
                List<Ratio> differences = new ArrayList<>();
                a.byPair().forEach((pair, value) -> {
                    Ratio other = b.byPair().get(pair);
                    if (other != null) {
                        shared.add(pair);
                        differences.add(value.minus(other));
                    }
                });
                compared.add(new Compared(a, b, shared, differences));
            }
        }
        ClusterBootstrap.Result bootstrap = ClusterBootstrap.run(means,
                compared.stream().map(c -> cells(c.shared(), c.differences(), characterIndex, scenarioIndex)).toList(),
                characters.size(), scenarios.size(), resamples, seed, CONFIDENCE);

        List<Comparisons.Ranked> ranked = new ArrayList<>();
        for (int i = 0; i < sides.size(); i++) {
            Side side = sides.get(i);
            ClusterBootstrap.Interval interval = bootstrap.means().get(i);
            ClusterBootstrap.RankInterval ranks = bootstrap.ranks().get(i);
            ranked.add(new Comparisons.Ranked(side.key(), side.responderId(), side.name(), side.kind(), side.dialogues().size(),
                    Estimate.finite(side.mean().doubleValue()), Estimate.finite(interval.low()), Estimate.finite(interval.high()), i + 1,
                    ranks == null ? null : ranks.low(), ranks == null ? null : ranks.high()));
        }
        List<PairedTests.Result> tests = compared.stream().map(c -> PairedTests.wilcoxonSignedRank(c.differences())).toList();
        double[] holm = PairedTests.holm(tests.stream().mapToDouble(PairedTests.Result::pValue).toArray());
        List<Comparisons.Pairwise> pairs = new ArrayList<>();
        for (int k = 0; k < compared.size(); k++) {
            Compared c = compared.get(k);
            PairedTests.Result t = tests.get(k);
            ClusterBootstrap.Interval interval = bootstrap.differences().get(k);
            pairs.add(new Comparisons.Pairwise(c.a().key(), c.a().name(), c.b().key(), c.b().name(), c.shared().size(),
                    Estimate.finite(t.meanDifference()), Estimate.finite(interval.low()), Estimate.finite(interval.high()),
                    Estimate.finite(t.pValue()), Estimate.finite(holm[k]), t.method()));
        }
        return new Comparisons(model.studyId(), raterKind, score.key(), inputs.quality(),
                new Comparisons.Bootstrap(METHOD, resamples, seed, CONFIDENCE), ranked, pairs);
    }

    private static Score find(RatedDialogues.Scores scores, String key) {
        if (key == null || Score.ALL.key().equals(key)) {
            return Score.ALL;
        }
        List<Score> all = new ArrayList<>(scores.dimensions());
        all.addAll(scores.metrics());
        return all.stream().filter(s -> s.key().equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no score " + key));
    }

    private static Side side(UUID responderId, List<Rated> dialogues, Score score, Map<UUID, Responder> responders) {
        Map<Pair, List<Ratio>> byPair = new HashMap<>();
        List<Ratio> values = new ArrayList<>(dialogues.size());
        for (Rated r : dialogues) {
            values.add(r.score(score));
            byPair.computeIfAbsent(r.pair(), p -> new ArrayList<>()).add(r.score(score));
        }
        // a responder with two dialogues on one pair is paired by their mean
        Map<Pair, Ratio> means = new TreeMap<>(Pair.ORDER);
        byPair.forEach((pair, scores) -> means.put(pair, Exact.mean(scores)));
        if (responderId == null) {
            return new Side(HUMAN_FANS_KEY, null, LeaderboardService.HUMAN_FANS, "HUMAN", dialogues, means, Exact.mean(values));
        }
        Responder responder = responders.getOrDefault(responderId, new Responder(responderId, null, null, null));
        return new Side(responderId.toString(), responderId, responder.name() == null ? responderId.toString().substring(0, 8)
                : responder.name(), responder.kind(), dialogues, means, Exact.mean(values));
    }


    /** Each id's position in the set's order: the levels of a factor, numbered. */
    static Map<UUID, Integer> index(TreeSet<UUID> ids) {
        Map<UUID, Integer> index = new HashMap<>();
        for (UUID id : ids) {
            index.put(id, index.size());
        }
        return index;
    }

    private static ClusterBootstrap.Cells cells(List<Pair> pairs, List<Ratio> values, Map<UUID, Integer> characters,
                                                Map<UUID, Integer> scenarios) {
        int n = pairs.size();
        int[] c = new int[n];
        int[] s = new int[n];
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            c[i] = characters.get(pairs.get(i).characterId());
            s[i] = scenarios.get(pairs.get(i).scenarioId());
            v[i] = values.get(i).doubleValue();
        }
        return new ClusterBootstrap.Cells(c, s, v);
    }
}
