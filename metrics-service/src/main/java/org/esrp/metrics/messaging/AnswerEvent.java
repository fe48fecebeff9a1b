package org.esrp.metrics.messaging;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.UUID;

/** The part of an esrp.responses record that the leaderboards need (see generation-service's ResponseRecord). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AnswerEvent(UUID responseId, UUID studyId, UUID dialogueId, UUID characterId, String characterName,
                          UUID scenarioId, String persona, String emotion, UUID responderId, String responderName,
                          String responderKind, String modelName, int round, String answer) {
}
