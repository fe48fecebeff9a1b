package org.esrp.metrics.domain;

import java.util.UUID;

/** An LLM judge of the study: its rater id (one judge, one annotatorId) and the model it runs, from its ratings. */
public record Judge(UUID id, String model) {
}
