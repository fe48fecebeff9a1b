package org.esrp.generation.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.generation.domain.Study;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
@WithSession
public class StudyRepository implements PanacheRepositoryBase<Study, UUID> {

    public Uni<Study> findByName(String name) {
        return find("name", name).firstResult();
    }

    public Uni<List<Study>> listByName() {
        return list("order by name");
    }
}
