package org.esrp.metrics.stats;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Running exact moments and signed ranks: values that came and went leave no trace. */
class MomentsTest {

    @Test
    void theIntervalAgreesWithScipy() {
        // reference values: src/test/resources/reference/moments.py (scipy)
        Moments moments = new Moments();
        List<Ratio> values = List.of(Ratio.of(1, 1), Ratio.of(2, 1), Ratio.of(3, 1), Ratio.of(4, 1), Ratio.of(2, 3));
        values.forEach(moments::add);
        assertEquals(Ratio.of(32, 15), moments.mean());
        Descriptive.Interval ci = moments.interval(0.95);
        assertEquals(0.41183785682552276, ci.low(), 1e-12);
        assertEquals(3.854828809841144, ci.high(), 1e-12);
    }

    @Test
    void valuesTakenAwayLeaveTheMomentsOfTheRest() {
        SplittableRandom random = new SplittableRandom(5);
        Moments kept = new Moments();
        SignedRanks ranks = new SignedRanks();
        List<Ratio> present = new ArrayList<>();
        for (int step = 0; step < 2000; step++) {
            if (!present.isEmpty() && random.nextInt(3) == 0) {
                Ratio gone = present.remove(random.nextInt(present.size()));
                kept.remove(gone);
                ranks.remove(gone);
            } else {
                Ratio value = Ratio.of(random.nextInt(-20, 21), 1 + random.nextInt(9));
                present.add(value);
                kept.add(value);
                ranks.add(value);
            }
        }
        Moments fresh = new Moments();
        present.forEach(fresh::add);
        assertEquals(fresh.mean(), kept.mean());
        assertEquals(fresh.interval(0.95), kept.interval(0.95));
        assertEquals(PairedTests.wilcoxonSignedRank(present), PairedTests.wilcoxonSignedRank(ranks));
        assertEquals(present.size(), ranks.n());
    }
}
