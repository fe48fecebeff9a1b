package org.esrp.metrics.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two-way cluster bootstrap against an independent numpy implementation ({@code reference/cluster_bootstrap.py},
 * 200,000 resamples, values stored in {@code cluster_bootstrap.json}). This draws 20,000: the script's own spread at that
 * size (15 seeds) is within 0.05 bootstrap sd for the means' ends and 0.2 for the differences' (their values are
 * discrete); the rank intervals are equal.
 */
class ClusterBootstrapTest {

    static final int C = 8;
    static final int S = 12;

    /** The same formula as the script's value(c, s, r). */
    static double value(int c, int s, int r) {
        return 3 + 0.5 * r + ((c * 37) % 11 - 5) / 5.0 + ((s * 17) % 7 - 3) / 4.0 + (((c * 13 + s * 7 + r * 3) % 9) - 4) / 8.0;
    }

    /** Responder 2 was rated only on characters 0-2 x scenarios 0-3. */
    static boolean rated(int c, int s, int r) {
        return r < 2 || (c < 3 && s < 4);
    }

    static ClusterBootstrap.Cells cells(int a, int b) {
        List<int[]> at = new ArrayList<>();
        for (int c = 0; c < C; c++) {
            for (int s = 0; s < S; s++) {
                if (rated(c, s, a) && (b < 0 || rated(c, s, b))) {
                    at.add(new int[]{c, s});
                }
            }
        }
        int[] cs = at.stream().mapToInt(x -> x[0]).toArray();
        int[] ss = at.stream().mapToInt(x -> x[1]).toArray();
        double[] v = at.stream().mapToDouble(x -> value(x[0], x[1], a) - (b < 0 ? 0 : value(x[0], x[1], b))).toArray();
        return new ClusterBootstrap.Cells(cs, ss, v);
    }

    static ClusterBootstrap.Result run(long seed) {
        return ClusterBootstrap.run(List.of(cells(0, -1), cells(1, -1), cells(2, -1)), List.of(cells(0, 1), cells(0, 2)), C, S,
                20_000, seed, 0.95);
    }

    @Test
    void intervalsAndRanksMatchTheIndependentReference() throws Exception {
        JsonNode reference;
        try (InputStream in = getClass().getResourceAsStream("/reference/cluster_bootstrap.json")) {
            reference = new ObjectMapper().readTree(in);
        }
        ClusterBootstrap.Result result = run(1);
        for (int r = 0; r < 3; r++) {
            JsonNode ref = reference.path("means").path(r);
            double sd = ref.path("sd").asDouble();
            assertEquals(ref.path("low").asDouble(), result.means().get(r).low(), 0.1 * sd, "responder " + r + " low");
            assertEquals(ref.path("high").asDouble(), result.means().get(r).high(), 0.1 * sd, "responder " + r + " high");
            JsonNode ranks = reference.path("ranks").path(r);
            assertEquals(ranks.path("low").asInt(), result.ranks().get(r).low(), "responder " + r + " best rank");
            assertEquals(ranks.path("high").asInt(), result.ranks().get(r).high(), "responder " + r + " worst rank");
            assertEquals(ref.path("defined").asDouble(), result.means().get(r).defined() / 20_000.0, 0.01);
        }
        String[] pairs = {"0-1", "0-2"};
        for (int k = 0; k < pairs.length; k++) {
            JsonNode ref = reference.path("differences").path(pairs[k]);
            double sd = ref.path("sd").asDouble();
            assertEquals(ref.path("low").asDouble(), result.differences().get(k).low(), 0.3 * sd, pairs[k] + " low");
            assertEquals(ref.path("high").asDouble(), result.differences().get(k).high(), 0.3 * sd, pairs[k] + " high");
        }
    }

    @Test
    void theSameSeedGivesTheSameIntervalsAndAnotherSeedOthers() {
        assertEquals(run(5), run(5));
        assertNotEquals(run(5).means(), run(6).means());
    }

    @Test
    void resamplingTheClustersIsWiderThanTreatingDialoguesAsIndependent() {
        // the 96 dialogues of responder 0 share characters and scenarios: an interval over them as if independent is
        // narrower than the cluster bootstrap's
        ClusterBootstrap.Cells cells = cells(0, -1);
        Descriptive.Interval naive = Descriptive.tInterval(cells.values(), 0.95);
        ClusterBootstrap.Interval clustered = run(1).means().get(0);
        assertTrue(clustered.high() - clustered.low() > 2 * (naive.high() - naive.low()),
                "clustered " + clustered + " vs independent " + naive);
    }
}
