package org.esrp.metrics.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.metrics.domain.Estimate;
import org.esrp.metrics.domain.RatingValues;
import org.esrp.metrics.domain.StudyModel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Each annotator: how many ratings; over its non-gold ratings of dialogues, the mean overall score it gives, its severity
 * (the mean difference between its overall score and the mean of the other raters of its kind on the same dialogue,
 * leaving itself out; negative = harsher) and its straight-lining rate; and its gold passes.
 */
@ApplicationScoped
public class RaterService {

    /**
     * {@code dialogueRatings}: the non-gold ratings of dialogues, what {@code meanScore}, {@code severity} and
     * {@code straightLiningRate} are over.
     */
    public record Rater(UUID annotatorId, String raterKind, int ratings, int dialogueRatings, Double meanScore, Double severity,
                        Double straightLiningRate, int goldRated, Double goldPassRate) {
    }

    private static final class Tally {
        String kind;
        int ratings;
        int dialogueRatings;
        double scoreSum;
        int scored;
        double deviationSum;
        int deviations;
        int straight;
        int gold;
        int goldPassed;
    }

    public List<Rater> raters(StudyModel model) {
        // the ratings are copied in one short hold of the model's lock; the statistics are computed outside it
        record Inputs(List<UUID> raters, List<StudyModel.Ratings> items) {
        }
        Inputs inputs = model.read(m -> new Inputs(m.raterIds(), m.items().stream().map(StudyModel.Item::ratings).toList()));
        return compute(inputs.raters(), inputs.items());
    }

    private static List<Rater> compute(List<UUID> raterIds, List<StudyModel.Ratings> items) {
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
                }
            }
        }
        List<Rater> rows = new ArrayList<>();
        tallies.forEach((annotator, t) -> rows.add(new Rater(annotator, t.kind, t.ratings, t.dialogueRatings,
                t.scored == 0 ? null : Estimate.finite(t.scoreSum / t.scored),
                t.deviations == 0 ? null : Estimate.finite(t.deviationSum / t.deviations),
                t.dialogueRatings == 0 ? null : t.straight / (double) t.dialogueRatings, t.gold,
                t.gold == 0 ? null : t.goldPassed / (double) t.gold)));
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
