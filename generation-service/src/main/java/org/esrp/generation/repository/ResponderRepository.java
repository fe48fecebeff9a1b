package org.esrp.generation.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.generation.domain.Responder;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
@WithSession
public class ResponderRepository implements PanacheRepositoryBase<Responder, UUID> {

    public Uni<List<Responder>> listByStudy(UUID studyId) {
        return list("studyId = ?1 order by createdAt, name", studyId);
    }

    public Uni<Responder> findInStudy(UUID studyId, UUID id) {
        return find("studyId = ?1 and id = ?2", studyId, id).firstResult();
    }

    public Uni<Responder> findByName(UUID studyId, String name) {
        return find("studyId = ?1 and name = ?2", studyId, name).firstResult();
    }
}
