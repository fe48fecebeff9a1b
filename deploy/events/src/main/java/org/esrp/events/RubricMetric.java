package org.esrp.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.util.Map;

/** One metric of a study's rubric, as raters see it and as the leaderboards group it. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonClassDescription("One metric of a rubric: what it means and its integer scale.")
public record RubricMetric(
        @JsonProperty(required = true) @JsonPropertyDescription("The metric's key in a rating's scores.")
        String key,
        @JsonProperty(required = true) @JsonPropertyDescription("Its name as raters see it.")
        String name,
        @JsonProperty(required = true) @JsonPropertyDescription("The name of the dimension it belongs to; the leaderboards key the dimension by Rubric.dimensionKey of this name.")
        String dimension,
        @JsonPropertyDescription("What it means.")
        String definition,
        @JsonProperty(required = true) @JsonPropertyDescription("Lowest score.")
        int min,
        @JsonProperty(required = true) @JsonPropertyDescription("Highest score.")
        int max,
        @JsonPropertyDescription("What some points of the scale mean, keyed by the score.")
        Map<String, String> anchors) {
}
