package org.esrp.metrics.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.events.QualityPolicy;
import org.esrp.metrics.domain.Estimate;
import org.esrp.metrics.domain.Exclusions;
import org.esrp.metrics.domain.RatingValues;
import org.esrp.metrics.domain.StudyModel;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Each annotator: how many ratings; over its non-gold ratings of dialogues, the mean overall score it gives, its severity
 * (the mean difference between its overall score and the mean of the other raters of its kind on the same dialogue,
 * leaving itself out; negative = harsher), its leave-one-out correlation (Pearson, the same pairs), its TOO_FAST and
 * straight-lining rates; its gold passes; and which rules of the study's quality policy exclude it.
 */
@ApplicationScoped
public class RaterService {

    /**
     * {@code dialogueRatings}: the non-gold ratings of dialogues, what {@code meanScore}, {@code severity},
     * {@code correlation} and the rates are over. {@code excluded}: the rules of the quality policy that exclude the
     * rater ({@link #TOO_FAST}, {@link #STRAIGHT_LINING}, {@link #GOLD}, {@link #CORRELATION}); empty when its ratings count.
     */
    public record Rater(UUID annotatorId, String raterKind, int ratings, int dialogueRatings, Double meanScore, Double severity,
                        Double correlation, Double tooFastRate, Double straightLiningRate, int goldRated, Double goldPassRate,
                        List<String> excluded) {
    }

    public static final String TOO_FAST = "too-fast";
    public static final String STRAIGHT_LINING = "straight-lining";
    public static final String GOLD = "gold";
    public static final String CORRELATION = "correlation";

    private static final class Tally {
        String kind;
        int ratings;
        int dialogueRatings;
        double scoreSum;
        int scored;
        double deviationSum;
        int deviations;
        int straight;
        int tooFast;
        int gold;
        int goldPassed;
        // the leave-one-out pairs (own overall x, the others' mean y)
        int pairs;
        double sx;
        double sy;
        double sxx;
        double syy;
        double sxy;

        Double correlation() {
            double vx = pairs * sxx - sx * sx;
            double vy = pairs * syy - sy * sy;
            return pairs < 2 || vx <= 0 || vy <= 0 ? null : Estimate.finite((pairs * sxy - sx * sy) / Math.sqrt(vx * vy));
        }
    }

    private static final int CHUNK = 2_000;

    public List<Rater> raters(StudyModel model) {
        // The ratings are copied a chunk of items per hold of the model's lock (see AgreementService), the raters last, so
        // that every rater of a copied rating is known; the statistics are computed outside the lock.
        record Inputs(List<UUID> raters, List<StudyModel.Ratings> items, QualityPolicy policy) {
        }
        List<StudyModel.Item> items = model.read(m -> new ArrayList<>(m.items()));
        List<StudyModel.Ratings> ratings = new ArrayList<>(items.size());
        for (int from = 0; from < items.size(); from += CHUNK) {
            List<StudyModel.Item> chunk = items.subList(from, Math.min(items.size(), from + CHUNK));
            ratings.addAll(model.read(m -> chunk.stream().map(StudyModel.Item::ratings).toList()));
            StudyModel.letWritersIn();
        }
        Inputs inputs = model.read(m -> new Inputs(m.raterIds(), ratings, m.policy()));
        return compute(inputs.raters(), inputs.items(), inputs.policy());
    }

    /** What the raters' exclusions and the policy leave out of the study's statistics. */
    public static Exclusions exclusions(StudyModel model, List<Rater> raters) {
        BitSet excluded = new BitSet();
        for (Rater rater : raters) {
            if (!rater.excluded().isEmpty()) {
                excluded.set(model.raterIndex(rater.annotatorId()));
            }
        }
        return new Exclusions(model.policy().excludeTooFast(), excluded);
    }

