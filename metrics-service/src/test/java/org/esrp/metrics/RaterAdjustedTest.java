package org.esrp.metrics;

import org.esrp.metrics.domain.Adjusted;
import org.esrp.metrics.service.AdjustedService;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Simulated raters over a generated study, with planted responder effects and planted rater severities, where the raters
 * a responder gets depend on the responder: the better a responder, the harsher its raters. Raw means invert the planted
 * order; the mixed model's adjusted means recover it.
 */
class RaterAdjustedTest {

    static final double[] QUALITY = {0.45, 0.3, 0.15, 0, -0.15, -0.3}; // planted, best first
    static final int CHARACTERS = 8;
    static final int SCENARIOS = 12;
    static final int RATERS = 24;

    @Test
    void theAdjustedRankingRecoversThePlantedOrderBetterThanTheRawOne() {
        Random random = new Random(42);
        StudyFixture study = new StudyFixture();
        List<UUID> responders = new ArrayList<>();
        for (int r = 0; r < QUALITY.length; r++) {
            responders.add(UUID.randomUUID());
        }
        UUID[] raters = new UUID[RATERS];
        double[] severity = new double[RATERS];
        for (int a = 0; a < RATERS; a++) {
            raters[a] = new UUID(7, a);
            severity[a] = 1.0 - 2.0 * a / (RATERS - 1); // rater 0 lenient (+1), rater 23 harsh (-1)
        }
        double[] characterEffect = random.doubles(CHARACTERS, -0.3, 0.3).toArray();
        double[] scenarioEffect = random.doubles(SCENARIOS, -0.2, 0.2).toArray();
        for (int r = 0; r < QUALITY.length; r++) {
            // responder r is rated from a window of nine raters: the best (r = 0) by raters 15-23, the harshest; the
            // windows overlap, so every rater's severity is seen on several responders
            List<Integer> window = new ArrayList<>();
            for (int a = (QUALITY.length - 1 - r) * 3; a < (QUALITY.length - 1 - r) * 3 + 9; a++) {
                window.add(a);
            }
            for (int c = 0; c < CHARACTERS; c++) {
                for (int s = 0; s < SCENARIOS; s++) {
                    UUID dialogue = UUID.randomUUID();
                    Collections.shuffle(window, random);
                    for (int a : window.subList(0, 3)) {
                        double mu = 3 + QUALITY[r] + severity[a] + characterEffect[c] + scenarioEffect[s];
                        StringBuilder digits = new StringBuilder();
                        for (int m = 0; m < 9; m++) {
                            digits.append(Math.max(1, Math.min(5, Math.round(mu + 0.7 * random.nextGaussian()))));
                        }
                        study.rate(dialogue, responders.get(r), "LLM", c, s, raters[a], "HUMAN", digits.toString(), List.of(), false);
                    }
                }
            }
        }
        Adjusted adjusted = new AdjustedService().adjusted(study.model(), null, "overall", true);
        assertEquals(QUALITY.length * CHARACTERS * SCENARIOS * 3, adjusted.observations());
        int raw = discordant(adjusted, responders, Adjusted.Responder::rawMean);
        int fitted = discordant(adjusted, responders, Adjusted.Responder::adjustedMean);
        assertTrue(fitted < raw, "adjusted " + fitted + " vs raw " + raw + " discordant pairs of 15");
        assertTrue(raw >= 10, "the raw means are confounded with the raters' severity: " + raw);
        assertEquals(0, fitted, "the adjusted means recover the planted order");
        // the rater variance is the planted severities' (evenly spread over [-1, 1]: variance about 0.38)
        assertTrue(adjusted.variances().rater() > 0.2 && adjusted.variances().rater() < 0.6, adjusted.variances().toString());
    }

    /** Pairs of responders that the estimate orders otherwise than the planted quality. */
    private static int discordant(Adjusted adjusted, List<UUID> responders, ToDoubleFunction<Adjusted.Responder> estimate) {
        double[] value = new double[responders.size()];
        for (Adjusted.Responder row : adjusted.responders()) {
            value[responders.indexOf(row.responderId())] = estimate.applyAsDouble(row);
        }
        int discordant = 0;
        for (int i = 0; i < value.length; i++) {
            for (int j = i + 1; j < value.length; j++) {
                if (value[i] <= value[j]) {
                    discordant++;
                }
            }
        }
        return discordant;
    }
}
