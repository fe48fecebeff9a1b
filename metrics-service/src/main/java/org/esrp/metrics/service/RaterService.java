package org.esrp.metrics.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.events.QualityPolicy;
import org.esrp.events.RatingEvent;
import org.esrp.metrics.domain.Estimate;
import org.esrp.metrics.domain.Exclusions;
import org.esrp.metrics.domain.RatingValues;
import org.esrp.metrics.domain.StudyModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
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

    /** Items per hold of the model's lock: about a millisecond of copying at a million ratings. */
    private static final int CHUNK = 256;

    public List<Rater> raters(StudyModel model) {
        // The ratings are copied a chunk of items per hold of the model's lock, the raters last, so
        // that every rater of a copied rating is known; the statistics are computed outside the lock.
        record Inputs(List<UUID> raters, List<StudyModel.Ratings> items, QualityPolicy policy) {
        }
        List<StudyModel.Item> items = model.read(m -> new ArrayList<>(m.items()));
        List<StudyModel.Ratings> ratings = new ArrayList<>(items.size());
        model.readInChunks(items, CHUNK, (m, chunk) -> chunk.forEach(item -> ratings.add(item.ratings())));
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
        // raters in id order: the canonical order of an item's ratings and of the rows
        Integer[] byId = new Integer[raterIds.size()];
        for (int i = 0; i < byId.length; i++) {
            byId[i] = i;
        }
        Arrays.sort(byId, Comparator.comparing(raterIds::get));
        int[] rank = new int[byId.length];
        for (int i = 0; i < byId.length; i++) {
            rank[byId[i]] = i;
        }
        Tally[] tallies = new Tally[raterIds.size()];
        int[] order = new int[0];
        long[] keys = new long[0];
        long[] kindSum = new long[RatingValues.RATER_KINDS];
        int[] kindCount = new int[RatingValues.RATER_KINDS];
        long[] ownSum = new long[RatingValues.RATER_KINDS];
        int[] ownCount = new int[RatingValues.RATER_KINDS];
        for (StudyModel.Ratings item : items) {
            // Each item's ratings in a canonical order (by rater, then overall), so that every sum below is taken in the
            // same order whatever order the ratings arrived in.
            int n = item.raters().length;
            if (order.length < n) {
                order = new int[n + (n >> 1)];
                keys = new long[order.length];
            }
            canonical(item, rank, keys, order, n);
            // The others' mean of a rating is the item's sum of its kind less its rater's own: linear in the item's
            // ratings, where summing the others of each rating was quadratic (1.4 s a computation at 1M ratings). The
            // overall scores are summed over a common denominator, as integers, so the subtraction is exact and the
            // mean is rounded once.
            long denominator = commonDenominator(item, n);
            Arrays.fill(kindSum, 0);
            Arrays.fill(kindCount, 0);
            for (int r = 0; r < n; r++) {
                if (countsForOthers(item, r)) {
                    kindSum[item.kinds()[r]] = Math.addExact(kindSum[item.kinds()[r]], numerator(item, r, denominator));
                    kindCount[item.kinds()[r]]++;
                }
            }
            for (int from = 0, to; from < n; from = to) {
                int raterIndex = item.raters()[order[from]];
                Arrays.fill(ownSum, 0);
                Arrays.fill(ownCount, 0);
                for (to = from; to < n && item.raters()[order[to]] == raterIndex; to++) {
                    int r = order[to];
                    if (countsForOthers(item, r)) {
                        ownSum[item.kinds()[r]] = Math.addExact(ownSum[item.kinds()[r]], numerator(item, r, denominator));
                        ownCount[item.kinds()[r]]++;
                    }
                }
                Tally tally = tallies[raterIndex];
                if (tally == null) {
                    tally = tallies[raterIndex] = new Tally();
                    tally.kind = RaterKinds.name(item.kinds()[order[from]]);
                }
                for (int i = from; i < to; i++) {
                    int r = order[i];
                    int kind = item.kinds()[r];
                    int others = kindCount[kind] - ownCount[kind];
                    add(tally, item, r, others == 0 ? Double.NaN : (kindSum[kind] - ownSum[kind]) / (double) (denominator * others));
                }
            }
        }
        List<Rater> rows = new ArrayList<>();
        for (int index : byId) {
            Tally t = tallies[index];
            if (t == null) {
                continue;
            }
            UUID annotator = raterIds.get(index);
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
        }
        return rows;
    }

    /** One rating's part of its rater's tally; {@code others}: the mean of the item's other raters of its kind (NaN for none). */
    private static void add(Tally tally, StudyModel.Ratings item, int r, double others) {
        tally.ratings++;
        if (item.has(r, RatingValues.GOLD)) {
            tally.gold++;
            if (item.has(r, RatingValues.GOLD_PASSED)) {
                tally.goldPassed++;
            }
            return;
        }
        if (!item.dialogue()) {
            return;
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
            return;
        }
        tally.scoreSum += overall;
        tally.scored++;
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

    /**
     * The least common multiple of the item's numbers of scores per rating: its ratings' overall scores (a sum of scores
     * over their number) as integer numerators over it. One number for all when the rubric did not change meanwhile; a
     * rubric changed mid-study gives the multiple of a few numbers. Scores are at most {@value RatingEvent#MAX_SCORE},
     * so with the multiple under 2^31 the sums stay in a long for thousands of ratings of an item even then, and for
     * millions with one number of scores (checked: an overflow fails the computation rather than give a wrong mean).
     */
    private static long commonDenominator(StudyModel.Ratings item, int n) {
        long multiple = 1;
        for (int r = 0; r < n; r++) {
            int count = item.scoreCounts()[r];
            if (count > 0 && multiple % count != 0) {
                multiple = Math.multiplyExact(multiple / gcd(multiple, count), count);
                if (multiple > Integer.MAX_VALUE) {
                    throw new ArithmeticException("the numbers of scores of item " + item.item() + " have no common multiple under 2^31");
                }
            }
        }
        return multiple;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static long numerator(StudyModel.Ratings item, int r, long denominator) {
        return Math.multiplyExact(item.scoreSums()[r], denominator / item.scoreCounts()[r]);
    }

    /** Whether a rating counts in the others' mean of the item's other raters of its kind: non-gold, scored. */
    private static boolean countsForOthers(StudyModel.Ratings item, int r) {
        return !item.has(r, RatingValues.GOLD) && !Double.isNaN(item.overall(r));
    }

    /** The first {@code n} of {@code order}: the item's ratings by rater (in id order), then overall score. */
    private static void canonical(StudyModel.Ratings item, int[] rank, long[] keys, int[] order, int n) {
        for (int i = 0; i < n; i++) {
            keys[i] = (long) rank[item.raters()[i]] << 32 | i;
        }
        Arrays.sort(keys, 0, n);
        for (int i = 0; i < n; i++) {
            order[i] = (int) keys[i];
        }
        // a rater's ratings of one item (rarely more than one) by overall score, ties in arrival order
        for (int from = 0, to; from < n; from = to) {
            for (to = from + 1; to < n && keys[to] >>> 32 == keys[from] >>> 32; to++) {
                int r = order[to];
                int j = to - 1;
                while (j >= from && Double.compare(item.overall(r), item.overall(order[j])) < 0) {
                    order[j + 1] = order[j];
                    j--;
                }
                order[j + 1] = r;
            }
        }
    }
}
