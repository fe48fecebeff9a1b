package org.esrp.annotation.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.domain.Answer;

import java.util.List;
import java.util.UUID;

@ApplicationScoped
@WithSession
public class AnswerRepository implements PanacheRepositoryBase<Answer, UUID> {

    public Uni<List<Answer>> listByDialogue(UUID dialogueId) {
        return list("dialogueId = ?1 order by round", dialogueId);
    }
}
