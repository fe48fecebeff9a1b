package org.esrp.metrics.messaging;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import org.esrp.events.DesignEvent;
import org.esrp.events.RatingEvent;
import org.esrp.events.ResponseEvent;
import org.esrp.metrics.domain.GroupDiversity;

import java.util.UUID;

/**
 * What reaches a study's partition, re-keyed by study: an answer, a rating or a design from the platform's topics, or
 * a result that metrics-service computed off the stream thread (an answer's embedding, a group's diversity measures)
 * and fed back through {@code esrp-metrics.derived}. JSON, with its kind in {@code type}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = StudyEvent.Answer.class, name = "answer"),
        @JsonSubTypes.Type(value = StudyEvent.Rating.class, name = "rating"),
        @JsonSubTypes.Type(value = StudyEvent.Design.class, name = "design"),
        @JsonSubTypes.Type(value = StudyEvent.Embedding.class, name = "embedding"),
        @JsonSubTypes.Type(value = StudyEvent.Diversity.class, name = "diversity")})
public sealed interface StudyEvent {

    UUID studyId();

    record Answer(ResponseEvent answer) implements StudyEvent {
        @Override
        public UUID studyId() {
            return answer.studyId();
        }
    }

    record Rating(RatingEvent rating) implements StudyEvent {
        @Override
        public UUID studyId() {
            return rating.studyId();
        }
    }

    record Design(DesignEvent design) implements StudyEvent {
        @Override
        public UUID studyId() {
            return design.studyId();
        }
    }

    /** The embedding of one stored answer (a unit vector of the in-JVM model), as stored ({@code Vectors}: base64 in JSON). */
    record Embedding(UUID studyId, UUID responderId, UUID characterId, int round, UUID responseId, byte[] vector)
            implements StudyEvent {
    }

    /** The measures of one (responder, character) group in one scope, computed from the counts they carry. */
    record Diversity(UUID studyId, UUID responderId, UUID characterId, int scope, GroupDiversity.Measures measures)
            implements StudyEvent {
    }
}
