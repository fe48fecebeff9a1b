package org.esrp.annotation.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.domain.Annotator;

import java.util.UUID;

@ApplicationScoped
@WithSession
public class AnnotatorRepository implements PanacheRepositoryBase<Annotator, UUID> {

    public Uni<Annotator> findByTokenHash(String tokenHash) {
        // One round trip on every request: the profile's sets are fetched with it rather than one query each.
        return find("select distinct a from Annotator a left join fetch a.characterIds left join fetch a.languages "
                + "left join fetch a.responderIds where a.tokenHash = ?1", tokenHash).firstResult();
    }
}
