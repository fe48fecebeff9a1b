package org.esrp.annotation.service;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** What the annotator gets back: no gold marker, so gold items stay indistinguishable. */
public record RatingView(UUID ratingId, UUID taskId, List<String> flags, OffsetDateTime createdAt) {
}
