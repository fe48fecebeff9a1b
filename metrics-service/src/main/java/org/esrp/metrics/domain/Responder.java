package org.esrp.metrics.domain;

import java.util.UUID;

/** What is known of a responder: from its answers or, failing those, from the ratings of its dialogues. */
public record Responder(UUID id, String name, String kind, String modelName) {
}
