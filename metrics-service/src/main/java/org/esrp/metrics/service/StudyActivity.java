package org.esrp.metrics.service;

import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.utils.Bytes;
import org.esrp.metrics.domain.StudyModel;
import org.esrp.metrics.repository.StudyListener;

import java.util.UUID;

/** Passes what the stream thread applied to whoever acts on it: the open streams and the background workers. */
@ApplicationScoped
public class StudyActivity implements StudyListener {

    private final LeaderboardFeeds feeds;
    private final EmbeddingWorker embeddings;
    private final DiversityWorker diversity;

    public StudyActivity(LeaderboardFeeds feeds, EmbeddingWorker embeddings, DiversityWorker diversity) {
        this.feeds = feeds;
        this.embeddings = embeddings;
        this.diversity = diversity;
    }

    @Override
    public void changed(StudyModel study) {
        feeds.changed(study);
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
