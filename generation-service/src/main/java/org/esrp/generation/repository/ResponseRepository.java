package org.esrp.generation.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.generation.domain.Response;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
@WithSession
public class ResponseRepository implements PanacheRepositoryBase<Response, UUID> {

    public Uni<List<Response>> listByDialogue(UUID dialogueId) {
        return list("dialogueId = ?1 order by round", dialogueId);
    }
}
