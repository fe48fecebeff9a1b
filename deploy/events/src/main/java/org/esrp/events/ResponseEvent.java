package org.esrp.events;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The record of topic {@value #TOPIC}: one per stored answer, written by generation-service, read by annotation-service
 * (rating items) and metrics-service (diversity, the leaderboards' dialogue metadata). Key: {@code studyId}, so that a
 * study's answers, ratings and design share a partition number (see {@link EventTopics}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonClassDescription("One stored answer of a responder in one round of a dialogue, on topic esrp.responses (key: studyId). "
        + "Published after the answer's transaction committed; a re-publish carries the same responseId, so consumers drop "
        + "duplicates by it.")
public record ResponseEvent(
        @JsonPropertyDescription("Version of this record's schema; absent in records written before it existed, which are version 1.")
        int schemaVersion,
        @JsonProperty(required = true) @JsonPropertyDescription("Stable id of the stored answer; the same in every re-publish.")
        UUID responseId,
        @JsonProperty(required = true) @JsonPropertyDescription("The study.")
        UUID studyId,
        @JsonProperty(required = true) @JsonPropertyDescription("The dialogue: study x character x scenario x responder.")
        UUID dialogueId,
        @JsonProperty(required = true) @JsonPropertyDescription("The character the responder speaks as.")
        UUID characterId,
        @JsonPropertyDescription("The character's name, as 《work》的name when the work is known.")
        String characterName,
        @JsonProperty(required = true) @JsonPropertyDescription("The scenario.")
        UUID scenarioId,
        @JsonPropertyDescription("The scenario's key (ChatAnime's dialog_id).")
        String scenarioKey,
        @JsonPropertyDescription("The scenario's user persona, when known.")
        String persona,
        @JsonPropertyDescription("The scenario's emotion, when known.")
        String emotion,
        @JsonProperty(required = true) @JsonPropertyDescription("Who answered.")
        UUID responderId,
        @JsonPropertyDescription("The responder's name.")
        String responderName,
        @JsonProperty(required = true) @JsonPropertyDescription("LLM or HUMAN.")
        String responderKind,
        @JsonPropertyDescription("The LLM's model name; null for HUMAN.")
        String modelName,
        @JsonProperty(required = true) @JsonPropertyDescription("1 or 2.")
        int round,
        @JsonPropertyDescription("The user's message of this round, exactly as stored.")
        String userMessage,
        @JsonProperty(required = true) @JsonPropertyDescription("The character's answer, exactly as stored.")
        String answer,
        @JsonPropertyDescription("Time the LLM call took; null when unknown (imports, fans).")
        Long latencyMs,
        @JsonPropertyDescription("Prompt tokens of the LLM call; null when unknown.")
        Integer tokensIn,
        @JsonPropertyDescription("Completion tokens of the LLM call; null when unknown.")
        Integer tokensOut,
        @JsonPropertyDescription("Sampling temperature of the LLM call; null when unknown.")
        Double temperature,
        @JsonPropertyDescription("Round 2: the model of the user simulator that wrote userMessage.")
        String simulatorModel,
        @JsonPropertyDescription("When the answer was stored (ISO-8601).")
        OffsetDateTime createdAt) {

    public static final String TOPIC = "esrp.responses";
    public static final int SCHEMA_VERSION = 1;

    public ResponseEvent {
        if (schemaVersion == 0) {
            schemaVersion = 1;
        }
    }

    /** What makes this record break the contract; empty when it keeps it. */
    public List<String> violations() {
        List<String> problems = new ArrayList<>();
        Contract.required(problems, "responseId", responseId);
        Contract.required(problems, "studyId", studyId);
        Contract.required(problems, "dialogueId", dialogueId);
        Contract.required(problems, "characterId", characterId);
        Contract.required(problems, "scenarioId", scenarioId);
        Contract.required(problems, "responderId", responderId);
        Contract.oneOf(problems, "responderKind", responderKind, "LLM", "HUMAN");
        if (round != 1 && round != 2) {
            problems.add("round must be 1 or 2");
        }
        Contract.required(problems, "answer", answer);
        return problems;
    }
}
