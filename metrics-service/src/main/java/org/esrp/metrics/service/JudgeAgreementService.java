package org.esrp.metrics.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.events.RubricMetric;
import org.esrp.metrics.domain.Estimate;
import org.esrp.metrics.domain.Exclusions;
import org.esrp.metrics.domain.ItemInfo;
import org.esrp.metrics.domain.RatingValues;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.service.RatedDialogues.Pair;
import org.esrp.metrics.stats.Exact;
import org.esrp.metrics.stats.KendallTau;
import org.esrp.metrics.stats.Krippendorff;
import org.esrp.metrics.stats.Ratio;
import org.esrp.metrics.stats.Spearman;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * How far each LLM judge can be trusted, per metric of the study's DIALOGUE rubric: on the dialogues it rated that humans
 * rated too, whether adding it as one more rater keeps the humans' agreement (Krippendorff's alpha without and with
 * it), whether it orders the dialogues as the humans' mean does (Spearman), and whether it ranks the responders as the
 * humans do (Kendall's tau-b on the leaderboard's means). Non-gold ratings only, those the quality policy keeps when
 * it applies; every score exact until a statistic is taken, so equal means tie.
 */
@ApplicationScoped
public class JudgeAgreementService {

    /**
     * One judge on one metric. {@code items}: the dialogues it and at least one human rated (the alphas and Spearman
     * are over those); {@code responders}: those both it and the humans rated (Kendall's tau-b is over those).
     */
    public record JudgeAgreement(UUID judgeId, String judgeModel, String metric, int items, Double alphaHumansOrdinal,
                                 Double alphaWithJudgeOrdinal, Double alphaHumansInterval, Double alphaWithJudgeInterval,
                                 Double spearman, Double spearmanP, int responders, Double kendallTau) {
    }

    /** A counted rating of a dialogue: its rater (an index of the study's raters), its kind, its scores in rubric order. */
    private record Scored(int rater, byte kind, short[] scores) {
    }

    /** A rated dialogue: whose (a responder's id, or the fans as one), the pair it is on, its counted ratings. */
    private record Dialogue(UUID dialogueId, String responder, Pair pair, List<Scored> ratings) {
    }

    /** What is computed from, taken in one hold of the model's lock: the judges are by id, with their model if named. */
    private record Inputs(List<RubricMetric> rubric, List<Dialogue> dialogues, Map<UUID, Integer> judges, Map<UUID, String> models) {
    }

    /** @param quality whether the study's quality policy applies */
    public List<JudgeAgreement> agreement(StudyModel model, boolean quality) {
        Inputs inputs = model.read(m -> inputs(m, m.exclusions(quality)));
        List<JudgeAgreement> rows = new ArrayList<>();
        for (Map.Entry<UUID, Integer> judge : inputs.judges().entrySet()) {
            for (int metric = 0; metric < inputs.rubric().size(); metric++) {
                rows.add(row(inputs, judge.getKey(), judge.getValue(), metric));
            }
        }
        return rows;
    }

    private static Inputs inputs(StudyModel model, Exclusions exclusions) {
        List<RubricMetric> rubric = model.rubric();
        int[] index = rubric.stream().mapToInt(m -> model.metricIndexOf(m.key())).toArray();
        Set<UUID> fans = LeaderboardService.fans(model.responders());
        Map<UUID, Integer> judges = new TreeMap<>();
        List<Dialogue> dialogues = new ArrayList<>();
        for (StudyModel.Item item : model.items()) {
            ItemInfo info = item.info();
            if (info.dialogueId() == null) {
                continue;
            }
            List<Scored> ratings = new ArrayList<>();
            for (int r = 0; r < item.size(); r++) {
                if (item.raterKind(r) == RatingValues.LLM_JUDGE) {
                    // a judge left out everywhere is still listed: its row says it has nothing counted
                    judges.put(model.raterId(item.rater(r)), item.rater(r));
                }
                if (item.has(r, RatingValues.GOLD) || exclusions.excludes(item, r)) {
                    continue;
                }
                short[] scores = new short[index.length];
                for (int i = 0; i < index.length; i++) {
                    scores[i] = item.score(r, index[i]);
                }
                ratings.add(new Scored(item.rater(r), item.raterKind(r), scores));
            }
            if (!ratings.isEmpty()) {
                String responder = fans.contains(info.responderId()) ? ComparisonService.HUMAN_FANS_KEY : String.valueOf(info.responderId());
                dialogues.add(new Dialogue(info.dialogueId(), responder, new Pair(info.characterId(), info.scenarioId()), ratings));
            }
        }
        return new Inputs(rubric, dialogues, judges, model.judgeModels());
    }

