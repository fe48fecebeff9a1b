package org.esrp.generation.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.generation.domain.Dialogue;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
@WithSession
public class DialogueRepository implements PanacheRepositoryBase<Dialogue, UUID> {

    public Uni<Dialogue> findOne(UUID studyId, UUID characterId, UUID scenarioId, UUID responderId) {
        return find("studyId = ?1 and characterId = ?2 and scenarioId = ?3 and responderId = ?4",
                studyId, characterId, scenarioId, responderId).firstResult();
    }

    public Uni<List<Dialogue>> listByResponder(UUID responderId) {
        return list("responderId", responderId);
    }
}
