package org.esrp.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The record of topic {@value #TOPIC}: one per accepted rating, written by annotation-service, read by metrics-service,
 * and the row of the analysts' exports. Unblinded. Key: {@link #key()}, the study.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonClassDescription("One accepted rating, on topic esrp.ratings (key: studyId). Unblinded. "
        + "Published after the rating's transaction committed; a re-publish carries the same ratingId, so consumers drop "
        + "duplicates by it. The metrics its scores refer to are the study's rubric, published on esrp.designs.")
public record RatingEvent(
        @JsonPropertyDescription("Version of this record's schema; absent in records written before it existed, which are version 1.")
        int schemaVersion,
        @JsonProperty(required = true) @JsonPropertyDescription("Stable id of the rating; the same in every re-publish.")
        UUID ratingId,
        @JsonProperty(required = true) @JsonPropertyDescription("The study.")
        UUID studyId,
        @JsonProperty(required = true) @JsonPropertyDescription("DIALOGUE (both rounds of one dialogue) or DIVERSITY (a set of round-1 answers of one responder).")
        String itemKind,
        @JsonProperty(required = true) @JsonPropertyDescription("The rated item.")
        UUID itemId,
        @JsonPropertyDescription("DIALOGUE items: the rated dialogue.")
        UUID dialogueId,
        @JsonPropertyDescription("DIVERSITY items: the answers of the set, in the order shown.")
        List<UUID> responseIds,
        @JsonProperty(required = true) @JsonPropertyDescription("Who wrote what was rated.")
        UUID responderId,
        @JsonPropertyDescription("LLM or HUMAN.")
        String responderKind,
        @JsonPropertyDescription("The LLM's model name; null for HUMAN.")
        String modelName,
        @JsonProperty(required = true) @JsonPropertyDescription("The character.")
        UUID characterId,
        @JsonPropertyDescription("The character's name.")
        String characterName,
        @JsonPropertyDescription("DIALOGUE items: the scenario.")
        UUID scenarioId,
        @JsonProperty(required = true) @JsonPropertyDescription("The pseudonymous annotator.")
        UUID annotatorId,
        @JsonProperty(required = true) @JsonPropertyDescription("HUMAN, or LLM_JUDGE for automatic raters.")
        String raterKind,
        @JsonPropertyDescription("LLM_JUDGE: the judge's model name (its annotatorId is the judge); null for HUMAN.")
        String raterModel,
        @JsonProperty(required = true) @JsonPropertyDescription("Metric key to integer score, one per metric of the item's rubric.")
        Map<String, Integer> scores,
        @JsonPropertyDescription("The annotator's free-text comment.")
        String comment,
        @JsonPropertyDescription("Time the annotator spent on the task.")
        Long durationMs,
        @JsonPropertyDescription("Quality flags: TOO_FAST (below the study's minSeconds), STRAIGHT_LINED (the same score on every metric).")
        List<String> flags,
        @JsonPropertyDescription("Whether the item is a planted gold item.")
        boolean gold,
        @JsonPropertyDescription("Gold items: whether every score fell within its expected range; null otherwise.")
        Boolean goldPassed,
        @JsonPropertyDescription("When the rating was accepted (ISO-8601).")
        OffsetDateTime createdAt) {

    public static final String TOPIC = "esrp.ratings";
    public static final int SCHEMA_VERSION = 1;
    public static final String DIALOGUE = "DIALOGUE";
    public static final String DIVERSITY = "DIVERSITY";
    public static final String TOO_FAST = "TOO_FAST";
    public static final String STRAIGHT_LINED = "STRAIGHT_LINED";
    /** The bound of any score (the rubric's own scale is narrower); scores are stored as 16-bit integers. */
    public static final int MAX_SCORE = 10_000;

    public RatingEvent {
        if (schemaVersion == 0) {
            schemaVersion = 1;
        }
    }

    /** The record key: the study, so that a study's records share a partition. */
    public String key() {
        return studyId.toString();
    }

    /** What makes this record break the contract; empty when it keeps it. */
    public List<String> violations() {
        List<String> problems = new ArrayList<>();
        Contract.required(problems, "ratingId", ratingId);
        Contract.required(problems, "studyId", studyId);
        Contract.oneOf(problems, "itemKind", itemKind, DIALOGUE, DIVERSITY);
        Contract.required(problems, "itemId", itemId);
        if (DIALOGUE.equals(itemKind)) {
            Contract.required(problems, "dialogueId", dialogueId);
        }
        Contract.required(problems, "responderId", responderId);
        Contract.required(problems, "characterId", characterId);
        Contract.required(problems, "annotatorId", annotatorId);
        Contract.oneOf(problems, "raterKind", raterKind, "HUMAN", "LLM_JUDGE");
        if (scores == null || scores.isEmpty()) {
            problems.add("scores is missing");
        } else {
            scores.forEach((metric, score) -> {
                if (metric == null || metric.isBlank() || score == null) {
                    problems.add("scores." + metric + " must be an integer");
                } else if (Math.abs(score) > MAX_SCORE) {
                    problems.add("scores." + metric + " must be within ±" + MAX_SCORE + " (no rubric's scale is wider)");
                }
            });
        }
        return problems;
    }
}
