package org.esrp.annotation.service;

import org.esrp.common.problem.ApiException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.util.List;

/** Ratings an offline front end collected on leased tasks, sent at once: each stands or falls on its own. */
public record RatingBatch(@NotNull @Size(min = 1, max = RatingBatch.MAX) List<Entry> ratings) {

    public static final int MAX = 100;

    /** One rating of the batch, with its own Idempotency-Key: a batch sent again stores nothing twice. */
    public record Entry(String taskId, String idempotencyKey, JsonNode scores, String comment, Long durationMs) {

        RatingRequest request() {
            return new RatingRequest(scores, comment, durationMs);
        }
    }

    /** What became of one entry: the rating stored (or found under its key), or why it was refused. */
    public record Outcome(Entry entry, RatingService.Submitted submitted, ApiException refused) {
    }

}
