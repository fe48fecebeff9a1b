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
 * Each annotator: how many ratings, the mean score it gives, its severity (mean deviation of its overall score from the
 * mean of the item's ratings, over items rated two or more times; negative = harsher), straight-lining and gold passes.
 */
@ApplicationScoped
public class RaterService {

    public record Rater(UUID annotatorId, String raterKind, int ratings, Double meanScore, Double severity,
                        Double straightLiningRate, int goldRated, Double goldPassRate) {
    }

    private static final class Tally {
        String kind;
        int ratings;
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
            double itemSum = 0;
            int itemN = 0;
            for (int r : order) {
                if (!item.has(r, RatingValues.GOLD) && !Double.isNaN(item.overall(r))) {
                    itemSum += item.overall(r);
                    itemN++;
                }
            }
            double itemMean = itemN >= 2 ? itemSum / itemN : Double.NaN;
            for (int r : order) {
                Tally tally = tallies.computeIfAbsent(raterIds.get(item.raters()[r]), id -> new Tally());
                if (tally.kind == null) {
                    tally.kind = RaterKinds.name(item.kinds()[r]);
                }
                tally.ratings++;
                if (item.has(r, RatingValues.STRAIGHT_LINED)) {
                    tally.straight++;
                }
                double overall = item.overall(r);
                if (item.has(r, RatingValues.GOLD)) {
                    tally.gold++;
                    if (item.has(r, RatingValues.GOLD_PASSED)) {
                        tally.goldPassed++;
                    }
                } else if (!Double.isNaN(overall)) {
                    tally.scoreSum += overall;
                    tally.scored++;
                    if (!Double.isNaN(itemMean)) {
                        tally.deviationSum += overall - itemMean;
                        tally.deviations++;
                    }
                }
            }
        }
        List<Rater> rows = new ArrayList<>();
        tallies.forEach((annotator, t) -> rows.add(new Rater(annotator, t.kind, t.ratings,
                t.scored == 0 ? null : Estimate.finite(t.scoreSum / t.scored),
                t.deviations == 0 ? null : Estimate.finite(t.deviationSum / t.deviations),
                t.straight / (double) t.ratings, t.gold, t.gold == 0 ? null : t.goldPassed / (double) t.gold)));
        return rows;
    }
}
