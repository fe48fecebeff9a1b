package org.esrp.annotation.messaging;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The record on topic {@code esrp.ratings}, one per accepted rating, and the row of the analysts' exports. Unblinded:
 * analysts need the responder. Key = dialogueId (DIALOGUE items) or itemId (DIVERSITY items). A re-publish carries
 * the same ratingId, so consumers drop duplicates by it.
 *
 * @param itemKind     DIALOGUE or DIVERSITY
 * @param responseIds  DIVERSITY: the answers of the set, in stored order
 * @param raterKind    HUMAN (LLM_JUDGE is reserved for automatic raters)
 * @param scores       metric key to integer score
 * @param flags        TOO_FAST, STRAIGHT_LINED
 * @param goldPassed   gold items only: whether the scores fell within the expected ranges
 */
public record RatingRecord(UUID ratingId, UUID studyId, String itemKind, UUID itemId, UUID dialogueId,
                           List<UUID> responseIds, UUID responderId, String responderKind, String modelName,
                           UUID characterId, String characterName, UUID scenarioId, UUID annotatorId, String raterKind,
                           Map<String, Integer> scores, String comment, Long durationMs, List<String> flags, boolean gold,
                           Boolean goldPassed, OffsetDateTime createdAt) {

    public static final String TOPIC = "esrp.ratings";

    public String key() {
        return (dialogueId != null ? dialogueId : itemId).toString();
    }
}
