package org.esrp.metrics.messaging;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/** An esrp.ratings record (see annotation-service's RatingRecord). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RatingEvent(UUID ratingId, UUID studyId, String itemKind, UUID itemId, UUID dialogueId, List<UUID> responseIds,
                          UUID responderId, String responderKind, String modelName, UUID characterId, String characterName,
                          UUID scenarioId, UUID annotatorId, String raterKind, Map<String, Integer> scores,
                          List<String> flags, boolean gold, Boolean goldPassed) {
}
