package org.esrp.metrics.domain;

import java.util.UUID;

/**
 * A rated item as its first rating describes it. Items are keyed by their dialogue (DIALOGUE) or by their id
 * (DIVERSITY), as annotation-service keys their records.
 */
public record ItemInfo(String kind, UUID itemId, UUID dialogueId, UUID responderId, String responderKind, String modelName,
                       UUID characterId, String characterName, UUID scenarioId) {

    public UUID key() {
        return dialogueId != null ? dialogueId : itemId;
    }
}
