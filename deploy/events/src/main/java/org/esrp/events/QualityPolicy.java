package org.esrp.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.List;

/**
 * Which ratings count in a study's statistics: part of its design ({@link DesignEvent#quality()}). A rule about a rater
 * applies once the rater has {@code minRatings} non-gold ratings of dialogues (and {@code minGoldRated} gold ones for
 * the gold rule); an excluded rater's ratings all stop counting. Absent fields take {@link #DEFAULT}'s values.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonClassDescription("Which ratings count in a study's statistics. A rule about a rater applies once it has minRatings "
        + "non-gold dialogue ratings (minGoldRated gold ones for the gold rule); an excluded rater's ratings all stop counting. "
        + "Absent fields take the defaults.")
public record QualityPolicy(
        @JsonPropertyDescription("Leave out each rating flagged TOO_FAST. Default true.")
        Boolean excludeTooFast,
        @JsonPropertyDescription("Exclude a rater whose share of TOO_FAST ratings is above this (0-1). Default 0.5.")
        Double maxTooFastRate,
        @JsonPropertyDescription("Exclude a rater whose share of STRAIGHT_LINED dialogue ratings is above this (0-1). Default 0.5.")
        Double maxStraightLiningRate,
        @JsonPropertyDescription("Exclude a rater whose gold pass rate is below this (0-1). Default 0.5.")
        Double minGoldPassRate,
        @JsonPropertyDescription("Gold ratings a rater needs before the gold rule applies. Default 3.")
        Integer minGoldRated,
        @JsonPropertyDescription("Exclude a rater whose leave-one-out correlation (Pearson, its overall score against the mean of "
                + "the other raters of its kind on the same dialogues) is below this (-1 to 1). Default 0.2.")
        Double minRaterCorrelation,
        @JsonPropertyDescription("Non-gold dialogue ratings (for the correlation: dialogues shared with other raters) a rater needs "
                + "before the rate and correlation rules apply. Default 10.")
        Integer minRatings) {

    public static final QualityPolicy DEFAULT = new QualityPolicy(true, 0.5, 0.5, 0.5, 3, 0.2, 10);

    /** This policy with every absent field taken from {@link #DEFAULT}. */
    public QualityPolicy withDefaults() {
        return new QualityPolicy(excludeTooFast == null ? DEFAULT.excludeTooFast : excludeTooFast,
                maxTooFastRate == null ? DEFAULT.maxTooFastRate : maxTooFastRate,
                maxStraightLiningRate == null ? DEFAULT.maxStraightLiningRate : maxStraightLiningRate,
                minGoldPassRate == null ? DEFAULT.minGoldPassRate : minGoldPassRate,
                minGoldRated == null ? DEFAULT.minGoldRated : minGoldRated,
                minRaterCorrelation == null ? DEFAULT.minRaterCorrelation : minRaterCorrelation,
                minRatings == null ? DEFAULT.minRatings : minRatings);
    }

    /** What makes this policy break the contract (the field at fault first); empty when it keeps it. */
    public List<String> violations() {
        List<String> problems = new java.util.ArrayList<>();
        share(problems, "maxTooFastRate", maxTooFastRate);
        share(problems, "maxStraightLiningRate", maxStraightLiningRate);
        share(problems, "minGoldPassRate", minGoldPassRate);
        if (minRaterCorrelation != null && !(minRaterCorrelation >= -1 && minRaterCorrelation <= 1)) {
            problems.add("minRaterCorrelation: must be between -1 and 1");
        }
        if (minGoldRated != null && minGoldRated < 1) {
            problems.add("minGoldRated: must be at least 1");
        }
        if (minRatings != null && minRatings < 2) {
            problems.add("minRatings: must be at least 2");
        }
        return problems;
    }

    private static void share(List<String> problems, String field, Double value) {
        if (value != null && !(value >= 0 && value <= 1)) {
            problems.add(field + ": must be between 0 and 1");
        }
    }
}
