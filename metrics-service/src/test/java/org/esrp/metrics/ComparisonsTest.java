package org.esrp.metrics;

import org.apache.commons.math3.fraction.BigFraction;
import org.esrp.metrics.domain.Comparisons;
import org.esrp.metrics.service.ComparisonService;
import org.esrp.metrics.service.LeaderboardService;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every responder against every other, on a hand-made study: the fans (overall 1 on five scenarios), M1 and M2 (1 + k/9
 * and 1 + 2k/9 on scenario k-1), and M3 rated on two scenarios only (9 and 8).
 */
class ComparisonsTest {

    final UUID fan = UUID.randomUUID();
    final UUID m1 = UUID.randomUUID();
    final UUID m2 = UUID.randomUUID();
    final UUID m3 = UUID.randomUUID();

    @Test
    void everyPairOnItsSharedPairsWithHolmOverAllPairs() {
        StudyFixture study = new StudyFixture();
        for (int s = 0; s < 5; s++) {
            study.dialogue(fan, "HUMAN", s, "111111111");
            study.dialogue(m1, "LLM", s, (1 + s + 1) + "11111111");
            study.dialogue(m2, "LLM", s, (1 + s + 1) + "" + (1 + s + 1) + "1111111");
        }
        study.dialogue(m3, "LLM", 0, "999999999");
        study.dialogue(m3, "LLM", 1, "888888888");

        ComparisonService service = new ComparisonService(new LeaderboardService(), 2_000, 11);
        Comparisons comparisons = service.comparisons(study.model(), null, "overall", true);
        assertEquals(List.of(m3.toString(), m2.toString(), m1.toString(), ComparisonService.HUMAN_FANS_KEY),
                comparisons.responders().stream().map(Comparisons.Ranked::key).toList());
        assertEquals(new BigFraction(1).add(new BigFraction(6, 9)).doubleValue(), comparisons.responders().get(1).mean());
        assertEquals(6, comparisons.pairs().size(), "every pair of four");
        // M3 shares two pairs with each, its differences are positive and untied: exact p = 2 * 1/4. The others share
        // five, with positive untied differences (k/9 or 2k/9): exact p = 2 * 1/32. Holm over the six: the three
        // 0.0625 become 6 * 0.0625 = 0.375 (then max(0.375, 5 * 0.0625), max(.., 4 * 0.0625)); the three 0.5 become 1.
        for (Comparisons.Pairwise pair : comparisons.pairs()) {
            boolean sparse = pair.a().equals(m3.toString());
            assertEquals(sparse ? 2 : 5, pair.sharedPairs(), pair.toString());
            assertEquals(sparse ? 0.5 : 0.0625, pair.pValue(), pair.toString());
            assertEquals(sparse ? 1.0 : 0.375, pair.pHolm(), pair.toString());
        }
        Comparisons.Pairwise m2m1 = comparisons.pairs().stream().filter(p -> p.a().equals(m2.toString()) && p.b().equals(m1.toString()))
                .findFirst().orElseThrow();
        assertEquals(new BigFraction(1, 3).doubleValue(), m2m1.meanDifference());
        assertEquals(2_000, comparisons.bootstrap().resamples());
        assertEquals(11, comparisons.bootstrap().seed());
        // M3 is first whenever it is there at all, and the rest keep their order (one character, and each is above the
        // next on every scenario); but a resample draws neither of M3's two scenarios (3/5)^5 = 7.8% of the time, more
        // than the 2.5% tail, and then each of the others ranks one better
        assertEquals(List.of(1, 1, 2, 3), comparisons.responders().stream().map(Comparisons.Ranked::rankLow).toList());
        assertEquals(List.of(1, 2, 3, 4), comparisons.responders().stream().map(Comparisons.Ranked::rankHigh).toList());

        assertEquals(comparisons, service.comparisons(study.model(), null, "overall", true), "the same seed, the same intervals");
    }
}
