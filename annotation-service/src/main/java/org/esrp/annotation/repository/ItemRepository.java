package org.esrp.annotation.repository;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.esrp.annotation.domain.Item;

import java.util.UUID;

@ApplicationScoped
@WithSession
public class ItemRepository implements PanacheRepositoryBase<Item, UUID> {

    public Uni<Item> findByDialogue(UUID dialogueId) {
        return find("dialogueId", dialogueId).firstResult();
    }
}
