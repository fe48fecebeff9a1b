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
        return find("tokenHash", tokenHash).firstResult();
    }
}
