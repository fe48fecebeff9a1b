package org.esrp.metrics.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The REML fit against lme4 ({@code reference/mixed_model.R}: a simulated study of 6 responders, 8 characters, 10
 * scenarios and 24 raters with planted severities, annotators matched to characters; lme4's estimates stored in
 * {@code mixed_model_lme4.json}). Both minimize the same criterion, so the optimum agrees to the optimizers' tolerance.
 */
class MixedModelTest {

    @Test
    void theFitMatchesLme4() throws Exception {
        List<int[]> rows = new ArrayList<>();
        try (InputStream in = getClass().getResourceAsStream("/reference/mixed_model_data.csv");
             BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            reader.readLine();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                String[] cells = line.split(",");
                int[] row = new int[cells.length];
                for (int i = 0; i < cells.length; i++) {
                    row[i] = Integer.parseInt(cells[i].replace("\"", "").trim());
                }
                rows.add(row);
            }
        }
        JsonNode lme4;
        try (InputStream in = getClass().getResourceAsStream("/reference/mixed_model_lme4.json")) {
            lme4 = new ObjectMapper().readTree(in);
        }
        int n = rows.size();
        assertEquals(lme4.path("observations").asInt(), n);
        double[] y = new double[n];
        int[] responder = new int[n];
        int[][] random = new int[3][n];
        for (int i = 0; i < n; i++) {
            int[] row = rows.get(i);
            responder[i] = row[0];
            random[1][i] = row[1];
            random[2][i] = row[2];
            random[0][i] = row[3];
            y[i] = row[4] / 9.0;
        }
        MixedModel.Fit fit = MixedModel.fit(new MixedModel.Data(y, responder, 6, random, new int[]{24, 8, 10}));

        for (int j = 0; j < 6; j++) {
            assertEquals(lme4.path("coefficients").path(j).asDouble(), fit.coefficients()[j], 1e-4, "coefficient " + j);
            assertEquals(lme4.path("standardErrors").path(j).asDouble(), fit.standardErrors()[j], 1e-4, "standard error " + j);
        }
        assertEquals(lme4.path("raterVariance").asDouble(), fit.randomVariances()[0], 1e-4);
        assertEquals(lme4.path("characterVariance").asDouble(), fit.randomVariances()[1], 1e-4);
        assertEquals(lme4.path("scenarioVariance").asDouble(), fit.randomVariances()[2], 1e-4);
        assertEquals(lme4.path("residualVariance").asDouble(), fit.residualVariance(), 1e-5);
        assertEquals(lme4.path("remlCriterion").asDouble(), fit.remlCriterion(), 1e-3);
    }

    @Test
    void aSingleRandomFactorIsTheOneWayRandomEffectsModel() {
        // balanced one-way layout (y = 1, 3 in group 0; 3, 5 in group 1), one fixed level: REML gives the ANOVA
        // estimates. MSB = 2 * ((2-3)^2 + (4-3)^2) / 1 = 4, MSW = (1 + 1 + 1 + 1) / 2 = 2: the between-group variance
        // (MSB - MSW) / 2 = 1 and the residual variance 2
        MixedModel.Fit fit = MixedModel.fit(new MixedModel.Data(new double[]{1, 3, 3, 5}, new int[]{0, 0, 0, 0}, 1,
                new int[][]{{0, 0, 1, 1}}, new int[]{2}));
        assertEquals(1.0, fit.randomVariances()[0], 1e-6);
        assertEquals(2.0, fit.residualVariance(), 1e-6);
        assertEquals(3.0, fit.coefficients()[0], 1e-9);
        // Var(mean) = (sigma_b^2 + sigma^2 / 2) / 2 = (1 + 1) / 2 = 1
        assertEquals(1.0, fit.standardErrors()[0], 1e-6);
    }

    @Test
    void tooFewObservationsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> MixedModel.fit(new MixedModel.Data(new double[]{1}, new int[]{0}, 1,
                new int[][]{{0}}, new int[]{1})));
    }
}
