package org.esrp.metrics.service;

import org.esrp.metrics.domain.Estimate;
import org.esrp.metrics.domain.Leaderboard;
import org.esrp.metrics.domain.Responder;
import org.esrp.metrics.service.RatedDialogues.Pair;
import org.esrp.metrics.service.RatedDialogues.Rated;
import org.esrp.metrics.service.RatedDialogues.Score;
import org.esrp.metrics.service.RatedDialogues.Scores;
import org.esrp.metrics.stats.PairedTests;
import org.esrp.metrics.stats.Ratio;
import org.esrp.metrics.stats.SignedRanks;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Each responder but the fans against the human fans, kept as dialogues are rated: the fans' dialogues pooled per
 * (character, scenario) pair, and per responder and compared score (overall, each dimension) the differences of its
 * dialogues from the pooled fans on their pair, as the signed-rank test ranks them. A dialogue's change costs
 * O(scores x log d), d being the distinct differences of a responder on a score; a change of the fans' pooled score on a
 * pair, that per other dialogue on that pair. The tests then cost O(responders x scores), whatever the number of
 * dialogues: at 1M ratings, walking every distinct difference for each test was half of each leaderboard's computation.
 */
final class HumanBaseline {

    private final List<Score> compared = new ArrayList<>();
    // the fans' dialogues per pair, by dialogue id (the first one describes the pooled entry), and their pooled scores
    private final Map<Pair, TreeMap<UUID, Rated>> fanDialogues = new HashMap<>();
    private final Map<Pair, Rated> pooled = new HashMap<>();
    private final TreeMap<UUID, int[]> fans = new TreeMap<>();
    // the other responders' dialogues per pair, and their differences from the fans per responder and compared score
    private final Map<Pair, List<Rated>> dialogues = new HashMap<>();
    private final TreeMap<UUID, int[]> responders = new TreeMap<>();
    private final Map<UUID, SignedRanks[]> differences = new HashMap<>();

    HumanBaseline(Scores scores) {
        compared.add(Score.ALL);
        compared.addAll(scores.dimensions());
    }

    /** The fans' pooled scores on a pair before and after a change (null: none). */
    record Pooled(Rated before, Rated after) {
    }

    /** Adds a fan's dialogue, or takes it away (the same scores as added); the pair's pooled scores follow. */
    Pooled fan(Rated dialogue, boolean add) {
        Pair pair = dialogue.pair();
        TreeMap<UUID, Rated> here = fanDialogues.computeIfAbsent(pair, p -> new TreeMap<>());
        count(fans, dialogue.responderId(), add);
        if (add) {
            here.put(dialogue.dialogueId(), dialogue);
        } else {
            here.remove(dialogue.dialogueId());
        }
        Rated before = pooled.get(pair);
        Rated after = here.isEmpty() ? null : RatedDialogues.pooled(new ArrayList<>(here.values()));
        if (after == null) {
            fanDialogues.remove(pair);
            pooled.remove(pair);
        } else {
            pooled.put(pair, after);
        }
        for (Rated other : dialogues.getOrDefault(pair, List.of())) {
            if (before != null) {
                differ(other, before, false);
            }
            if (after != null) {
                differ(other, after, true);
            }
        }
        return new Pooled(before, after);
    }

    /** Adds another responder's dialogue, or takes it away (the same scores as added). */
    void dialogue(Rated dialogue, boolean add) {
        Pair pair = dialogue.pair();
        count(responders, dialogue.responderId(), add);
        if (add) {
            dialogues.computeIfAbsent(pair, p -> new ArrayList<>()).add(dialogue);
        } else {
            List<Rated> here = dialogues.get(pair);
            here.remove(dialogue);
            if (here.isEmpty()) {
                dialogues.remove(pair);
            }
        }
        Rated human = pooled.get(pair);
        if (human != null) {
            differ(dialogue, human, add);
        }
        if (!responders.containsKey(dialogue.responderId())) {
            differences.remove(dialogue.responderId());
        }
    }

    private void differ(Rated dialogue, Rated human, boolean add) {
        SignedRanks[] ranks = differences.computeIfAbsent(dialogue.responderId(), id -> {
            SignedRanks[] all = new SignedRanks[compared.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = new SignedRanks();
            }
            return all;
        });
        for (int i = 0; i < ranks.length; i++) {
            Ratio own = dialogue.score(compared.get(i));
            Ratio theirs = human.score(compared.get(i));
            if (own != null && theirs != null) {
                if (add) {
                    ranks[i].add(own.minus(theirs));
                } else {
                    ranks[i].remove(own.minus(theirs));
                }
            }
        }
    }

    private static void count(Map<UUID, int[]> counts, UUID id, boolean add) {
        int[] count = counts.computeIfAbsent(id, k -> new int[1]);
        count[0] += add ? 1 : -1;
        if (count[0] == 0) {
            counts.remove(id);
        }
    }

    /** The fans who have rated dialogues, by id. */
    List<UUID> fans() {
        return List.copyOf(fans.keySet());
    }

    /**
     * The comparison with the fans (null when no fan was rated): per compared score, each responder with rated dialogues
     * (by id) tested on the pairs it shares with the fans, Holm-adjusted across responders.
     */
    Leaderboard.Baseline baseline(Map<UUID, Responder> names) {
        if (pooled.isEmpty()) {
            return null;
        }
        List<Leaderboard.Comparison> rows = new ArrayList<>();
        for (int s = 0; s < compared.size(); s++) {
            List<UUID> ids = new ArrayList<>(responders.keySet());
            List<PairedTests.Result> results = new ArrayList<>();
            for (UUID id : ids) {
                SignedRanks[] ranks = differences.get(id);
                results.add(PairedTests.wilcoxonSignedRank(ranks == null ? new SignedRanks() : ranks[s]));
            }
            double[] adjusted = PairedTests.holm(results.stream().mapToDouble(PairedTests.Result::pValue).toArray());
            for (int i = 0; i < ids.size(); i++) {
                PairedTests.Result t = results.get(i);
                Responder responder = names.get(ids.get(i));
                rows.add(new Leaderboard.Comparison(ids.get(i), responder == null ? null : responder.name(), compared.get(s).key(), t.n(),
                        Estimate.finite(t.meanDifference()), Estimate.finite(t.ciLow()), Estimate.finite(t.ciHigh()),
                        Estimate.finite(t.pValue()), Estimate.finite(adjusted[i]), t.method()));
            }
        }
        List<UUID> fanIds = fans();
        List<String> fanNames = fanIds.stream().map(id -> names.get(id).name()).toList();
        return new Leaderboard.Baseline(fanIds, fanNames, pooled.size(), LeaderboardService.TEST, rows);
    }
}
