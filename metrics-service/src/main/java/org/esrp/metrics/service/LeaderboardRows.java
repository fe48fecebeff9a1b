package org.esrp.metrics.service;

import org.esrp.metrics.domain.Estimate;
import org.esrp.metrics.domain.Leaderboard;
import org.esrp.metrics.domain.Responder;
import org.esrp.metrics.service.RatedDialogues.Pair;
import org.esrp.metrics.service.RatedDialogues.Rated;
import org.esrp.metrics.service.RatedDialogues.Score;
import org.esrp.metrics.service.RatedDialogues.Scores;
import org.esrp.metrics.stats.Descriptive;
import org.esrp.metrics.stats.Moments;
import org.esrp.metrics.stats.Ratio;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The rows of one leaderboard table, kept as its entries come and go: per responder (null: the human fans, whose entries
 * are their pooled scores per pair) the number of entries and ratings and the exact moments of every score, and per
 * (character, scenario) pair who has an entry there with an overall score, which counts the pairs two responders share.
 * Adding or taking away an entry costs O(metrics + responders); the rows are then read off in O(responders x metrics).
 */
final class LeaderboardRows {

    private static final String HUMAN = "HUMAN";

    /** One responder's entries. */
    private static final class Side {
        int entries;
        int ratings;
        final Moments[] metrics;
        final Moments[] dimensions;
        final Moments overall = new Moments();

        Side(Scores scores) {
            metrics = moments(scores.metrics().size());
            dimensions = moments(scores.dimensions().size());
        }

        private static Moments[] moments(int n) {
            Moments[] all = new Moments[n];
            for (int i = 0; i < n; i++) {
                all[i] = new Moments();
            }
            return all;
        }
    }

    private final Scores scores;
    private final Map<UUID, Side> sides = new HashMap<>();
    // per pair: each responder's entries there with an overall score
    private final Map<Pair, Map<UUID, int[]>> present = new HashMap<>();
    // per responder, per other responder: the pairs both have an entry with an overall score on
    private final Map<UUID, Map<UUID, int[]>> shared = new HashMap<>();
    // responders whose last entry of a pair was taken away, still counted in shared until the rows are read: a changed
    // dialogue is taken away and added again at once, and would otherwise unshare and share it with every other responder
    private final Map<Pair, Set<UUID>> vacated = new HashMap<>();

    LeaderboardRows(Scores scores) {
        this.scores = scores;
    }

    void add(Rated entry) {
        change(entry, true);
    }

    /** Takes away an entry added before (the same scores). */
    void remove(Rated entry) {
        change(entry, false);
    }

    private void change(Rated entry, boolean add) {
        Side side = sides.computeIfAbsent(entry.responderId(), id -> new Side(scores));
        side.entries += add ? 1 : -1;
        side.ratings += add ? entry.ratings() : -entry.ratings();
        for (int i = 0; i < side.metrics.length; i++) {
            change(side.metrics[i], entry.metrics()[i], add);
        }
        for (int d = 0; d < side.dimensions.length; d++) {
            change(side.dimensions[d], entry.dimensions()[d], add);
        }
        change(side.overall, entry.overall(), add);
        if (entry.overall() != null) {
            presence(entry.pair(), entry.responderId(), add);
        }
        if (side.entries == 0) {
            sides.remove(entry.responderId());
        }
    }

    private static void change(Moments moments, Ratio value, boolean add) {
        if (value == null) {
            return;
        }
        if (add) {
            moments.add(value);
        } else {
            moments.remove(value);
        }
    }

    private void presence(Pair pair, UUID responderId, boolean add) {
        Map<UUID, int[]> here = present.computeIfAbsent(pair, p -> new HashMap<>());
        int[] count = here.get(responderId);
        if (add && count != null) {
            if (count[0]++ == 0) {
                vacated.get(pair).remove(responderId);
            }
        } else if (add) {
            here.keySet().forEach(other -> share(responderId, other, 1));
            here.put(responderId, new int[]{1});
        } else if (--count[0] == 0) {
            vacated.computeIfAbsent(pair, p -> new HashSet<>()).add(responderId);
        }
    }

    /** Unshares the pairs that stayed vacated: the responders left them for good. */
    private void settle() {
        vacated.forEach((pair, left) -> {
            Map<UUID, int[]> here = present.get(pair);
            for (UUID responderId : left) {
                here.remove(responderId);
                here.keySet().forEach(other -> share(responderId, other, -1));
            }
            if (here.isEmpty()) {
                present.remove(pair);
            }
        });
        vacated.clear();
    }

    private void share(UUID a, UUID b, int change) {
        shared.computeIfAbsent(a, id -> new HashMap<>()).computeIfAbsent(b, id -> new int[1])[0] += change;
        shared.computeIfAbsent(b, id -> new HashMap<>()).computeIfAbsent(a, id -> new int[1])[0] += change;
    }

    private int sharedPairs(UUID a, UUID b) {
        Map<UUID, int[]> withA = shared.get(a);
        int[] count = withA == null ? null : withA.get(b);
        return count == null ? 0 : count[0];
    }

    /** The rows, ranked by overall mean (then name, then id); {@code fans}: how many fans the human fans' row pools. */
    List<Leaderboard.Row> rows(Map<UUID, Responder> responders, int fans) {
        settle();
        record Ranked(Leaderboard.Row row, Ratio overall) {
        }
        List<Ranked> rows = new ArrayList<>();
        sides.forEach((responderId, side) -> {
            Map<String, Estimate> metrics = new LinkedHashMap<>();
            for (Score m : scores.metrics()) {
                metrics.put(m.key(), estimate(side.metrics[m.index()]));
            }
            Map<String, Estimate> dimensions = new LinkedHashMap<>();
            for (Score d : scores.dimensions()) {
                dimensions.put(d.key(), estimate(side.dimensions[d.index()]));
            }
            Map<UUID, Integer> sharedPairs = new TreeMap<>();
            sides.keySet().forEach(other -> {
                if (other != null && !other.equals(responderId)) {
                    sharedPairs.put(other, sharedPairs(responderId, other));
                }
            });
            Leaderboard.Row row;
            if (responderId == null) {
                row = new Leaderboard.Row(0, null, LeaderboardService.HUMAN_FANS, HUMAN, null, fans, side.entries, side.ratings, metrics,
                        dimensions, estimate(side.overall), null, sharedPairs);
            } else {
                Integer withHumans = sides.containsKey(null) ? sharedPairs(responderId, null) : null;
                Responder responder = responders.getOrDefault(responderId, new Responder(responderId, null, null, null));
                row = new Leaderboard.Row(0, responderId, responder.name(), responder.kind(), responder.modelName(), null, side.entries,
                        side.ratings, metrics, dimensions, estimate(side.overall), withHumans, sharedPairs);
            }
            rows.add(new Ranked(row, side.overall.mean()));
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

    /** The exact mean, rounded once, with its t-interval; all null for no values. */
    static Estimate estimate(Moments moments) {
        Ratio mean = moments.mean();
        if (mean == null) {
            return new Estimate(null, null, null, 0);
        }
        Descriptive.Interval ci = moments.interval(0.95);
        return new Estimate(Estimate.finite(mean.doubleValue()), Estimate.finite(ci.low()), Estimate.finite(ci.high()), moments.n());
    }
}
