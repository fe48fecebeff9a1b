package org.esrp.generation.messaging;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The record on topic {@code esrp.responses}: one per stored answer, key = dialogueId, JSON value. A re-publish
 * (after a broker outage or a restart) carries the same responseId, so consumers drop duplicates by it.
 *
 * @param responseId      stable id of the stored answer
 * @param round           1 or 2
 * @param responderKind   LLM or HUMAN
 * @param modelName       the LLM's model name; null for HUMAN
 * @param persona         the scenario's persona, when known
 * @param emotion         the scenario's emotion, when known
 * @param latencyMs       time the answer took (LLM), null when unknown (imports, HUMAN)
 * @param temperature     sampling temperature used (LLM)
 * @param simulatorModel  round 2: the model of the user simulator that wrote userMessage
 */
public record ResponseRecord(
        UUID responseId,
        UUID studyId,
        UUID dialogueId,
        UUID characterId,
        String characterName,
        UUID scenarioId,
        String scenarioKey,
        String persona,
        String emotion,
        UUID responderId,
        String responderName,
        String responderKind,
        String modelName,
        int round,
        String userMessage,
        String answer,
        Long latencyMs,
        Integer tokensIn,
        Integer tokensOut,
        Double temperature,
        String simulatorModel,
        OffsetDateTime createdAt) {

    public static final String TOPIC = "esrp.responses";
}
