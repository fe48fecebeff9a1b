package org.esrp.annotation.service;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.esrp.annotation.domain.ItemKind;
import org.esrp.events.RubricMetric;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A task as an annotation front end sees it: blind. The character, the scenario and the text, nothing that names or
 * hints at the responder; the task id is random.
 */
public record TaskView(UUID taskId, ItemKind kind, OffsetDateTime expiresAt, Character character, Scenario scenario,
                       List<Round> rounds, List<Text> answers, List<RubricMetric> rubric, Progress progress) {

    public record Character(String name) {
    }

    public record Scenario(String persona, String emotion) {
    }

    public record Round(int round, String userMessage, String answer) {
    }

    public record Text(String userMessage, String answer) {
    }

    /** Ratings done in the study; remaining (what this annotator may still be handed) only where asked for. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Progress(long done, Long remaining) {
    }
}