    private static JudgeAgreement row(Inputs inputs, UUID judgeId, int judge, int metric) {
        List<List<Double>> humansOnly = new ArrayList<>();
        List<List<Double>> withJudge = new ArrayList<>();
        List<Ratio> judgeScores = new ArrayList<>();
        List<Ratio> humanMeans = new ArrayList<>();
        Map<String, Map<Object, List<Ratio>>> byJudge = new TreeMap<>();
        Map<String, Map<Object, List<Ratio>>> byHumans = new TreeMap<>();
        for (Dialogue dialogue : inputs.dialogues()) {
            List<Double> humans = new ArrayList<>();
            List<Double> judged = new ArrayList<>();
            long humanSum = 0;
            long judgeSum = 0;
            for (Scored rating : dialogue.ratings()) {
                short score = rating.scores()[metric];
                if (score == StudyModel.Item.MISSING) {
                    continue;
                }
                if (rating.kind() == RatingValues.HUMAN) {
                    humans.add((double) score);
                    humanSum += score;
                } else if (rating.rater() == judge) {
                    judged.add((double) score);
                    judgeSum += score;
                }
            }
            Ratio humanMean = humans.isEmpty() ? null : Ratio.of(humanSum, humans.size());
            // a judge that rated a dialogue twice gives it the mean of its scores, as humans' scores are pooled
            Ratio judgeMean = judged.isEmpty() ? null : Ratio.of(judgeSum, judged.size());
            add(byHumans, dialogue, humanMean);
            add(byJudge, dialogue, judgeMean);
            if (humanMean != null && judgeMean != null) {
                humansOnly.add(humans);
                List<Double> all = new ArrayList<>(humans);
                all.addAll(judged);
                withJudge.add(all);
                judgeScores.add(judgeMean);
                humanMeans.add(humanMean);
            }
        }
        Spearman.Result spearman = Spearman.of(judgeScores, humanMeans);
        List<Ratio> judgeRanking = new ArrayList<>();
        List<Ratio> humanRanking = new ArrayList<>();
        Map<String, Ratio> humanResponders = means(byHumans);
        means(byJudge).forEach((responder, mean) -> {
            Ratio human = humanResponders.get(responder);
            if (human != null) {
                judgeRanking.add(mean);
                humanRanking.add(human);
            }
        });
        KendallTau.Result kendall = KendallTau.tauB(judgeRanking, humanRanking);
        return new JudgeAgreement(judgeId, inputs.models().get(judgeId), inputs.rubric().get(metric).key(), judgeScores.size(),
                alpha(humansOnly, Krippendorff.Level.ORDINAL), alpha(withJudge, Krippendorff.Level.ORDINAL),
                alpha(humansOnly, Krippendorff.Level.INTERVAL), alpha(withJudge, Krippendorff.Level.INTERVAL),
                Estimate.finite(spearman.rho()), Estimate.finite(spearman.p()), kendall.n(), Estimate.finite(kendall.tauB()));
    }

    /**
     * A dialogue's score under its responder, as the leaderboard weighs it: a responder's dialogues one by one, the fans'
     * pooled per (character, scenario) pair first (their mean there), so that the humans' ranking is the leaderboard's.
     */
    private static void add(Map<String, Map<Object, List<Ratio>>> byResponder, Dialogue dialogue, Ratio score) {
        if (score == null) {
            return;
        }
        Object unit = ComparisonService.HUMAN_FANS_KEY.equals(dialogue.responder()) ? dialogue.pair() : dialogue.dialogueId();
        byResponder.computeIfAbsent(dialogue.responder(), r -> new LinkedHashMap<>())
                .computeIfAbsent(unit, u -> new ArrayList<>()).add(score);
    }

    /** Per responder, the exact mean of its units' means. */
    private static Map<String, Ratio> means(Map<String, Map<Object, List<Ratio>>> byResponder) {
        Map<String, Ratio> means = new TreeMap<>();
        byResponder.forEach((responder, units) -> {
            List<Ratio> unitMeans = new ArrayList<>(units.size());
            units.values().forEach(scores -> unitMeans.add(Exact.mean(scores)));
            means.put(responder, Exact.mean(unitMeans));
        });
        return means;
    }

    /** Null where undefined (no item with two values, or a single value throughout). */
    private static Double alpha(List<List<Double>> units, Krippendorff.Level level) {
        return Estimate.finite(Krippendorff.alpha(units, level).alpha());
    }
}
