package org.esrp.annotation.repository;

import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.domain.Task;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
@WithSession
public class TaskRepository implements PanacheRepositoryBase<Task, UUID> {

    /** The annotator's unexpired, unsubmitted task in a study, if any: annotators resume where they left off. */
    public Uni<Task> findActive(UUID annotatorId, UUID studyId) {
        return active(annotatorId, studyId).firstResult();
    }

    /** The annotator's live leases in a study, the first to expire first. */
    public Uni<List<Task>> listActive(UUID annotatorId, UUID studyId) {
        return active(annotatorId, studyId).list();
    }

    private PanacheQuery<Task> active(UUID annotatorId, UUID studyId) {
        return find("from Task t where t.annotatorId = ?1 and t.status = 'LEASED' and t.expiresAt > current_timestamp "
                + "and t.itemId in (select i.id from Item i where i.studyId = ?2) order by t.expiresAt, t.id", annotatorId, studyId);
    }
}
