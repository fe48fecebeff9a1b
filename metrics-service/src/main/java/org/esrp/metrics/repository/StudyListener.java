package org.esrp.metrics.repository;

import org.apache.kafka.common.utils.Bytes;
import org.esrp.metrics.domain.StudyModel;

import java.util.UUID;

/** What the stream thread tells the rest of the service as it applies events; each call must return at once. */
public interface StudyListener {

    /** Something of the study changed (its versions say what). */
    void changed(StudyModel study);

    /** A stored answer has no embedding yet ({@code key} is its state-store key). */
    void unembedded(UUID studyId, int partition, Bytes key, String answer);

    /** A (responder, character) group's diversity measures are stale. */
    void stale(UUID studyId, UUID responderId, UUID characterId);

    StudyListener NONE = new StudyListener() {
        @Override
        public void changed(StudyModel study) {
        }

        @Override
        public void unembedded(UUID studyId, int partition, Bytes key, String answer) {
        }

        @Override
        public void stale(UUID studyId, UUID responderId, UUID characterId) {
        }
    };
}
