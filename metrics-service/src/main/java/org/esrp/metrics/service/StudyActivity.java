package org.esrp.metrics.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.utils.Bytes;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.repository.StudyListener;

import java.util.UUID;

/** Passes what the stream thread applied to whoever acts on it: the views and the background workers. */
@ApplicationScoped
public class StudyActivity implements StudyListener {

    private final StudyViews views;
    private final EmbeddingWorker embeddings;
    private final DiversityWorker diversity;

    public StudyActivity(StudyViews views, EmbeddingWorker embeddings, DiversityWorker diversity) {
        this.views = views;
        this.embeddings = embeddings;
        this.diversity = diversity;
    }

    @Override
    public void changed(StudyModel study) {
        views.changed(study);
    }

    @Override
    public void unembedded(UUID studyId, int partition, Bytes key, String answer) {
        embeddings.submit(studyId, partition, key, answer);
    }

    @Override
    public void stale(UUID studyId, UUID responderId, UUID characterId) {
        diversity.touch(studyId, responderId, characterId);
    }
}
