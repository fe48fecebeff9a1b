package org.esrp.metrics.service;

import org.esrp.events.Rubric;
import org.esrp.events.RubricMetric;
import org.esrp.metrics.domain.DialogueInfo;
import org.esrp.metrics.domain.Exclusions;
import org.esrp.metrics.domain.ItemInfo;
import org.esrp.metrics.domain.RatingValues;
import org.esrp.metrics.domain.Responder;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.stats.Krippendorff;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The agreement view's units (an item's tallies, read a chunk of items per hold of the model's lock) are the units
 * built here from the ratings one by one: per item, the scores of the ratings that count (not gold, of the rater kind
 * asked for, not left out by the quality policy), given to Krippendorff's alpha as plain lists of values. A study of
 * 320 dialogues, more than two chunks, with judges, gold ratings, TOO_FAST ratings and an excluded rater.
 */
class AgreementServiceTest {

    private record Given(ItemInfo item, UUID rater, byte kind, byte flags, short[] scores) {
    }

    @Test
    void theUnitsAreTheRatingsThatCount() {
        SplittableRandom random = new SplittableRandom(11);
        StudyModel model = new StudyModel(new UUID(1, 1), 0);
        List<RubricMetric> rubric = Rubric.DIALOGUE;
        short[] metrics = new short[rubric.size()];
        for (int i = 0; i < metrics.length; i++) {
            metrics[i] = model.metric(rubric.get(i).key());
        }
        List<Responder> responders = new ArrayList<>();
        for (int r = 0; r < 8; r++) {
            responders.add(new Responder(new UUID(2, r), "model-" + r, "LLM", "m" + r));
        }
        responders.forEach(r -> model.responder(r, true));
        List<UUID> raters = new ArrayList<>();
        for (int a = 0; a < 12; a++) {
            raters.add(new UUID(3, a));
        }
        List<Given> ratings = new ArrayList<>();
        for (int c = 0; c < 2; c++) {
            for (int s = 0; s < 20; s++) {
                for (Responder responder : responders) {
                    UUID dialogueId = new UUID(4, random.nextLong());
                    UUID character = new UUID(5, c);
                    UUID scenario = new UUID(6, s);
                    model.dialogue(new DialogueInfo(dialogueId, responder.id(), character, "character " + c, scenario, "s" + s, "p", "e"));
                    ItemInfo item = new ItemInfo("DIALOGUE", new UUID(7, random.nextLong()), dialogueId, responder.id(), "LLM",
                            responder.modelName(), character, "character " + c, scenario);
                    for (int n = 1 + random.nextInt(6); n > 0; n--) {
                        short[] scores = new short[metrics.length];
                        for (int m = 0; m < metrics.length; m++) {
                            // a metric left unscored now and then
                            scores[m] = random.nextInt(10) == 0 ? StudyModel.Item.MISSING : (short) (1 + random.nextInt(5));
                        }
                        byte kind = random.nextInt(5) == 0 ? RatingValues.LLM_JUDGE : RatingValues.HUMAN;
                        byte flags = (byte) ((random.nextInt(10) == 0 ? RatingValues.GOLD : 0)
                                | (random.nextInt(8) == 0 ? RatingValues.TOO_FAST : 0));
                        Given given = new Given(item, raters.get(random.nextInt(raters.size())), kind, flags, scores);
                        ratings.add(given);
                        List<Short> keys = new ArrayList<>();
                        List<Short> values = new ArrayList<>();
                        for (int m = 0; m < metrics.length; m++) {
                            if (scores[m] != StudyModel.Item.MISSING) {
                                keys.add(metrics[m]);
                                values.add(scores[m]);
                            }
                        }
                        model.rating(item, new RatingValues(item.key(), given.rater(), kind, flags, shorts(keys), shorts(values)));
                    }
                }
            }
        }
        model.changed();
        UUID excludedRater = raters.get(4);
        BitSet excluded = new BitSet();
        excluded.set(model.raterIndex(excludedRater));
        model.exclusions(new Exclusions(true, excluded));

        AgreementService service = new AgreementService();
        for (String kind : new String[]{null, "HUMAN", "LLM_JUDGE"}) {
            for (boolean quality : new boolean[]{true, false}) {
                List<AgreementService.Agreement> rows = service.agreement(model, kind, quality);
                assertEquals(rubric.size() + Rubric.DIVERSITY.size(), rows.size());
                for (int m = 0; m < metrics.length; m++) {
                    List<List<Double>> units = units(ratings, m, kind, quality, excludedRater);
                    AgreementService.Agreement row = rows.get(m);
                    String where = rubric.get(m).key() + ", " + kind + ", quality " + quality;
                    assertEquals(rubric.get(m).key(), row.metric());
                    Krippendorff.Result interval = Krippendorff.alpha(units, Krippendorff.Level.INTERVAL);
                    assertEquals(interval.units(), row.items(), where);
                    assertEquals(interval.pairableValues(), row.pairableValues(), where);
                    assertTrue(row.items() > 20, where + ": " + row.items());
                    assertEquals(interval.alpha(), row.interval(), 1e-12, where);
                    assertEquals(Krippendorff.alpha(units, Krippendorff.Level.ORDINAL).alpha(), row.ordinal(), 1e-12, where);
                    assertEquals(Krippendorff.alpha(units, Krippendorff.Level.NOMINAL).alpha(), row.nominal(), 1e-12, where);
                }
                // the diversity rubric's metrics: nobody rated them here
                assertNull(rows.get(metrics.length).interval());
                assertEquals(0, rows.get(metrics.length).items());
            }
        }
    }

    /** Per item, in the model's item order, the values of the ratings that count on metric {@code m}. */
    private static List<List<Double>> units(List<Given> ratings, int m, String kind, boolean quality, UUID excludedRater) {
        java.util.Map<UUID, List<Double>> byItem = new java.util.TreeMap<>();
        for (Given given : ratings) {
            boolean counts = given.scores()[m] != StudyModel.Item.MISSING && (given.flags() & RatingValues.GOLD) == 0
                    && (kind == null || given.kind() == ("HUMAN".equals(kind) ? RatingValues.HUMAN : RatingValues.LLM_JUDGE))
                    && !(quality && (given.rater().equals(excludedRater) || (given.flags() & RatingValues.TOO_FAST) != 0));
            List<Double> unit = byItem.computeIfAbsent(given.item().key(), k -> new ArrayList<>());
            if (counts) {
                unit.add((double) given.scores()[m]);
            }
        }
        return new ArrayList<>(byItem.values());
    }

    private static short[] shorts(List<Short> values) {
        short[] array = new short[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }
}
