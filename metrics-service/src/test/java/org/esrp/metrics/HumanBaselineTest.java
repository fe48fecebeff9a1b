package org.esrp.metrics;

import org.apache.commons.math3.fraction.BigFraction;
import org.esrp.metrics.domain.Leaderboard;
import org.esrp.metrics.service.LeaderboardQuery;
import org.esrp.metrics.service.LeaderboardService;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The human baseline on hand-made studies, against hand calculations: exact scores (a mathematically zero difference is
 * dropped, equal differences tie), every fan pooled into one human group, and the pairs each responder shares.
 */
class HumanBaselineTest {

    static final String EACH = "each";
    final UUID model = UUID.randomUUID();
    final UUID otherModel = UUID.randomUUID();
    final UUID fanA = UUID.randomUUID();
    final UUID fanB = UUID.randomUUID();
    final UUID fanC = UUID.randomUUID();

    @Test
    void aZeroDifferenceOfRaterAveragedScoresIsDroppedExactly() {
        StudyFixture study = new StudyFixture();
        // scenario 0: both overall exactly 37/9 (111 points over 3 raters x 9 metrics), but not summed so in floating point
        study.dialogue(model, "LLM", 0, "335354545", "554354355", "535533443");
        study.dialogue(fanA, "HUMAN", 0, "453534454", "444435454", "553454353");
        // scenarios 1-5: the fan's overall is 3; the model's is 3 + k/3 (9k points more over the 27 scores)
        String[][] model = {{"444444444", "333333333", "333333333"}, {"444444444", "444444444", "333333333"},
                {"444444444", "444444444", "444444444"}, {"555555555", "444444444", "444444444"},
                {"555555555", "555555555", "444444444"}};
        for (int k = 1; k <= 5; k++) {
            study.dialogue(this.model, "LLM", k, model[k - 1]);
            study.dialogue(fanA, "HUMAN", k, "333333333", "333333333", "333333333");
        }
        Leaderboard.Comparison overall = comparison(board(study, null), this.model, "overall");
        assertEquals(6, overall.pairs());
        // differences 0, 1/3, 2/3, 1, 4/3, 5/3: the zero dropped, five positive untied ranks, W+ = 15 of 15, so the exact
        // two-sided p = 2 * P(W+ = 15) = 2 / 2^5
        assertEquals(0.0625, overall.pValue());
        assertEquals("wilcoxon-signed-rank-exact", overall.method());
        assertEquals(new BigFraction(5, 6).doubleValue(), overall.meanDifference());
    }

    @Test
    void everyFanIsPooledIntoTheHumanBaseline() {
        StudyFixture study = new StudyFixture();
        for (int s = 0; s <= 2; s++) {
            study.dialogue(fanA, "HUMAN", s, "333333333");
        }
        for (int s = 3; s <= 4; s++) {
            study.dialogue(fanB, "HUMAN", s, "555555555");
        }
        int[] modelScores = {4, 4, 4, 2, 2};
        for (int s = 0; s < modelScores.length; s++) {
            study.dialogue(model, "LLM", s, String.valueOf(modelScores[s]).repeat(9));
        }
        study.dialogue(otherModel, "LLM", 0, "444444444");
        study.dialogue(otherModel, "LLM", 1, "555555555");

        Leaderboard board = board(study, null);
        // differences 1, 1, 1, -3, -3 over the five pairs: mean -3/5
        Leaderboard.Comparison overall = comparison(board, model, "overall");
        assertEquals(5, overall.pairs());
        assertEquals(new BigFraction(-3, 5).doubleValue(), overall.meanDifference());
        assertEquals(List.of(fanA, fanB).stream().sorted().toList(), board.humanBaseline().humanResponderIds());
        assertEquals(5, board.humanBaseline().pairs());
        assertEquals(2, comparison(board, otherModel, "overall").pairs());
        assertEquals(0, board.humanBaseline().rows().stream().filter(r -> r.responderId().equals(fanA) || r.responderId().equals(fanB)).count(),
                "a fan is part of the baseline, not compared with it");

        // the table: the human fans as one row over their five pairs (3, 3, 3, 5, 5), the fans one by one only on request
        List<Leaderboard.Row> rows = board.groups().get(0).rows();
        assertEquals(3, rows.size());
        Leaderboard.Row humans = rows.stream().filter(r -> r.responderId() == null).findFirst().orElseThrow();
        assertEquals(LeaderboardService.HUMAN_FANS, humans.responderName());
        assertEquals(2, humans.fans());
        assertEquals(5, humans.dialogues());
        assertEquals(new BigFraction(19, 5).doubleValue(), humans.overall().mean());
        assertEquals(5, row(board, model).pairsWithHumans());
        assertEquals(2, row(board, otherModel).pairsWithHumans());
        assertEquals(2, row(board, model).sharedPairs().get(otherModel));
        assertEquals(2, row(board, otherModel).sharedPairs().get(model));
        assertEquals(5, humans.sharedPairs().get(model));
        assertNull(humans.pairsWithHumans());
        Leaderboard each = board(study, EACH);
        assertEquals(5, each.groups().get(0).rows().size());
        assertEquals(3, row(each, fanA).dialogues());
        assertEquals(0, row(each, fanA).sharedPairs().get(fanB), "the two fans answered different scenarios");

        // a third fan on scenario 0 with 5s: the pooled score there is the fans' mean, (3 + 5) / 2 = 4, so the
        // differences are 0, 1, 1, -3, -3: mean -4/5 over the same five pairs
        study.dialogue(fanC, "HUMAN", 0, "555555555");
        Leaderboard.Comparison pooled = comparison(board(study, null), model, "overall");
        assertEquals(5, pooled.pairs());
        assertEquals(new BigFraction(-4, 5).doubleValue(), pooled.meanDifference());
    }

    private static Leaderboard board(StudyFixture study, String fans) {
        return new LeaderboardService().leaderboard(study.model(), new LeaderboardQuery(null, null, fans == null ? "group" : fans, true));
    }

    private static Leaderboard.Row row(Leaderboard board, UUID responder) {
        return board.groups().get(0).rows().stream().filter(r -> responder.equals(r.responderId())).findFirst().orElseThrow();
    }

    private static Leaderboard.Comparison comparison(Leaderboard board, UUID responder, String score) {
        return board.humanBaseline().rows().stream().filter(r -> r.responderId().equals(responder) && r.score().equals(score))
                .findFirst().orElseThrow();
    }
}
