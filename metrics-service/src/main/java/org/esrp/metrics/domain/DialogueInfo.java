package org.esrp.metrics.domain;

import java.util.UUID;

/** A dialogue as its first answer describes it; the leaderboards group by its character, persona and emotion. */
public record DialogueInfo(UUID dialogueId, UUID responderId, UUID characterId, String characterName, UUID scenarioId,
                           String scenarioKey, String persona, String emotion) {
}