    private static List<Rater> compute(List<UUID> raterIds, List<StudyModel.Ratings> items, QualityPolicy policy) {
        Map<UUID, Tally> tallies = new TreeMap<>();
        for (StudyModel.Ratings item : items) {
            // Each item's ratings in a canonical order (by rater, then overall), so that every sum below is taken in the
            // same order whatever order the ratings arrived in.
            int n = item.raters().length;
            Integer[] order = new Integer[n];
            for (int r = 0; r < n; r++) {
                order[r] = r;
            }
            java.util.Arrays.sort(order, Comparator.<Integer, UUID>comparing(r -> raterIds.get(item.raters()[r]))
                    .thenComparingDouble(item::overall));
            for (int r : order) {
                Tally tally = tallies.computeIfAbsent(raterIds.get(item.raters()[r]), id -> new Tally());
                if (tally.kind == null) {
                    tally.kind = RaterKinds.name(item.kinds()[r]);
                }
                tally.ratings++;
                if (item.has(r, RatingValues.GOLD)) {
                    tally.gold++;
                    if (item.has(r, RatingValues.GOLD_PASSED)) {
                        tally.goldPassed++;
                    }
                    continue;
                }
                if (!item.dialogue()) {
                    continue;
                }
                tally.dialogueRatings++;
                if (item.has(r, RatingValues.STRAIGHT_LINED)) {
                    tally.straight++;
                }
                if (item.has(r, RatingValues.TOO_FAST)) {
                    tally.tooFast++;
                }
                double overall = item.overall(r);
                if (Double.isNaN(overall)) {
                    continue;
                }
                tally.scoreSum += overall;
                tally.scored++;
                double others = othersMean(item, order, r);
                if (!Double.isNaN(others)) {
                    tally.deviationSum += overall - others;
                    tally.deviations++;
                    tally.pairs++;
                    tally.sx += overall;
                    tally.sy += others;
                    tally.sxx += overall * overall;
                    tally.syy += others * others;
                    tally.sxy += overall * others;
                }
            }
        }
        List<Rater> rows = new ArrayList<>();
        tallies.forEach((annotator, t) -> {
            Double tooFastRate = t.dialogueRatings == 0 ? null : t.tooFast / (double) t.dialogueRatings;
            Double straightRate = t.dialogueRatings == 0 ? null : t.straight / (double) t.dialogueRatings;
            Double goldRate = t.gold == 0 ? null : t.goldPassed / (double) t.gold;
            Double correlation = t.correlation();
            List<String> excluded = new ArrayList<>();
            if (t.dialogueRatings >= policy.minRatings()) {
                if (tooFastRate > policy.maxTooFastRate()) {
                    excluded.add(TOO_FAST);
                }
                if (straightRate > policy.maxStraightLiningRate()) {
                    excluded.add(STRAIGHT_LINING);
                }
            }
            if (t.gold >= policy.minGoldRated() && goldRate < policy.minGoldPassRate()) {
                excluded.add(GOLD);
            }
            // no variance (a constant rater) is no evidence of agreement either
            if (t.pairs >= policy.minRatings() && (correlation == null || correlation < policy.minRaterCorrelation())) {
                excluded.add(CORRELATION);
            }
            rows.add(new Rater(annotator, t.kind, t.ratings, t.dialogueRatings, t.scored == 0 ? null : Estimate.finite(t.scoreSum / t.scored),
                    t.deviations == 0 ? null : Estimate.finite(t.deviationSum / t.deviations), correlation, tooFastRate, straightRate,
                    t.gold, goldRate, List.copyOf(excluded)));
        });
        return rows;
    }

    /** The mean overall score of the item's other raters of the rating's kind (non-gold, scored); NaN for none. */
    private static double othersMean(StudyModel.Ratings item, Integer[] order, int rating) {
        double sum = 0;
        int n = 0;
        for (int other : order) {
            if (item.raters()[other] != item.raters()[rating] && item.kinds()[other] == item.kinds()[rating]
                    && !item.has(other, RatingValues.GOLD) && !Double.isNaN(item.overall(other))) {
                sum += item.overall(other);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
