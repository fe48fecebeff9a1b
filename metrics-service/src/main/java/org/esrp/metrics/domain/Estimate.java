package org.esrp.metrics.domain;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A mean with its 95% confidence interval; null where undefined (fewer than two units). */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Estimate(Double mean, Double low, Double high, int n) {

    public static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
