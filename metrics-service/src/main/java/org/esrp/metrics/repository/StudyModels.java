package org.esrp.metrics.repository;

import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.metrics.domain.StudyModel;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The studies whose partition this instance owns, each with its working aggregates. */
@ApplicationScoped
public class StudyModels {

    private final Map<UUID, StudyModel> models = new ConcurrentHashMap<>();

    /** The study's model, or null when this instance does not own it or nothing of it arrived. */
    public StudyModel get(UUID studyId) {
        return models.get(studyId);
    }

    StudyModel getOrCreate(UUID studyId, int partition) {
        return models.computeIfAbsent(studyId, id -> new StudyModel(id, partition));
    }

    /** Replaces whatever was kept of the partition by what its store holds now. */
    void load(int partition, Map<UUID, StudyModel> loaded) {
        drop(partition);
        models.putAll(loaded);
    }

    /** The partition went elsewhere (or its task is being reinitialised): its studies are no longer served here. */
    void drop(int partition) {
        models.values().removeIf(model -> model.partition() == partition);
    }
}
