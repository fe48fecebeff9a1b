package org.esrp.generation.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.generation.domain.StudyCharacter;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
@WithSession
public class StudyCharacterRepository implements PanacheRepositoryBase<StudyCharacter, UUID> {

    public Uni<List<StudyCharacter>> listByStudy(UUID studyId) {
        return list("studyId = ?1 order by createdAt, label", studyId);
    }

    public Uni<StudyCharacter> findInStudy(UUID studyId, UUID id) {
        return find("studyId = ?1 and id = ?2", studyId, id).firstResult();
    }
}
