package org.esrp.annotation.messaging;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.time.OffsetDateTime;
import java.util.UUID;

/** The part of an esrp.responses record (see generation-service's ResponseRecord) that annotation needs. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ResponseEvent(UUID responseId, UUID studyId, UUID dialogueId, UUID characterId, String characterName,
                            UUID scenarioId, String scenarioKey, String persona, String emotion, UUID responderId,
                            String responderName, String responderKind, String modelName, int round, String userMessage,
                            String answer, OffsetDateTime createdAt) {
}
