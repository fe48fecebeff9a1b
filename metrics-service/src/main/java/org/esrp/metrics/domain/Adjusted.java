package org.esrp.metrics.domain;

import java.util.List;
import java.util.UUID;

/**
 * Rater-adjusted means: a linear mixed model of every rating's score, {@code model}, fitted by REML. Annotators are
 * matched to characters, so responders are rated by different rater subsets; a raw mean mixes a responder's quality with
 * its raters' severity, the adjusted mean takes the raters' (and the characters' and scenarios') random effects out.
 * {@code quality}: "policy" (the ratings the study's quality policy keeps) or "off" (every rating).
 */
public record Adjusted(UUID studyId, String raterKind, String score, String quality, String model, int observations,
                       Variances variances, List<Responder> responders) {

    /** The variance components: between raters, characters, scenarios, and what is left. */
    public record Variances(Double rater, Double character, Double scenario, Double residual) {
    }

    /**
     * A responder (the human fans as one, key {@code human-fans}): its ratings, its raw mean over them, its adjusted mean
     * with a Wald 95% interval, and its rank by the adjusted mean.
     */
    public record Responder(String key, UUID responderId, String responderName, String kind, int ratings, Double rawMean,
                            Double adjustedMean, Double low, Double high, int rank) {
    }
}
