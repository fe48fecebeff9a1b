package org.esrp.metrics.stats;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kendall's tau-b against scipy.stats.kendalltau (variant 'b', SciPy 1.17.1): {@code reference/judge_agreement.py}. */
class KendallTauTest {

    @Test
    void tiesOnBothSidesAsScipy() {
        KendallTau.Result r = KendallTau.tauB(List.of(1, 2, 2, 3, 4, 4, 4, 5, 6, 7), List.of(2, 1, 3, 3, 5, 4, 6, 6, 6, 9));
        assertEquals(0.8536585365853658, r.tauB(), 1e-14);
        assertEquals(10, r.n());
    }

    @Test
    void negativeWithTies() {
        KendallTau.Result r = KendallTau.tauB(List.of(3.5, 1.0, 2.0, 2.0, 5.0, 5.0, 0.5, 4.0), List.of(1, 4, 3, 3, 1, 0, 5, 2));
        assertEquals(-0.8846153846153847, r.tauB(), 1e-14);
    }

    @Test
    void untiedAndPerfect() {
        assertEquals(0.33333333333333337, KendallTau.tauB(List.of(1, 2, 3), List.of(1, 3, 2)).tauB(), 1e-15);
        assertEquals(1.0, KendallTau.tauB(List.of(1, 1, 2, 3), List.of(10, 10, 20, 30)).tauB(), 1e-15);
    }

    @Test
    void undefinedForConstantOrTooFewValues() {
        assertTrue(Double.isNaN(KendallTau.tauB(List.of(4, 4, 4), List.of(1, 2, 3)).tauB()));
        assertTrue(Double.isNaN(KendallTau.tauB(List.of(1), List.of(2)).tauB()));
        assertTrue(Double.isNaN(KendallTau.tauB(List.<Integer>of(), List.<Integer>of()).tauB()));
    }

    @Test
    void exactMeansTieWhereTheirDoublesWouldNot() {
        // the responders' means 1/10 + 2/10 and 3/10 are equal: one tied pair, not a discordant one
        Ratio sum = Ratio.of(1, 10).plus(Ratio.of(2, 10));
        double exact = KendallTau.tauB(List.of(sum, Ratio.of(3, 10), Ratio.of(9, 10)), List.of(2, 1, 3)).tauB();
        assertEquals(KendallTau.tauB(List.of(1, 1, 2), List.of(2, 1, 3)).tauB(), exact);
        assertTrue(KendallTau.tauB(List.of(0.1 + 0.2, 0.3, 0.9), List.of(2, 1, 3)).tauB() != exact);
    }
}
