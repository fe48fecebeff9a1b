package org.esrp.metrics;

import org.esrp.events.RatingEvent;
import org.esrp.metrics.domain.Leaderboard;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.service.AgreementService;
import org.esrp.metrics.service.LeaderboardQuery;
import org.esrp.metrics.service.LeaderboardService;
import org.esrp.metrics.service.RaterService;
import org.esrp.metrics.service.RaterService.Rater;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The default quality policy on simulated raters: 10 honest raters (each a small severity plus noise around the
 * dialogue's planted quality), one random rater who takes 2 s per task (flagged TOO_FAST, as annotation-service flags
 * ratings below the study's 10 s) and one straight-liner (the same score on every metric, flagged STRAIGHT_LINED).
 */
class QualityPolicyTest {

    static final double[] QUALITY = {0.5, 0.2, -0.1, -0.4};
    static final int CHARACTERS = 4;
    static final int SCENARIOS = 10;

    @Test
    void theDefaultPolicyExcludesTheRandomRaterAndTheStraightLinerAndNoHonestRater() {
        Random random = new Random(3);
        StudyFixture study = new StudyFixture();
        List<UUID> raters = new ArrayList<>();
        for (int a = 0; a < 12; a++) {
            raters.add(new UUID(9, a));
        }
        UUID randomRater = raters.get(10);
        UUID straightLiner = raters.get(11);
        double[] severity = random.doubles(12, -0.3, 0.3).toArray();
        double[] characterEffect = random.doubles(CHARACTERS, -0.4, 0.4).toArray();
        int[] ratingsOf = new int[12];
        for (int r = 0; r < QUALITY.length; r++) {
            UUID responder = new UUID(1, r);
            for (int c = 0; c < CHARACTERS; c++) {
                for (int s = 0; s < SCENARIOS; s++) {
                    UUID dialogue = UUID.randomUUID();
                    double dialogueEffect = 0.3 * random.nextGaussian();
                    List<Integer> order = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
                    Collections.shuffle(order, random);
                    for (int a : order.subList(0, 4)) {
                        ratingsOf[a]++;
                        StringBuilder digits = new StringBuilder();
                        List<String> flags = List.of();
                        if (a == 10) {
                            for (int m = 0; m < 9; m++) {
                                digits.append(1 + random.nextInt(5));
                            }
                            flags = List.of(RatingEvent.TOO_FAST);
                        } else if (a == 11) {
                            digits.append(String.valueOf(3 + random.nextInt(3)).repeat(9));
                            flags = List.of(RatingEvent.STRAIGHT_LINED);
                        } else {
                            double mu = 3 + QUALITY[r] + characterEffect[c] + dialogueEffect + severity[a];
                            for (int m = 0; m < 9; m++) {
                                digits.append(Math.max(1, Math.min(5, Math.round(mu + 0.7 * random.nextGaussian()))));
                            }
                        }
                        study.rate(dialogue, responder, "LLM", c, s, raters.get(a), "HUMAN", digits.toString(), flags, false);
                    }
                }
            }
        }
        StudyModel model = study.model();
        List<Rater> rows = new RaterService().raters(model);
        Set<UUID> excluded = rows.stream().filter(r -> !r.excluded().isEmpty()).map(Rater::annotatorId).collect(Collectors.toSet());
        assertEquals(Set.of(randomRater, straightLiner), excluded, rows.toString());
        Rater randomRow = rows.stream().filter(r -> r.annotatorId().equals(randomRater)).findFirst().orElseThrow();
        assertTrue(randomRow.excluded().containsAll(List.of(RaterService.TOO_FAST, RaterService.CORRELATION)), randomRow.toString());
        Rater straightRow = rows.stream().filter(r -> r.annotatorId().equals(straightLiner)).findFirst().orElseThrow();
        assertTrue(straightRow.excluded().contains(RaterService.STRAIGHT_LINING), straightRow.toString());
        for (Rater honest : rows) {
            if (!excluded.contains(honest.annotatorId())) {
                assertTrue(honest.correlation() > 0.5, "an honest rater agrees with the others: " + honest);
            }
        }

        // applied to the tables: their ratings are left out (and counted as such); quality=off shows every rating
        assertTrue(model.exclusions(RaterService.exclusions(model, rows)));
        LeaderboardService leaderboards = new LeaderboardService();
        Leaderboard kept = leaderboards.leaderboard(model, LeaderboardQuery.DEFAULT);
        Leaderboard all = leaderboards.leaderboard(model, new LeaderboardQuery(null, null, "group", false));
        int total = QUALITY.length * CHARACTERS * SCENARIOS * 4;
        assertEquals(total, ratings(all));
        assertEquals(total - ratingsOf[10] - ratingsOf[11], ratings(kept));
        assertEquals(2, kept.quality().excludedRaters());
        assertEquals(ratingsOf[10] + ratingsOf[11], kept.quality().excludedRatings());
        assertEquals("off", all.quality().applied());
        // agreement without the two is higher than with them
        AgreementService agreement = new AgreementService();
        assertTrue(agreement.agreement(model, null, true).get(0).interval() > agreement.agreement(model, null, false).get(0).interval());
    }

    private static int ratings(Leaderboard board) {
        return board.groups().get(0).rows().stream().mapToInt(Leaderboard.Row::ratings).sum();
    }
}
