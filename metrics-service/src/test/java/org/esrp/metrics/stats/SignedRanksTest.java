package org.esrp.metrics.stats;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * W+ and the ties' correction kept as differences come and go, against the textbook's ranking done from scratch: the
 * non-zero absolute values sorted, ties at their average rank.
 */
class SignedRanksTest {

    @Test
    void aSmallSampleByHand() {
        // |d| = 1, 2, 2, 3 rank 1, 2.5, 2.5, 4; the positive ones (1, 2, 3) sum to 7.5; one tie of two: 2^3 - 2 = 6
        SignedRanks ranks = of(1, -2, 2, 3, 0);
        assertEquals(15, ranks.twiceWPlus());
        assertEquals(6, ranks.tieTerm());
        assertTrue(ranks.ties());
        assertEquals(4, ranks.nonZero());
        assertEquals(5, ranks.n());
        ranks.remove(Ratio.of(-2, 1));
        // 1, 2, 3 rank 1, 2, 3, all positive
        assertEquals(12, ranks.twiceWPlus());
        assertEquals(0, ranks.tieTerm());
        assertFalse(ranks.ties());
    }

    @Test
    void followsEveryChangeOfARandomSample() {
        Random random = new Random(20261128);
        SignedRanks ranks = new SignedRanks();
        List<Ratio> kept = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            if (kept.isEmpty() || random.nextInt(5) < 3) {
                // means of integer ratings: few distinct values, many ties, zeros and both signs
                Ratio difference = Ratio.of(random.nextInt(41) - 20, 1 + random.nextInt(6));
                ranks.add(difference);
                kept.add(difference);
            } else {
                ranks.remove(kept.remove(random.nextInt(kept.size())));
            }
            if (step % 97 == 0 || step > 19_900) {
                long[] expected = fromScratch(kept);
                assertEquals(expected[0], ranks.twiceWPlus(), "W+ at step " + step);
                assertEquals(expected[1], ranks.tieTerm(), "ties at step " + step);
                assertEquals(expected[1] > 0, ranks.ties());
                assertEquals(expected[2], ranks.nonZero());
            }
        }
        while (!kept.isEmpty()) {
            ranks.remove(kept.remove(kept.size() - 1));
        }
        assertEquals(0, ranks.twiceWPlus());
        assertEquals(0, ranks.tieTerm());
        assertEquals(0, ranks.n());
    }

    @Test
    void aDifferenceNeverAddedCannotBeTakenAway() {
        SignedRanks ranks = of(1, 2);
        assertThrows(IllegalArgumentException.class, () -> ranks.remove(Ratio.of(-1, 1)));
        assertThrows(IllegalArgumentException.class, () -> ranks.remove(Ratio.of(3, 1)));
    }

    private static SignedRanks of(int... differences) {
        SignedRanks ranks = new SignedRanks();
        for (int d : differences) {
            ranks.add(Ratio.of(d, 1));
        }
        return ranks;
    }

    /** {2 W+, sum of t^3 - t over tied values, non-zero count} by sorting the absolute values and ranking them. */
    private static long[] fromScratch(List<Ratio> differences) {
        List<Ratio> nonZero = new ArrayList<>(differences.stream().filter(d -> d.signum() != 0).toList());
        nonZero.sort((a, b) -> a.abs().compareTo(b.abs()));
        long twiceWPlus = 0;
        long tieTerm = 0;
        int start = 0;
        while (start < nonZero.size()) {
            int end = start;
            while (end < nonZero.size() && nonZero.get(end).abs().compareTo(nonZero.get(start).abs()) == 0) {
                end++;
            }
            long t = end - start;
            // 1-based ranks start + 1 .. end average to (start + 1 + end) / 2
            for (int i = start; i < end; i++) {
                if (nonZero.get(i).signum() > 0) {
                    twiceWPlus += start + 1 + end;
                }
            }
            tieTerm += t * t * t - t;
            start = end;
        }
        return new long[] {twiceWPlus, tieTerm, nonZero.size()};
    }
}
