package org.esrp.metrics.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.esrp.metrics.service.EmbeddingIndex;
import org.esrp.metrics.service.StudyStore;

/** Feeds both streams into the in-memory study state; the store drops what it has seen (by responseId, ratingId). */
@ApplicationScoped
public class StreamConsumer {

    private final StudyStore store;
    private final EmbeddingIndex embeddings;

    public StreamConsumer(StudyStore store, EmbeddingIndex embeddings) {
        this.store = store;
        this.embeddings = embeddings;
    }

    @Incoming("responses")
    public void answer(AnswerEvent event) {
        if (event != null && event.responseId() != null && event.studyId() != null && store.add(event)) {
            embeddings.submit(event);
        }
    }

    @Incoming("ratings")
    public void rating(RatingEvent event) {
        if (event != null && event.ratingId() != null && event.studyId() != null && event.scores() != null) {
            store.add(event);
        }
    }
}
