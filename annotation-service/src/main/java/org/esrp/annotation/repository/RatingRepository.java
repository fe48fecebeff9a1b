package org.esrp.annotation.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.domain.Rating;

import java.util.UUID;

@ApplicationScoped
@WithSession
public class RatingRepository implements PanacheRepositoryBase<Rating, UUID> {

    public Uni<Rating> findByKey(UUID annotatorId, String idempotencyKey) {
        return find("annotatorId = ?1 and idempotencyKey = ?2", annotatorId, idempotencyKey).firstResult();
    }
}
