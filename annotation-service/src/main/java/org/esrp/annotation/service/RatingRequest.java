package org.esrp.annotation.service;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** Scores are checked against the task's rubric by RatingService; JsonNode keeps 3.5 apart from 3. */
public record RatingRequest(@NotNull JsonNode scores, @Size(max = 4000) String comment,
                            @Min(0) @Max(86_400_000) Long durationMs) {
}
