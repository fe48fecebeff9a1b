package org.esrp.metrics.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.esrp.events.Rubric;
import org.esrp.events.RubricMetric;
import org.esrp.metrics.domain.DialogueInfo;
import org.esrp.metrics.domain.Exclusions;
import org.esrp.metrics.domain.ItemInfo;
import org.esrp.metrics.domain.RatingValues;
import org.esrp.metrics.domain.Responder;
import org.esrp.metrics.domain.StudyModel;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A leaderboard kept up to date rating by rating (old scores out, new ones in) is the leaderboard built from scratch on
 * the same ratings: after every few ratings, with raters and TOO_FAST ratings excluded and let in again, fans pooled on
 * shared pairs, metrics left unscored, judge ratings beside human ones, and a responder that turns out to be a fan.
 */
class StandingLeaderboardTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<LeaderboardQuery> QUERIES = List.of(LeaderboardQuery.DEFAULT,
            new LeaderboardQuery(null, null, "each", false), new LeaderboardQuery(null, "LLM_JUDGE", "group", true),
            new LeaderboardQuery(null, "HUMAN", "each", true));

    private record Dialogue(ItemInfo item) {
    }

    @Test
    void keptUpToDateIsBuiltFromScratch() throws Exception {
        for (long seed = 1; seed <= 4; seed++) {
            run(new SplittableRandom(seed));
        }
    }

    /**
     * A table takes in a large change (every dialogue, when the exclusions change) a chunk per hold of the model's lock,
     * while ratings keep coming between the chunks: once they stop, the next computation is the table built from scratch.
     */
    @Test
    void keptUpToDateWhileRatingsArriveBetweenItsChunks() throws Exception {
        SplittableRandom random = new SplittableRandom(5);
        StudyModel model = new StudyModel(new UUID(9, 9), 0);
        short[] metrics = new short[Rubric.DIALOGUE.size()];
        for (int i = 0; i < metrics.length; i++) {
            metrics[i] = model.metric(Rubric.DIALOGUE.get(i).key());
        }
        List<Responder> responders = List.of(new Responder(new UUID(1, 1), "model-1", "LLM", "m1"),
                new Responder(new UUID(1, 2), "model-2", "LLM", "m2"), new Responder(new UUID(1, 3), "fan-3", "HUMAN", null),
                new Responder(new UUID(1, 4), "fan-4", "HUMAN", null));
        responders.forEach(r -> model.responder(r, true));
        List<Dialogue> dialogues = new ArrayList<>();
        for (int c = 0; c < 20; c++) {
            for (int s = 0; s < 10; s++) {
                for (Responder responder : responders) {
                    UUID dialogueId = new UUID(300 + c, 1000L * s + dialogues.size());
                    model.dialogue(new DialogueInfo(dialogueId, responder.id(), new UUID(100, c), "character " + c, new UUID(200, s),
                            "s" + s, "persona", "emotion"));
                    dialogues.add(new Dialogue(new ItemInfo("DIALOGUE", new UUID(400, dialogues.size()), dialogueId, responder.id(),
                            responder.kind(), responder.modelName(), new UUID(100, c), "character " + c, new UUID(200, s))));
                }
            }
        }
        java.util.concurrent.atomic.AtomicBoolean rating = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread ratings = new Thread(() -> {
            for (int step = 1; step <= 6_000; step++) {
                Dialogue dialogue = dialogues.get(random.nextInt(dialogues.size()));
                short[] scores = new short[metrics.length];
                for (int m = 0; m < metrics.length; m++) {
                    scores[m] = (short) (1 + random.nextInt(5));
                }
                model.rating(dialogue.item(), new RatingValues(dialogue.item().key(), new UUID(500, random.nextInt(10)),
                        RatingValues.HUMAN, random.nextInt(8) == 0 ? RatingValues.TOO_FAST : 0, metrics, scores));
                model.changed();
                if (step % 400 == 0) {
                    BitSet excluded = new BitSet();
                    excluded.set(random.nextInt(model.raterIds().size()));
                    model.exclusions(new Exclusions(random.nextBoolean(), excluded));
                }
            }
            rating.set(false);
        });
        LeaderboardService live = new LeaderboardService();
        ratings.start();
        int computations = 0;
        while (rating.get()) {
            live.leaderboard(model, LeaderboardQuery.DEFAULT);
            computations++;
        }
        ratings.join();
        assertTrue(dialogues.size() > 3 * 256 && computations > 1, dialogues.size() + " dialogues, " + computations + " computations");
        for (LeaderboardQuery query : QUERIES) {
            String kept = JSON.writeValueAsString(live.leaderboard(model, query));
            String fromScratch = JSON.writeValueAsString(new LeaderboardService().leaderboard(model, query));
            assertEquals(fromScratch, kept, query.toString());
        }
    }

    private void run(SplittableRandom random) throws Exception {
        UUID studyId = new UUID(7, random.nextLong());
        StudyModel model = new StudyModel(studyId, 0);
        List<RubricMetric> rubric = Rubric.DIALOGUE;
        short[] metrics = new short[rubric.size()];
        for (int i = 0; i < metrics.length; i++) {
            metrics[i] = model.metric(rubric.get(i).key());
        }
        List<Responder> responders = new ArrayList<>();
        for (int r = 0; r < 6; r++) {
            boolean fan = r >= 4;
            responders.add(new Responder(new UUID(r + 1, random.nextLong()), (fan ? "fan-" : "model-") + r, fan ? "HUMAN" : "LLM",
                    fan ? null : "m" + r));
        }
        responders.forEach(r -> model.responder(r, true));
        List<Dialogue> dialogues = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            UUID character = new UUID(100 + c, random.nextLong());
            for (int s = 0; s < 6; s++) {
                UUID scenario = new UUID(200 + s, random.nextLong());
                for (Responder responder : responders) {
                    // each fan answered some of the pairs; every model all of them
                    if ("HUMAN".equals(responder.kind()) && random.nextInt(3) == 0) {
                        continue;
                    }
                    UUID dialogueId = new UUID(300, random.nextLong());
                    model.dialogue(new DialogueInfo(dialogueId, responder.id(), character, "character " + c, scenario, "s" + s,
                            "persona " + (s % 2), "emotion " + (s % 3)));
                    dialogues.add(new Dialogue(new ItemInfo("DIALOGUE", new UUID(400, random.nextLong()), dialogueId, responder.id(),
                            responder.kind(), responder.modelName(), character, "character " + c, scenario)));
                }
            }
        }
        List<UUID> raters = new ArrayList<>();
        for (int a = 0; a < 8; a++) {
            raters.add(new UUID(500, a));
        }
        LeaderboardService live = new LeaderboardService();
        for (int step = 1; step <= 600; step++) {
            Dialogue dialogue = dialogues.get(random.nextInt(dialogues.size()));
            List<Short> given = new ArrayList<>();
            List<Short> scores = new ArrayList<>();
            for (short metric : metrics) {
                if (random.nextInt(10) > 0) {
                    given.add(metric);
                    scores.add((short) (1 + random.nextInt(5)));
                }
            }
            model.rating(dialogue.item(), new RatingValues(dialogue.item().key(), raters.get(random.nextInt(raters.size())),
                    random.nextInt(6) == 0 ? RatingValues.LLM_JUDGE : RatingValues.HUMAN,
                    random.nextInt(8) == 0 ? RatingValues.TOO_FAST : 0, shorts(given), shorts(scores)));
            model.changed();
            if (step % 50 == 0) {
                BitSet excluded = new BitSet();
                excluded.set(random.nextInt(raters.size()));
                model.exclusions(random.nextBoolean() ? Exclusions.NONE : new Exclusions(random.nextBoolean(), excluded));
            }
            if (step == 450) {
                // a responder taken for a model turns out to be a fan: the table is built again
                Responder third = responders.get(3);
                model.responder(new Responder(third.id(), third.name(), "HUMAN", null), true);
                model.changed();
            }
            if (step % 7 == 0 || step == 600) {
                for (LeaderboardQuery query : QUERIES) {
                    String kept = JSON.writeValueAsString(live.leaderboard(model, query));
                    String fromScratch = JSON.writeValueAsString(new LeaderboardService().leaderboard(model, query));
                    assertEquals(fromScratch, kept, "step " + step + ", " + query);
                }
            }
        }
        String last = JSON.writeValueAsString(live.leaderboard(model, LeaderboardQuery.DEFAULT));
        assertTrue(last.contains("\"humanBaseline\":{"), "the fans are compared with: " + last.substring(0, 200));
        assertNotNull(live.leaderboard(model, QUERIES.get(1)).groups().get(0).rows().get(0).overall().low());
    }

    private static short[] shorts(List<Short> values) {
        short[] array = new short[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }
}
