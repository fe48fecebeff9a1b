package org.esrp.metrics.stats;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spearman's rho and its p-value against scipy.stats.spearmanr (SciPy 1.17.1): {@code reference/judge_agreement.py}. */
class SpearmanTest {

    @Test
    void tiesTakeAverageRanksAsScipyDoes() {
        Spearman.Result r = Spearman.of(List.of(1, 2, 2, 3, 4, 4, 4, 5, 6, 7), List.of(2, 1, 3, 3, 5, 4, 6, 6, 6, 9));
        assertEquals(0.934375, r.rho(), 1e-14);
        assertEquals(7.492681297860981e-05, r.p(), 1e-11 * 7.492681297860981e-05);
        assertEquals(10, r.n());
    }

    @Test
    void negativeCorrelationWithTiesOnBothSides() {
        Spearman.Result r = Spearman.of(List.of(3.5, 1.0, 2.0, 2.0, 5.0, 5.0, 0.5, 4.0), List.of(1, 4, 3, 3, 1, 0, 5, 2));
        assertEquals(-0.9451219512195123, r.rho(), 1e-14);
        assertEquals(0.000396357755457384, r.p(), 1e-11 * 0.000396357755457384);
    }

    @Test
    void threePairsHaveOneDegreeOfFreedom() {
        Spearman.Result r = Spearman.of(List.of(1, 2, 3), List.of(1, 3, 2));
        assertEquals(0.5, r.rho(), 1e-15);
        assertEquals(0.6666666666666666, r.p(), 1e-13);
    }

    @Test
    void aPerfectCorrelationHasPZero() {
        Spearman.Result r = Spearman.of(List.of(1, 1, 2, 3), List.of(10, 10, 20, 30));
        assertEquals(1.0, r.rho());
        assertEquals(0.0, r.p());
    }

    @Test
    void undefinedForConstantOrTooFewValues() {
        assertTrue(Double.isNaN(Spearman.of(List.of(2, 2, 2), List.of(1, 2, 3)).rho()));
        assertTrue(Double.isNaN(Spearman.of(List.of(1), List.of(1)).rho()));
        Spearman.Result two = Spearman.of(List.of(1, 2), List.of(3, 4));
        assertEquals(1.0, two.rho());
        assertTrue(Double.isNaN(two.p()), "no degrees of freedom");
        assertThrows(IllegalArgumentException.class, () -> Spearman.of(List.of(1, 2), List.of(1)));
    }

    @Test
    void exactScoresTieWhereTheirDoublesWouldNot() {
        // 1/10 + 2/10 is 3/10 exactly; as doubles 0.1 + 0.2 > 0.3, which would break the tie and change every rank
        Ratio sum = Ratio.of(1, 10).plus(Ratio.of(2, 10));
        assertTrue(0.1 + 0.2 != 0.3);
        Spearman.Result exact = Spearman.of(List.of(sum, Ratio.of(3, 10), Ratio.of(1, 10), Ratio.of(5, 10)), List.of(1, 2, 3, 4));
        Spearman.Result tied = Spearman.of(List.of(2, 2, 1, 3), List.of(1, 2, 3, 4));
        assertEquals(tied.rho(), exact.rho());
        Spearman.Result broken = Spearman.of(List.of(0.1 + 0.2, 0.3, 0.1, 0.5), List.of(1, 2, 3, 4));
        assertTrue(broken.rho() != exact.rho());
    }
}
