package org.esrp.metrics.domain;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * An item's packed ratings through many growths of its arrays, a metric that first appears after 37 ratings (the
 * arrays widen), gold ratings and a judge's: every score, sum, count and tally against a plain recount of what was
 * given.
 */
class StudyModelTest {

    private static final UUID STUDY = new UUID(1, 1);
    private static final UUID DIALOGUE = new UUID(2, 2);

    @Test
    void anItemKeepsEveryRatingThroughGrowthAndWidening() {
        StudyModel model = new StudyModel(STUDY, 0);
        ItemInfo info = new ItemInfo("DIALOGUE", new UUID(3, 3), DIALOGUE, new UUID(4, 4), "LLM", "m", new UUID(5, 5), "c",
                new UUID(6, 6));
        Random random = new Random(7);
        List<RatingValues> given = new ArrayList<>();
        for (int r = 0; r < 157; r++) {
            List<String> keys = r < 37 ? List.of("empathy", "persona") : List.of("empathy", "persona", "fluency");
            short[] metrics = new short[keys.size()];
            short[] scores = new short[keys.size()];
            for (int i = 0; i < keys.size(); i++) {
                metrics[i] = model.metric(keys.get(i));
                scores[i] = (short) (1 + random.nextInt(5));
            }
            byte kind = r % 10 == 9 ? RatingValues.LLM_JUDGE : RatingValues.HUMAN;
            byte flags = r % 13 == 0 ? RatingValues.GOLD : 0;
            RatingValues values = new RatingValues(DIALOGUE, new UUID(9, r % 40), kind, flags, metrics, scores);
            given.add(values);
            model.rating(info, values);
        }

        StudyModel.Item item = model.item(DIALOGUE);
        assertEquals(157, item.size());
        for (int metric = 0; metric < 3; metric++) {
            for (byte kind = 0; kind < RatingValues.RATER_KINDS; kind++) {
                long sum = 0;
                int count = 0;
                TreeMap<Short, Integer> tally = new TreeMap<>();
                for (int r = 0; r < given.size(); r++) {
                    RatingValues values = given.get(r);
                    short score = scoreOf(values, metric);
                    assertEquals(score, item.score(r, metric), "rating " + r + ", metric " + metric);
                    if (score != StudyModel.Item.MISSING && values.raterKind() == kind && !values.has(RatingValues.GOLD)) {
                        sum += score;
                        count++;
                        tally.merge(score, 1, Integer::sum);
                    }
                }
                assertEquals(sum, item.sum(kind, metric), "sum, kind " + kind + ", metric " + metric);
                assertEquals(count, item.count(kind, metric), "count, kind " + kind + ", metric " + metric);
                short[] values = new short[tally.size()];
                int[] tallies = new int[tally.size()];
                int at = 0;
                for (var entry : tally.entrySet()) {
                    values[at] = entry.getKey();
                    tallies[at++] = entry.getValue();
                }
                assertArrayEquals(values, item.values(kind, metric));
                assertArrayEquals(tallies, item.tallies(kind, metric));
            }
        }
        StudyModel.Ratings ratings = item.ratings();
        for (int r = 0; r < given.size(); r++) {
            int sum = 0;
            for (short score : given.get(r).scores()) {
                sum += score;
            }
            assertEquals(sum, ratings.scoreSums()[r]);
            assertEquals(given.get(r).scores().length, ratings.scoreCounts()[r]);
            assertEquals(given.get(r).annotatorId(), model.raterId(ratings.raters()[r]));
        }
    }

    private static short scoreOf(RatingValues values, int metric) {
        for (int i = 0; i < values.metrics().length; i++) {
            if (values.metrics()[i] == metric) {
                return values.scores()[i];
            }
        }
        return StudyModel.Item.MISSING;
    }
}
