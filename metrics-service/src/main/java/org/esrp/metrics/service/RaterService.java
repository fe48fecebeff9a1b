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
        return model.read(RaterService::compute);
    }

    private static List<Rater> compute(StudyModel model) {
        Map<UUID, Tally> tallies = new TreeMap<>();
        int metrics = model.metricCount();
        for (StudyModel.Item item : model.items()) {
            // Each item's ratings in a canonical order (by rater, then overall), so that every sum below is taken in the
            // same order whatever order the ratings arrived in.
            double itemSum = 0;
            int itemN = 0;
            List<Integer> order = new ArrayList<>();
            for (int r = 0; r < item.size(); r++) {
                order.add(r);
            }
            double[] overall = new double[item.size()];
            for (int r = 0; r < item.size(); r++) {
                overall[r] = overall(item, r, metrics);
            }
            order.sort(Comparator.<Integer, UUID>comparing(r -> model.raterId(item.rater(r))).thenComparingDouble(r -> overall[r]));
            for (int r : order) {
                if (!item.has(r, RatingValues.GOLD) && !Double.isNaN(overall[r])) {
                    itemSum += overall[r];
                    itemN++;
                }
            }
            double itemMean = itemN >= 2 ? itemSum / itemN : Double.NaN;
            for (int r : order) {
                Tally tally = tallies.computeIfAbsent(model.raterId(item.rater(r)), id -> new Tally());
                if (tally.kind == null) {
                    tally.kind = RaterKinds.name(item.raterKind(r));
                }
                tally.ratings++;
                if (item.has(r, RatingValues.STRAIGHT_LINED)) {
                    tally.straight++;
                }
                if (item.has(r, RatingValues.GOLD)) {
                    tally.gold++;
                    if (item.has(r, RatingValues.GOLD_PASSED)) {
                        tally.goldPassed++;
                    }
                } else if (!Double.isNaN(overall[r])) {
                    tally.scoreSum += overall[r];
                    tally.scored++;
                    if (!Double.isNaN(itemMean)) {
                        tally.deviationSum += overall[r] - itemMean;
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

    /** A rating's overall score: the mean of the scores it gives. */
    private static double overall(StudyModel.Item item, int rating, int metrics) {
        long sum = 0;
        int n = 0;
        for (int metric = 0; metric < metrics; metric++) {
            short score = item.score(rating, metric);
            if (score != StudyModel.Item.MISSING) {
                sum += score;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / (double) n;
    }
}
